"""The nightly roll-up: a day's counters, stored at four grains, numerators and denominators only."""

import datetime
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import OrgUnit
from cases.models import Callback, CaseEvent, Dispatch
from dashboards import facts
from dashboards.models import (
    CaseGrain,
    CaseStatDay,
    CoverageDay,
    DiaryGrain,
    DiaryStatDay,
    OfficerMonth,
    RolledDay,
    RollupRun,
)
from diaries.models import DiaryEntry
from households import coverage

log = logging.getLogger(__name__)

# The dimensions each grain keeps (city and township are in all of them).
CASE_GRAIN_DIMS = {
    CaseGrain.TOWNSHIP: ("city", "township"),
    CaseGrain.UNIT: ("city", "township", "unit"),
    CaseGrain.CATEGORY: ("city", "township", "category"),
    CaseGrain.UNIT_CATEGORY: ("city", "township", "unit", "category"),
}
DIARY_GRAIN_DIMS = {
    DiaryGrain.TOWNSHIP: ("city", "township"),
    DiaryGrain.OFFICER: ("city", "township", "unit", "officer"),
}


def _everything(fields: dict) -> Q:
    return Q()


def _fold(rows: list[dict], dims: tuple[str, ...], measures: tuple[str, ...]) -> list[dict]:
    folded: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(measures, 0))
    for row in rows:
        target = folded[tuple(row[d] for d in dims)]
        for m in measures:
            target[m] += row[m]
    return [{**dict(zip(dims, key, strict=True)), **values} for key, values in folded.items()]


def _stat_rows(model, grain: str, day: datetime.date, rows: list[dict]) -> list:
    return [model(day=day, grain=grain, **{f"{k}_id" if k in ("city", "township", "unit", "category", "officer")
                                           else k: v for k, v in row.items()}) for row in rows]  # fmt: skip


def rollup_day(day: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """Recount ``day`` from the raw tables and replace its stored figures. Safe to run again.

    Returns the number of rows written. A day that is not over yet is
    refused: today is always counted live.
    """
    now = now or timezone.now()
    if day >= timezone.localdate(now):
        raise ValueError(f"{day} is not over yet; today's figures are counted live")
    case_rows = facts.case_rows([(day, day)], _everything)
    diary_rows = facts.diary_rows([(day, day)], _everything)
    objects: list = []
    for grain, dims in CASE_GRAIN_DIMS.items():
        objects += _stat_rows(CaseStatDay, grain, day, _fold(case_rows, dims, facts.CASE_MEASURES))
    diary_objects = []
    for grain, dims in DIARY_GRAIN_DIMS.items():
        diary_objects += _stat_rows(DiaryStatDay, grain, day, _fold(diary_rows, dims, facts.DIARY_MEASURES))
    coverage_objects = coverage_rows(day)
    with transaction.atomic():
        # Two runs of the same day queue here instead of both inserting.
        RolledDay.objects.select_for_update().get_or_create(day=day, defaults={"rolled_at": now})
        CaseStatDay.objects.filter(day=day).delete()
        DiaryStatDay.objects.filter(day=day).delete()
        CoverageDay.objects.filter(day=day).delete()
        CaseStatDay.objects.bulk_create(objects, batch_size=2000)
        DiaryStatDay.objects.bulk_create(diary_objects, batch_size=2000)
        CoverageDay.objects.bulk_create(coverage_objects, batch_size=2000)
        RolledDay.objects.filter(day=day).update(rolled_at=now, coverage=True)
        officer_months_rebuild(first=day.replace(day=1), last=day)
    return len(objects) + len(diary_objects) + len(coverage_objects)


def coverage_rows(day: datetime.date) -> list[CoverageDay]:
    """Each station's coverage at the end of ``day``: the state, and the records visited in the year and month to it."""
    counted = coverage.snapshot(day)
    stations = OrgUnit.objects.filter(pk__in=list(counted)).values_list("pk", "township_id", "city_id")
    return [
        CoverageDay(
            day=day,
            station_id=station,
            township_id=township,
            city_id=city,
            households=n["households"],
            key_households=n["key_households"],
            key_on_time=n["key_on_time"],
            visited_year=n["households_visited"],
            visited_month=n["visited_month"],
        )  # fmt: skip
        for station, township, city in stations
        for n in [counted[station]]
    ]


# Bit d-1 for each day d of the month with an officer row; grouped like DiaryStatDay's officer grain.
OFFICER_MONTHS_SQL = """
    INSERT INTO dashboards_officermonth (month, city_id, township_id, unit_id, officer_id, days)
    SELECT CAST(date_trunc('month', day) AS date), city_id, township_id, unit_id, officer_id,
           bit_or(1 << (CAST(extract(day FROM day) AS integer) - 1))
    FROM dashboards_diarystatday
    WHERE grain = %(grain)s AND day >= %(first)s AND day < %(after)s
    GROUP BY 1, 2, 3, 4, 5
"""


def officer_months_rebuild(*, first: datetime.date, last: datetime.date) -> None:
    """Rebuild OfficerMonth for every month from ``first``'s to ``last``'s out of DiaryStatDay's officer rows."""
    first = first.replace(day=1)
    after = (last.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        OfficerMonth.objects.filter(month__gte=first, month__lt=after).delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(OFFICER_MONTHS_SQL, {"grain": DiaryGrain.OFFICER, "first": first, "after": after})
        else:
            # SQLite (the embedded default) has no bit_or: fold the same rows in Python.
            OfficerMonth.objects.bulk_create(_officer_months(first, after), batch_size=2000)


def _officer_months(first: datetime.date, after: datetime.date) -> list:
    months: dict[tuple, int] = {}
    rows = DiaryStatDay.objects.filter(grain=DiaryGrain.OFFICER, day__gte=first, day__lt=after).values_list(
        "day", "city_id", "township_id", "unit_id", "officer_id"
    )
    for day, *dims in rows:
        key = (day.replace(day=1), *dims)
        months[key] = months.get(key, 0) | 1 << (day.day - 1)
    return [
        OfficerMonth(month=month, city_id=city, township_id=township, unit_id=unit, officer_id=officer, days=days)
        for (month, city, township, unit, officer), days in months.items()
    ]


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def changed_days(since: datetime.datetime, until: datetime.date) -> set[datetime.date]:
    """Days before ``until`` whose stored figures may be out of date because of work done since ``since``.

    Every case action writes a timeline event, so the cases touched since
    the last run are the ones with an event since then; each of them may
    change the day it was raised, the days of its dispatches, approvals and
    callbacks. Diary entries may be written up to 30 days after their date.
    """
    touched = CaseEvent.objects.filter(created_at__gte=since).values("case_id")
    days: set[datetime.date] = set()
    for raised in CaseEvent.objects.filter(created_at__gte=since).values_list("case__created_at", flat=True).distinct():
        days.add(_local_day(raised))
    for row in Dispatch.objects.filter(case_id__in=touched).values_list("dispatched_at", "approved_at"):
        days.update(_local_day(m) for m in row)
    for at in Callback.objects.filter(case_id__in=touched).values_list("at", flat=True):
        days.add(_local_day(at))
    days.update(DiaryEntry.objects.filter(created_at__gte=since).values_list("visit_date", flat=True).distinct())
    return {d for d in days if d is not None and d < until}


def _drop_stale_coverage(since: datetime.datetime, rolled: set[datetime.date]) -> None:
    """A diary written since ``since`` for an earlier day may link a visit that every later day's
    coverage snapshot (year and month to date) should count: those days are counted exactly again
    (RolledDay.coverage off) until they are rolled up anew."""
    first = DiaryEntry.objects.filter(created_at__gte=since, visits__household__isnull=False).aggregate(
        first=Min("visit_date")
    )["first"]
    if first is not None:
        RolledDay.objects.filter(day__gt=first, coverage=True).exclude(day__in=rolled).update(coverage=False)


def rollup_nightly(*, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Yesterday, plus every earlier day changed since the previous run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    previous = RollupRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()
    run = RollupRun.objects.create(started_at=now)
    days = {today - datetime.timedelta(days=1)}
    if previous is not None:
        days |= changed_days(previous.started_at, today)
    for day in sorted(days):
        rollup_day(day, now=now)
    if previous is not None:
        _drop_stale_coverage(previous.started_at, days)
    run.days = [d.isoformat() for d in sorted(days)]
    run.finished_at = timezone.now()
    run.save(update_fields=["days", "finished_at"])
    log.info("rolled up %d day(s)", len(days))
    return sorted(days)
