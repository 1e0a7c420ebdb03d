"""What a figure covers: a period, the caller's visible area and optional filters.

The area is the caller's Scope, and its condition on each source comes from
the scoping selectors that decide the lists (case_scope_q, diary_scope_q,
assignment_scope_q): a figure and the list it opens count the same rows.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.roles import Role
from accounts.scope import Scope, scope_of
from accounts.selectors import assignment_scope_q
from cases.selectors import case_scope_q, dispatch_scope_q, officer_station_ids
from diaries.selectors import diary_scope_q

# Each source names the columns that carry the dimensions (None: the source
# has no such dimension, so a filter on it matches nothing there) and which
# scoping rule its rows answer to.
# "case": the column naming the row's case (Selection.left_out); sources without one have none.
CASE_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
               "category": "category_id", "officer": "officer_id", "scope": "case", "case": "pk"}  # fmt: skip
DISPATCH_FIELDS = {"city": "case__city_id", "township": "case__township_id", "unit": "unit_id",
                   "category": "case__category_id", "officer": "case__officer_id", "scope": "dispatch",
                   "case": "case_id"}  # fmt: skip
CALLBACK_FIELDS = {"city": "case__city_id", "township": "case__township_id", "unit": "case__unit_id",
                   "category": "case__category_id", "officer": "case__officer_id", "scope": "callback",
                   "case": "case_id"}  # fmt: skip
DIARY_FIELDS = {"city": "city_id", "township": "township_id", "unit": "officer__org_unit_id",
                "category": None, "officer": "officer_id", "scope": "diary"}  # fmt: skip
ASSIGNMENT_FIELDS = {"city": "station__city_id", "township": "station__township_id", "unit": "dispatching_unit_id",
                     "category": None, "officer": "officer_id", "scope": "assignment"}  # fmt: skip
# 民情档案 records (and CoverageDay rows) carry station, township and city; no unit, category or officer.
HOUSEHOLD_FIELDS = {"city": "city_id", "township": "township_id", "unit": None, "category": None, "officer": None,
                    "scope": "household"}  # fmt: skip
# The roll-up tables carry city and township columns, so a city's or a township's scope reads them
# through the same rules; narrower scopes are counted from the raw tables (Area.rolls_up).
CASE_STAT_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
                    "category": "category_id", "officer": None, "scope": "case"}  # fmt: skip
DIARY_STAT_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
                     "category": None, "officer": "officer_id", "scope": "diary"}  # fmt: skip

# Roles whose pages show area dashboards (city or township).
DASHBOARD_ROLES = (Role.CITY_OFFICE, Role.LEADER, Role.TOWNSHIP_STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Area:
    """The part of the organisation whose figures the caller may see: their Scope."""

    scope: Scope = field(default_factory=Scope)
    station_ids: tuple[int, ...] = ()

    @property
    def everything(self) -> bool:
        return self.scope.everything

    @property
    def city_ids(self) -> frozenset[int]:
        return self.scope.city_ids

    @property
    def township_ids(self) -> frozenset[int]:
        return self.scope.township_ids

    @property
    def is_city_wide(self) -> bool:
        return self.everything or bool(self.city_ids)

    @property
    def shows_dashboards(self) -> bool:
        """The dashboards are about a city or a township (city office, leaders, township staff, admins)."""
        return self.everything or bool(self.city_ids or self.township_ids)

    @property
    def rolls_up(self) -> bool:
        """Whether the daily roll-ups can answer for this area: they know cities and townships,
        not which cases a unit was ever sent or which stations an officer holds."""
        return self.everything or not (self.scope.unit_ids or self.scope.officer_id)

    def q(self, fields: dict[str, str | None]) -> Q:
        scope, stations = self.scope, self.station_ids
        source = fields["scope"]
        if source == "case":
            return case_scope_q(scope, station_ids=stations)
        if source == "callback":
            return case_scope_q(scope, "case__", station_ids=stations)
        if source == "dispatch":
            return dispatch_scope_q(scope, station_ids=stations)
        if source == "diary":
            return diary_scope_q(scope)
        if source == "household":
            return household_area_q(scope, stations)
        return assignment_scope_q(scope)


def household_area_q(scope: Scope, station_ids: tuple[int, ...]) -> Q:
    """Records counted in an area's figures: its cities, townships, an officer's stations (units: none)."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.city_ids:
        q |= Q(city_id__in=scope.city_ids)
    if scope.township_ids:
        q |= Q(township_id__in=scope.township_ids)
    if scope.officer_id:
        q |= Q(station_id__in=station_ids)
    return q


def area_of(user) -> Area:
    """The stats area of ``user``; PermissionDenied when their roles show no figures at all."""
    scope = scope_of(user)
    if scope.is_empty:
        raise PermissionDenied
    return Area(scope=scope, station_ids=tuple(officer_station_ids(user)))


@dataclass(frozen=True)
class Selection:
    """A period (inclusive dates, Asia/Shanghai) in an area, optionally narrowed."""

    area: Area
    date_from: datetime.date
    date_to: datetime.date
    township_id: int | None = None
    unit_id: int | None = None
    category_id: int | None = None
    officer_id: int | None = None
    # These cases do not count (Case ids, or a queryset of them), e.g. those a score leaves out (oversight.scores).
    # The daily roll-ups know no single case: the metrics engine counts everything and takes the
    # left-out cases' own counters away (dashboards.metrics.Metrics._left_out_rows).
    left_out: QuerySet | Collection[int] | None = field(default=None, compare=False)

    def with_period(self, date_from: datetime.date, date_to: datetime.date) -> "Selection":
        return replace(self, date_from=date_from, date_to=date_to)

    def narrowed(self, **filters) -> "Selection":
        return replace(self, **filters)

    def filters(self) -> dict[str, int]:
        values = {"township": self.township_id, "unit": self.unit_id, "category": self.category_id,
                  "officer": self.officer_id}  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}

    def dims(self) -> set[str]:
        """Dimensions a stored row must keep to answer this selection."""
        return set(self.filters())

    def q(self, fields: dict[str, str | None]) -> Q:
        """Area AND filters, expressed on one source's columns."""
        q = self.area.q(fields)
        for dim, value in self.filters().items():
            column = fields[dim]
            q &= Q(**{column: value}) if column else Q(pk__in=[])
        if self.left_out is not None:
            column = fields.get("case")
            q &= ~Q(**{f"{column}__in": self.left_out}) if column else Q()
        return q
