"""Counting METRICS.md's numerators and denominators straight from the case and diary tables.

Cases marked 无效 (``Case.invalid``) count nowhere: every case source below leaves them out.

These functions are the only definition of each counter. The nightly
roll-up stores their result per day; the live part of a dashboard (today,
and any day not rolled up yet) and the officer figures call them directly.
Rows come back per day (Asia/Shanghai) and dimension so callers can group
them any way they like.
"""

import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate

from cases.choices import CallbackChannel, Level, Satisfaction, Status
from cases.models import Callback, Case, Dispatch, Feedback
from dashboards.selection import CALLBACK_FIELDS, CASE_FIELDS, DIARY_FIELDS, DISPATCH_FIELDS
from diaries.models import DiaryEntry

CASE_MEASURES = (
    "raised", "solved_on_site", "closed", "closed_on_time", "closed_with_feedback",
    "dispatches", "responded", "returned",
    "callbacks_reached", "callbacks_solved", "callbacks_answered", "callbacks_satisfied", "callbacks_self",
    "replies_approved", "handle_hours",
)  # fmt: skip
DIARY_MEASURES = ("diaries", "household_visits", "enterprise_visits")
CASE_DIMS = ("day", "city", "township", "unit", "category")
DIARY_DIMS = ("day", "city", "township", "unit", "officer")

Where = Callable[[dict], Q]


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz())


Spans = list[tuple[datetime.date, datetime.date]]


def _within(field: str, spans: Spans) -> Q:
    """``field`` inside any of the (first, last) day spans: one query however many gaps the roll-up has."""
    q = Q(pk__in=[])
    for first, last in spans:
        q |= Q(**{f"{field}__gte": day_start(first), f"{field}__lt": day_start(last + datetime.timedelta(days=1))})
    return q


def raised_within(first: datetime.date, last: datetime.date) -> Q:
    """Cases raised on the days first..last: the period of "raised", and of the case list's date filters."""
    return _within("created_at", [(first, last)])


def _dims(day_field: str, fields: dict, dims: tuple[str, ...]) -> dict:
    return {f"dim_{d}": TruncDate(day_field, tzinfo=tz()) if d == "day" else F(fields[d]) for d in dims}


def _grouped(qs, counters: dict, day_field: str, fields: dict, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """One row per combination of ``dims`` (a day and the dimensions, by default) of the counters' queryset."""
    rows = []
    for r in qs.values(**_dims(day_field, fields, dims)).annotate(**counters).order_by():
        row = {dim: r[f"dim_{dim}"] for dim in dims}
        row.update({m: r[m] or 0 for m in counters})
        rows.append(row)
    return rows


def _total(qs, counters: dict, day_field: str, fields: dict) -> dict:
    """The same counters over the whole queryset, in one row."""
    return {m: v or 0 for m, v in qs.aggregate(**counters).items()}


def late_dispatches():
    """Dispatches of the outer case whose handle deadline was missed.

    A returned dispatch had no handle clock to meet (退单 counts against the
    response, not the handling). A replied one is late when the current
    reply came after the deadline (extensions have already moved it). One
    neither replied nor returned was taken away (escalated): late only when
    the unit still held it at its deadline.
    """
    taken_in_time = Dispatch.objects.filter(
        case=OuterRef("case"), dispatched_at__gt=OuterRef("dispatched_at"), dispatched_at__lte=OuterRef("handle_due")
    )
    return Dispatch.objects.filter(case=OuterRef("pk"), returned_at__isnull=True).filter(
        Q(replied_at__gt=F("handle_due")) | Q(replied_at__isnull=True) & Q(~Exists(taken_in_time))
    )


def _raised(spans: Spans, where: Where):
    closed = Q(status=Status.CLOSED)
    qs = (
        Case.objects.filter(_within("created_at", spans), invalid=False)
        .filter(where(CASE_FIELDS))
        .alias(late=Exists(late_dispatches()), told=Exists(Feedback.objects.filter(case=OuterRef("pk"))))
    )
    counters = {
        "raised": Count("id"),
        "solved_on_site": Count("id", filter=Q(level=Level.ONSITE)),
        "closed": Count("id", filter=closed),
        "closed_on_time": Count("id", filter=closed & Q(late=False)),
        "closed_with_feedback": Count("id", filter=closed & Q(told=True)),
    }
    return qs, counters, "created_at", CASE_FIELDS


def raised_rows(spans: Spans, where: Where, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """Cases raised in the days, and what became of them since (METRICS.md: "of raised")."""
    return _grouped(*_raised(spans, where), dims)


def _dispatched(spans: Spans, where: Where):
    in_time = Q(signed_at__isnull=False, signed_at__lte=F("sign_due")) | Q(
        returned_at__isnull=False, returned_at__lte=F("sign_due")
    )
    qs = Dispatch.objects.filter(_within("dispatched_at", spans), case__invalid=False).filter(where(DISPATCH_FIELDS))
    counters = {
        "dispatches": Count("id"),
        "responded": Count("id", filter=in_time),
        "returned": Count("id", filter=Q(returned_at__isnull=False)),
    }
    return qs, counters, "dispatched_at", DISPATCH_FIELDS


def dispatch_rows(spans: Spans, where: Where, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """Dispatches made in the days: signed for (or returned) by the sign-for deadline, returned."""
    return _grouped(*_dispatched(spans, where), dims)


def _called_back(spans: Spans, where: Where):
    satisfied = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
    qs = Callback.objects.filter(_within("at", spans), case__invalid=False).filter(where(CALLBACK_FIELDS))
    counters = {
        "callbacks_reached": Count("id", filter=Q(reached=True)),
        "callbacks_solved": Count("id", filter=Q(reached=True, solved=True)),
        "callbacks_answered": Count("id", filter=~Q(satisfaction="")),
        "callbacks_satisfied": Count("id", filter=Q(satisfaction__in=satisfied)),
        # 群众自评: the resident rated their own request (residents.rating); counted in the two rates above too.
        "callbacks_self": Count("id", filter=Q(channel=CallbackChannel.SELF)),
    }
    return qs, counters, "at", CALLBACK_FIELDS


def callback_rows(spans: Spans, where: Where, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """Callbacks made in the days: 解决率 and 满意率 counters."""
    return _grouped(*_called_back(spans, where), dims)


def _approved(spans: Spans, where: Where):
    return Dispatch.objects.filter(_within("approved_at", spans), case__invalid=False).filter(where(DISPATCH_FIELDS))


# handle_hours is fixed when a reply is approved (cases.services.closing), so SQL can sum it.
_APPROVED_COUNTERS = {"replies_approved": Count("id"), "handle_hours": Sum("handle_hours")}


def approval_rows(spans: Spans, where: Where, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """Replies approved in the days, with the working hours from dispatch to reply."""
    return _grouped(_approved(spans, where), _APPROVED_COUNTERS, "approved_at", DISPATCH_FIELDS, dims)


def case_totals(spans: Spans, where: Where) -> dict:
    """Every case counter of the days summed in the database: what case_rows would add up to, without the rows."""
    totals = dict.fromkeys(CASE_MEASURES, 0)
    if not spans:
        return totals
    for part in (_raised, _dispatched, _called_back):
        totals.update(_total(*part(spans, where)))
    totals.update(_total(_approved(spans, where), _APPROVED_COUNTERS, "approved_at", DISPATCH_FIELDS))
    return totals


def case_rows(spans: Spans, where: Where, dims: tuple[str, ...] = CASE_DIMS) -> list[dict]:
    """Every case counter of the days, one row per day and dimension combination, or per combination
    of ``dims`` (the officer figures ask for ("officer",): the roll-up keeps no officer)."""
    if not spans:
        return []
    merged: dict[tuple, dict] = {}
    for part in (raised_rows, dispatch_rows, callback_rows, approval_rows):
        for r in part(spans, where, dims):
            key = tuple(r[d] for d in dims)
            row = merged.get(key)
            if row is None:
                row = merged[key] = {**{d: r[d] for d in dims}, **dict.fromkeys(CASE_MEASURES, 0)}
            for m in CASE_MEASURES:
                row[m] += r.get(m, 0)
    return list(merged.values())


_DIARY_COUNTERS = {
    "diaries": Count("id"),
    "household_visits": Sum("household_visits"),
    "enterprise_visits": Sum("enterprise_visits"),
}


def _diaries(spans: Spans, where: Where):
    dated = Q(pk__in=[])
    for first, last in spans:
        dated |= Q(visit_date__gte=first, visit_date__lte=last)
    return DiaryEntry.objects.filter(dated).filter(where(DIARY_FIELDS))


def diary_rows(spans: Spans, where: Where) -> list[dict]:
    """Diary entries dated in the days and their visits, per day, township and officer."""
    if not spans:
        return []
    qs = (
        _diaries(spans, where)
        .values(
            dim_day=F("visit_date"),
            dim_city=F("city_id"),
            dim_township=F("township_id"),
            dim_unit=F("officer__org_unit_id"),
            dim_officer=F("officer_id"),
        )
        .annotate(**_DIARY_COUNTERS)
        .order_by()
    )
    return [{**{d: r[f"dim_{d}"] for d in DIARY_DIMS}, **{m: r[m] or 0 for m in DIARY_MEASURES}} for r in qs]


def diary_totals(spans: Spans, where: Where) -> tuple[dict, set[int]]:
    """The diary counters of the days summed in the database, and the officers who wrote them."""
    if not spans:
        return dict.fromkeys(DIARY_MEASURES, 0), set()
    diaries = _diaries(spans, where)
    if connection.vendor == "postgresql":
        # One round trip: the officers come back as an array beside the sums.
        row = diaries.aggregate(**_DIARY_COUNTERS, officers=ArrayAgg("officer_id", distinct=True, default=Value([])))
        officers = set(row["officers"])
    else:
        # SQLite (the embedded default) has no arrays: a second, plain query.
        row = diaries.aggregate(**_DIARY_COUNTERS)
        officers = set(diaries.order_by().values_list("officer_id", flat=True).distinct())
    return {m: row[m] or 0 for m in DIARY_MEASURES}, officers
