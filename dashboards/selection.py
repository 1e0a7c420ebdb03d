"""What a figure covers: a period, the caller's visible area and optional filters.

The area comes from accounts.scope (the one place visibility is decided) and
is ANDed into every query of the metrics engine, the roll-up reads and the
live reads alike, so a township leader's numbers can only ever be built
from their own township's rows.
"""

import datetime
from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.roles import Role
from accounts.scope import scope_of

# Each source names the columns that carry the dimensions (None: the source
# has no such dimension, so a filter on it matches nothing there).
CASE_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
               "category": "category_id", "officer": "officer_id"}  # fmt: skip
DISPATCH_FIELDS = {"city": "case__city_id", "township": "case__township_id", "unit": "unit_id",
                   "category": "case__category_id", "officer": "case__officer_id"}  # fmt: skip
CALLBACK_FIELDS = {"city": "case__city_id", "township": "case__township_id", "unit": "case__unit_id",
                   "category": "case__category_id", "officer": "case__officer_id"}  # fmt: skip
DIARY_FIELDS = {"city": "city_id", "township": "township_id", "unit": "officer__org_unit_id",
                "category": None, "officer": "officer_id"}  # fmt: skip
ASSIGNMENT_FIELDS = {"city": "station__city_id", "township": "station__township_id", "unit": "dispatching_unit_id",
                     "category": None, "officer": "officer_id"}  # fmt: skip
CASE_STAT_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
                    "category": "category_id", "officer": None}  # fmt: skip
DIARY_STAT_FIELDS = {"city": "city_id", "township": "township_id", "unit": "unit_id",
                     "category": None, "officer": "officer_id"}  # fmt: skip

# Roles whose pages show area dashboards (city or township).
DASHBOARD_ROLES = (Role.CITY_OFFICE, Role.LEADER, Role.TOWNSHIP_STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Area:
    """The part of the organisation whose figures the caller may see."""

    everything: bool = False
    city_ids: frozenset[int] = field(default_factory=frozenset)
    township_ids: frozenset[int] = field(default_factory=frozenset)
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    officer_id: int | None = None

    @property
    def is_city_wide(self) -> bool:
        return self.everything or bool(self.city_ids)

    def dims(self) -> set[str]:
        if self.everything or self.city_ids or self.township_ids:
            return set()
        return {"unit"} if self.unit_ids else {"officer"}

    def q(self, fields: dict[str, str | None]) -> Q:
        if self.everything:
            return Q()
        parts = Q(pk__in=[])
        if self.city_ids or self.township_ids:
            # A broader role wins: a township staff member who is also an
            # officer sees the township, which includes their own work.
            if self.city_ids:
                parts |= Q(**{f"{fields['city']}__in": self.city_ids})
            if self.township_ids:
                parts |= Q(**{f"{fields['township']}__in": self.township_ids})
            return parts
        if self.unit_ids and fields["unit"]:
            return Q(**{f"{fields['unit']}__in": self.unit_ids})
        if self.officer_id and fields["officer"]:
            return Q(**{fields["officer"]: self.officer_id})
        return parts


def area_of(user) -> Area:
    """The stats area of ``user``; PermissionDenied when their roles show no figures at all."""
    scope = scope_of(user)
    if scope.everything:
        return Area(everything=True)
    if scope.city_ids or scope.township_ids:
        return Area(city_ids=scope.city_ids, township_ids=scope.township_ids)
    if scope.unit_ids:
        return Area(unit_ids=scope.unit_ids)
    if scope.officer_id:
        return Area(officer_id=scope.officer_id)
    raise PermissionDenied


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
        return set(self.filters()) | self.area.dims()

    def q(self, fields: dict[str, str | None]) -> Q:
        """Area AND filters, expressed on one source's columns."""
        q = self.area.q(fields)
        for dim, value in self.filters().items():
            column = fields[dim]
            q &= Q(**{column: value}) if column else Q(pk__in=[])
        return q
