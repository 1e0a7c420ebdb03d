"""Reads of the household ledger; every one goes through ``households_visible_to``.

Who sees records (HOUSEHOLDS.md, DOMAIN.md): the officers stationed at the record's station
today, the staff of its township, admins. The city office and city leaders see counts only
(the figures, not rows); units see nothing of the ledger. Outside the scope is 404.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import STATION_KINDS, OrgUnit, StationAssignment
from accounts.roles import Role
from accounts.scope import scope_of
from cases.selectors import cases_visible_to
from diaries.models import Visit
from diaries.selectors import diaries_visible_to
from households.models import HandoverNote, Household, RecordStatus


def served_station_ids(user, *, on: datetime.date | None = None) -> QuerySet:
    """The stations an officer serves on a day: their assignments running then."""
    day = on or timezone.localdate()
    rows = StationAssignment.objects.filter(officer_id=user.pk, start__lte=day)
    return rows.filter(Q(end__isnull=True) | Q(end__gte=day)).values("station_id")


def household_scope_q(user) -> Q | None:
    """The rule of households_visible_to as a condition; None when the user may see no record."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = Q(township_id__in=scope.township_ids) if scope.township_ids else None
    if scope.officer_id:
        own = Q(station_id__in=served_station_ids(user))
        q = own if q is None else q | own
    return q


def households_visible_to(user) -> QuerySet[Household]:
    rows = Household.objects.select_related("station", "township")
    q = household_scope_q(user)
    return rows.none() if q is None else rows.filter(q)


def may_see_tags(user) -> bool:
    """Tags are sensitive: whoever sees the record's row sees its tags; the city sees counts only."""
    return household_scope_q(user) is not None


def may_see_phone(user, record: Household) -> bool:
    """The station's officers and their township's staff call residents; everyone else reads it masked."""
    scope = scope_of(user)
    if user.has_role(Role.TOWNSHIP_STAFF) and record.township_id in scope.township_ids:
        return True
    return bool(scope.officer_id) and served_station_ids(user).filter(station_id=record.station_id).exists()


def households_due(rows: QuerySet[Household], *, on: datetime.date | None = None) -> QuerySet[Household]:
    """Key records whose next visit is due by the day (the partial index household_key_due)."""
    day = on or timezone.localdate()
    return rows.filter(status=RecordStatus.ACTIVE, interval_days__isnull=False, next_visit_due__lte=day)


def ledger_counts(rows: QuerySet[Household]) -> dict[str, int]:
    """What a ledger's heading says: records, active ones, key records, records due today."""
    today = timezone.localdate()
    active = Q(status=RecordStatus.ACTIVE)
    key = active & Q(interval_days__isnull=False)
    return rows.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=active),
        key=Count("pk", filter=key),
        due=Count("pk", filter=key & Q(next_visit_due__lte=today)),
    )


def stations_kept_by(user) -> QuerySet[OrgUnit]:
    """Stations whose ledger the user keeps (officers: today's assignments; township staff: the township's)."""
    scope = scope_of(user)
    rows = OrgUnit.objects.filter(township__isnull=False, kind__in=STATION_KINDS, is_active=True)
    if scope.everything:
        return rows
    q = Q(township_id__in=scope.township_ids) if user.has_role(Role.TOWNSHIP_STAFF) else Q(pk__in=[])
    if scope.officer_id:
        q |= Q(pk__in=served_station_ids(user))
    return rows.filter(q)


def stations_visible_to(user) -> QuerySet[OrgUnit]:
    """Stations whose page (ledger, officers, handover note) the user may open: the records' rule
    (household_scope_q) read for the station itself, its township or a station served today."""
    scope = scope_of(user)
    rows = OrgUnit.objects.filter(kind__in=STATION_KINDS, township__isnull=False)
    if scope.everything:
        return rows
    own = Q(pk__in=served_station_ids(user)) if scope.officer_id else Q(pk__in=[])
    return rows.filter(Q(township_id__in=scope.township_ids) | own)


def station_visible_to(user, station_id: int) -> OrgUnit:
    """One station of stations_visible_to; anything else raises DoesNotExist (a 404)."""
    return stations_visible_to(user).select_related("township").get(pk=station_id)


def station_officers(station: OrgUnit) -> QuerySet[StationAssignment]:
    """The officers stationed here today."""
    today = timezone.localdate()
    rows = StationAssignment.objects.filter(station=station, start__lte=today)
    return rows.filter(Q(end__isnull=True) | Q(end__gte=today)).select_related("officer").order_by("start", "id")


def latest_handover_note(station: OrgUnit) -> HandoverNote | None:
    return HandoverNote.objects.filter(station=station).select_related("author").first()


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "visit" or "case"
    day: datetime.date
    id: int  # the diary entry's or the case's id
    title: str
    text: str
    officer: str
    status: str
    status_label: str


SNIPPET = 120
TIMELINE_LIMIT = 200


def household_timeline(user, record: Household) -> list[TimelineItem]:
    """The record's visits and cases, newest first: only the entries and cases the user may see themselves."""
    visits = (
        Visit.objects.filter(household=record, entry__in=diaries_visible_to(user))
        .select_related("entry__officer")
        .order_by("-entry__visit_date", "-id")[:TIMELINE_LIMIT]
    )
    cases = (
        cases_visible_to(user)
        .filter(household=record)
        .select_related("officer")
        .order_by("-created_at")[:TIMELINE_LIMIT]
    )
    items = [
        TimelineItem(
            kind="visit", day=v.entry.visit_date, id=v.entry_id, title=v.entry.get_visit_type_display(),
            text=Truncator(v.entry.content).chars(SNIPPET), officer=str(v.entry.officer), status="", status_label="",
        )
        for v in visits
    ] + [
        TimelineItem(
            kind="case", day=timezone.localdate(c.created_at), id=c.pk, title=f"{c.code} {c.title}",
            text=Truncator(c.description).chars(SNIPPET), officer=str(c.officer or ""), status=c.status,
            status_label=c.get_status_display(),
        )
        for c in cases
    ]  # fmt: skip
    items.sort(key=lambda i: (i.day, i.kind == "case", i.id), reverse=True)
    return items[:TIMELINE_LIMIT]
