"""Working-day arithmetic on the Chinese official calendar, Asia/Shanghai.

A working day runs from 08:30 to 12:00 and 13:30 to 17:30 (7.5 hours).
"N working days" from a moment is the same time of day N working days
later; "N working hours" counts only time inside working hours. A clock
started outside working hours starts at the next opening.
"""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.utils import timezone

# (start, end) of each working period in a day.
PERIODS = ((datetime.time(8, 30), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(17, 30)))
HOURS_PER_DAY = (
    sum(
        (datetime.datetime.combine(datetime.date.min, b) - datetime.datetime.combine(datetime.date.min, a)).seconds
        for a, b in PERIODS
    )
    / 3600
)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=1)
def _overrides_cached(version: int) -> dict[datetime.date, bool]:
    from core.models import WorkdayOverride

    return dict(WorkdayOverride.objects.values_list("date", "is_working_day"))


_version = 0


def overrides_changed() -> None:
    """Call after WorkdayOverride rows change (the admin does) to drop the cache."""
    global _version
    _version += 1


@lru_cache(maxsize=4096)
def _official(day: datetime.date) -> bool:
    """The published calendar never changes for a date; dashboards ask it thousands of times a request."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the library does not know yet and no admin has entered:
        # fall back to Monday–Friday rather than refusing to count.
        return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    override = _overrides_cached(_version).get(day)
    if override is not None:
        return override
    return _official(day)


def next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, t: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, t, tzinfo=_tz())


def _opening_at_or_after(moment: datetime.datetime) -> datetime.datetime:
    """The first working instant at or after ``moment`` (local time)."""
    day = moment.date()
    while True:
        if is_working_day(day):
            for start, end in PERIODS:
                if moment < _at(day, end):
                    return max(moment, _at(day, start))
        day += datetime.timedelta(days=1)
        moment = _at(day, PERIODS[0][0])


def add_working_hours(start: datetime.datetime, hours: float) -> datetime.datetime:
    remaining = datetime.timedelta(hours=hours)
    moment = _opening_at_or_after(timezone.localtime(start, _tz()))
    while True:
        for period_start, period_end in PERIODS:
            end = _at(moment.date(), period_end)
            if moment >= end:
                continue
            moment = max(moment, _at(moment.date(), period_start))
            room = end - moment
            if remaining <= room:
                return moment + remaining
            remaining -= room
            moment = end
        moment = _opening_at_or_after(_at(next_working_day(moment.date()), PERIODS[0][0]))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """Same local time ``days`` working days after the clock starts."""
    moment = _opening_at_or_after(timezone.localtime(start, _tz()))
    day = moment.date()
    for _ in range(days):
        day = next_working_day(day)
    return _at(day, moment.timetz().replace(tzinfo=None))


def working_hours_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Working hours elapsed from ``start`` to ``end`` (0 when end is earlier)."""
    tz = _tz()
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if end <= start:
        return 0.0
    first, last = start.date(), end.date()
    total = _worked_within(first, start, end)
    if last != first:
        total += _worked_within(last, start, end)
        # Days strictly between the two ends are whole working days or nothing:
        # no clock arithmetic for them (the dashboards run this for every approval).
        day, whole = first + datetime.timedelta(days=1), 0
        while day < last:
            whole += is_working_day(day)
            day += datetime.timedelta(days=1)
        total += datetime.timedelta(hours=HOURS_PER_DAY) * whole
    return total.total_seconds() / 3600


def _worked_within(day: datetime.date, start: datetime.datetime, end: datetime.datetime) -> datetime.timedelta:
    """Working time of one day that falls between ``start`` and ``end`` (both already in local time)."""
    total = datetime.timedelta()
    if is_working_day(day):
        # start's zone is the local one: reusing it spares a settings lookup per boundary (hot in dashboards).
        local = start.tzinfo
        for a, b in PERIODS:
            lo = max(start, datetime.datetime.combine(day, a, tzinfo=local))
            hi = min(end, datetime.datetime.combine(day, b, tzinfo=local))
            if hi > lo:
                total += hi - lo
    return total
