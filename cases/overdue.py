"""Overdue now: METRICS.md's ``overdue_open``, defined once.

The dashboard's figure, the case list's 超期 tabs and ``overdue`` filter, the
exports and the monthly report all ask this one predicate, so a figure and
the list it links to always show the same cases. ``Case.overdue`` is only the
sweep's record of what it already flagged and notified: it lags the deadline
by up to one sweep and misses clocks the sweep does not watch, so nothing
that lists or counts cases reads it.
"""

import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from cases.choices import Status


def overdue_now(now: datetime.datetime | None = None) -> Q:
    """Open cases whose running clock (``Case.clock``, the one their status waits on, LIFECYCLE.md) is past
    its deadline ``due_at`` at ``now`` (METRICS.md, ``overdue_open``).

    ``status <> closed`` rather than ``status IN (open)`` so PostgreSQL can use the partial index
    ``case_open_due``, whose condition is written the same way. A case on hold (挂账, ``held_since``)
    is never overdue: its clocks stopped (OVERSIGHT.md).
    """
    return ~Q(status=Status.CLOSED) & Q(held_since__isnull=True) & Q(due_at__lt=now or timezone.now())


def overdue_at(case, now: datetime.datetime) -> bool:
    """``overdue_now`` for one case already in memory (an action's answer, after its clock moved)."""
    return case.status != Status.CLOSED and case.held_since is None and case.due_at is not None and case.due_at < now


def is_overdue(now: datetime.datetime | None = None) -> ExpressionWrapper:
    """``overdue_now`` as a column, for rows that show whether they are overdue."""
    return ExpressionWrapper(overdue_now(now), output_field=BooleanField())


def filter_overdue(cases: QuerySet, value: bool) -> QuerySet:
    """The ``overdue`` yes/no filter of the case list and its export: overdue now, or not."""
    return cases.filter(overdue_now()) if value else cases.exclude(overdue_now())


def held_now() -> Q:
    """Open cases on hold (挂账): their clocks stopped, counted apart from the overdue and the on-time."""
    return ~Q(status=Status.CLOSED) & Q(held_since__isnull=False)


def filter_held(cases: QuerySet, value: bool) -> QuerySet:
    """The ``held`` yes/no filter of the case list: on hold now, or not."""
    return cases.filter(held_now()) if value else cases.exclude(held_now())
