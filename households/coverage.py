"""Coverage of the ledger (METRICS.md `households` .. `key_followup_rate`), defined once.

Four counters per group, for a period [date_from, date_to]:

- ``households``: records active on date_to (created by then; still active, or made inactive
  after it);
- ``key_households``: of those, records with a visit interval (key records);
- ``households_visited``: of those, records with at least one linked visit dated in the period;
- ``key_on_time``: key records with a linked visit within their interval before date_to
  (date_to - interval <= visit <= date_to).

The rates (coverage_rate, key_followup_rate) are derived by dashboards.metrics.

``counts`` is the exact definition from the raw tables (records and linked visits). When the
period ends today or later the stored schedule fields (households.services keeps
last_visit_on / next_visit_due in step with linked visits) answer the same question without
touching the visits: ``counts_now``. Both are tested equal, and so is the nightly roll-up
(dashboards.models.CoverageDay) that stores ``counts`` per station for a day.
"""

import datetime

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.utils import timezone

from diaries.models import Visit
from households.models import Household, RecordStatus

COUNTERS = ("households", "key_households", "households_visited", "key_on_time")
# Group keys a caller may ask for, and the column each reads.
GROUP_COLUMNS = {None: None, "city": "city_id", "township": "township_id", "station": "station_id"}


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def active_on(day: datetime.date) -> Q:
    """Records active at the end of ``day``: created by then, and not made inactive on or before it."""
    created = Q(created_at__lt=_day_start(day + datetime.timedelta(days=1)))
    return created & (Q(status=RecordStatus.ACTIVE) | Q(inactive_since__gt=day))


def visited_between(date_from: datetime.date, date_to: datetime.date) -> Exists:
    """The outer record has a linked visit dated date_from..date_to."""
    return Exists(
        Visit.objects.filter(household=OuterRef("pk"), entry__visit_date__gte=date_from, entry__visit_date__lte=date_to)
    )


def on_time_at(day: datetime.date) -> Exists:
    """The outer (key) record has a linked visit within its interval before ``day``."""
    # PostgreSQL: date - integer is a date; the interval is the outer record's own.
    since = ExpressionWrapper(Value(day, output_field=DateField()) - OuterRef("interval_days"), DateField())
    return Exists(
        Visit.objects.filter(household=OuterRef("pk"), entry__visit_date__lte=day, entry__visit_date__gte=since)
    )


def _grouped(qs, by: str | None, counters: dict) -> dict:
    column = GROUP_COLUMNS[by]
    if column is None:
        row = qs.aggregate(**counters)
        return {None: {k: row[k] or 0 for k in COUNTERS}}
    rows = qs.values(key=F(column)).annotate(**counters).order_by()
    return {r["key"]: {k: r[k] or 0 for k in COUNTERS} for r in rows}


def counts(where: Q, date_from: datetime.date, date_to: datetime.date, *, by: str | None = None) -> dict:
    """The exact counters from the raw tables: {group key: {counter: n}} (None for the total)."""
    key = Q(interval_days__isnull=False)
    qs = (
        Household.objects.filter(where)
        .filter(active_on(date_to))
        .alias(seen=visited_between(date_from, date_to), kept=on_time_at(date_to))
    )
    counters = {
        "households": Count("id"),
        "key_households": Count("id", filter=key),
        "households_visited": Count("id", filter=Q(seen=True)),
        "key_on_time": Count("id", filter=key & Q(kept=True)),
    }
    return _grouped(qs, by, counters)


def snapshot(day: datetime.date) -> dict:
    """Per station, in one pass: ``counts`` of the year to ``day`` and the month's visited records
    (``visited_month``); what the nightly roll-up stores for the day."""
    key = Q(interval_days__isnull=False)
    qs = (
        Household.objects.filter(active_on(day))
        .alias(
            year=visited_between(day.replace(month=1, day=1), day),
            month=visited_between(day.replace(day=1), day),
            kept=on_time_at(day),
        )
        .values("station_id")
        .annotate(
            households=Count("id"),
            key_households=Count("id", filter=key),
            households_visited=Count("id", filter=Q(year=True)),
            visited_month=Count("id", filter=Q(month=True)),
            key_on_time=Count("id", filter=key & Q(kept=True)),
        )
        .order_by()
    )
    return {r.pop("station_id"): r for r in qs}


def counts_now(where: Q, date_from: datetime.date, today: datetime.date, *, by: str | None = None) -> dict:
    """The same counters for a period ending ``today``, from the stored schedule fields alone."""
    key = Q(interval_days__isnull=False)
    seen = Q(last_visit_on__gte=date_from, last_visit_on__lte=today)
    kept = key & Q(last_visit_on__isnull=False, last_visit_on__lte=today, next_visit_due__gte=today)
    qs = Household.objects.filter(where).filter(status=RecordStatus.ACTIVE)
    counters = {
        "households": Count("id"),
        "key_households": Count("id", filter=key),
        "households_visited": Count("id", filter=seen),
        "key_on_time": Count("id", filter=kept),
    }
    return _grouped(qs, by, counters)


def listed(where: Q, figure: str, date_from: datetime.date, date_to: datetime.date):
    """The records a figure counts, or its complement a planner acts on (not visited, key overdue)."""
    qs = Household.objects.filter(where).filter(active_on(date_to))
    if figure == "households":
        return qs
    if figure == "key_households":
        return qs.filter(interval_days__isnull=False)
    seen = visited_between(date_from, date_to)
    if figure == "households_visited":
        return qs.filter(seen)
    if figure == "not_visited":
        return qs.filter(~seen)
    key = qs.filter(interval_days__isnull=False)
    if figure == "key_on_time":
        return key.filter(on_time_at(date_to))
    if figure == "key_overdue":
        return key.filter(~on_time_at(date_to))
    raise ValueError(figure)


LIST_FIGURES = ("households", "households_visited", "not_visited", "key_households", "key_on_time", "key_overdue")
