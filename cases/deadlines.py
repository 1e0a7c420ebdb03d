"""LIFECYCLE.md's deadline table, overridable per level × urgency × clock in the admin."""

import datetime
from typing import Protocol

from cases.choices import Clock, Level, Urgency
from cases.models import DeadlinePolicy
from core import tablecache, workdays

WD, WH, H, MIN = (DeadlinePolicy.Unit.WORKING_DAYS, DeadlinePolicy.Unit.WORKING_HOURS, DeadlinePolicy.Unit.HOURS,
                  DeadlinePolicy.Unit.MINUTES)  # fmt: skip

# clock → urgency → (amount, unit); the handle clock differs by level.
DEFAULTS: dict[str, dict[str, tuple[int, str]]] = {
    Clock.DISPATCH: {Urgency.NORMAL: (1, WD), Urgency.URGENT: (4, WH), Urgency.EMERGENCY: (1, H)},
    Clock.SIGN: {Urgency.NORMAL: (1, WD), Urgency.URGENT: (2, WH), Urgency.EMERGENCY: (30, MIN)},
    Clock.REVIEW: {Urgency.NORMAL: (1, WD), Urgency.URGENT: (4, WH), Urgency.EMERGENCY: (2, H)},
    Clock.FEEDBACK: {Urgency.NORMAL: (2, WD), Urgency.URGENT: (1, WD), Urgency.EMERGENCY: (4, H)},
    Clock.CALLBACK: {Urgency.NORMAL: (3, WD), Urgency.URGENT: (1, WD), Urgency.EMERGENCY: (1, WD)},
}
HANDLE_DEFAULTS = {
    Level.TOWNSHIP: {Urgency.NORMAL: (5, WD), Urgency.URGENT: (1, WD), Urgency.EMERGENCY: (24, H)},
    Level.CITY: {Urgency.NORMAL: (10, WD), Urgency.URGENT: (2, WD), Urgency.EMERGENCY: (24, H)},
}

# Extensions (LIFECYCLE.md): per case, at most two approved per level and
# twenty working days in all.
MAX_EXTENSIONS_PER_LEVEL = 2
MAX_EXTENSION_DAYS = 20


Overrides = dict[tuple[str, str, str], tuple[int, str]]


def overrides(**only: str) -> Overrides:
    """Every admin override by (level, urgency, clock): one query for a whole batch of deadlines.
    ``only`` narrows it (``level=``, ``urgency=``) when one case starts several clocks at once."""
    return {
        (level, urgency, clock): (amount, unit)
        for level, urgency, clock, amount, unit in DeadlinePolicy.objects.filter(**only).values_list(
            "level", "urgency", "clock", "amount", "unit"
        )
    }


def overrides_cached() -> Overrides:
    """``overrides()`` as this process last read it (core/tablecache.py): for writes on every request."""
    return tablecache.cached("deadline_policies", overrides)


tablecache.invalidated_by("deadline_policies", DeadlinePolicy)


def policy(level: str, urgency: str, clock: str, *, table: Overrides | None = None) -> tuple[int, str]:
    if table is not None:
        override = table.get((level, urgency, clock))
    else:
        override = (
            DeadlinePolicy.objects.filter(level=level, urgency=urgency, clock=clock)
            .values_list("amount", "unit")
            .first()
        )
    if override:
        return override
    if clock == Clock.HANDLE:
        return HANDLE_DEFAULTS.get(level, HANDLE_DEFAULTS[Level.TOWNSHIP])[urgency]
    return DEFAULTS[clock][urgency]


class WorkingCalendar(Protocol):
    """What ``add`` counts working time with: core.workdays itself, or a faster copy of its
    calendar for code that computes millions of deadlines (demo.bulk.calendar)."""

    def add_working_days(self, start: datetime.datetime, days: int) -> datetime.datetime: ...

    def add_working_hours(self, start: datetime.datetime, hours: float) -> datetime.datetime: ...


def add(start: datetime.datetime, amount: int, unit: str, *, calendar: WorkingCalendar = workdays) -> datetime.datetime:
    if unit == WD:
        return calendar.add_working_days(start, amount)
    if unit == WH:
        return calendar.add_working_hours(start, amount)
    if unit == H:
        return start + datetime.timedelta(hours=amount)
    return start + datetime.timedelta(minutes=amount)


def due(
    start: datetime.datetime,
    *,
    level: str,
    urgency: str,
    clock: str,
    table: Overrides | None = None,
    calendar: WorkingCalendar = workdays,
) -> datetime.datetime:
    """When ``clock`` runs out if it starts at ``start`` for a case of this level and urgency.

    ``table`` (from ``overrides()``) saves the policy query when many deadlines are computed at once.
    """
    amount, unit = policy(level, urgency, clock, table=table)
    return add(start, amount, unit, calendar=calendar)
