"""METRICS.md, once: every figure for a Selection, in total or grouped.

Counters come from two places that hold the same numbers: the daily
roll-up tables for days that are over and have been rolled up, and
dashboards.facts (the raw tables) for today and any day not rolled up yet.
Both are summed into ``Facts``; the rates are derived at the very end, so a
rate is never averaged and is null when its denominator is 0.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from accounts.models import StationAssignment
from cases.choices import Clock
from cases.models import Case
from cases.overdue import held_now, overdue_now
from dashboards import facts
from dashboards.models import CaseGrain, CaseStatDay, CoverageDay, DiaryGrain, DiaryStatDay, OfficerMonth, RolledDay
from dashboards.selection import (
    ASSIGNMENT_FIELDS,
    CASE_FIELDS,
    CASE_STAT_FIELDS,
    DIARY_STAT_FIELDS,
    HOUSEHOLD_FIELDS,
    Selection,
)
from households import coverage

# Groupings a breakdown can ask for.
BY_DIMENSION = ("township", "unit", "category", "officer")
BY_TIME = ("day", "week", "month")

RATES = {
    # key: (numerator, denominator)
    "completion_rate": ("closed", "raised"),
    "on_time_rate": ("closed_on_time", "closed"),
    "response_rate": ("responded", "dispatches"),
    "return_rate": ("returned", "dispatches"),
    "feedback_rate": ("closed_with_feedback", "closed"),
    "resolution_rate": ("callbacks_solved", "callbacks_reached"),
    "satisfaction_rate": ("callbacks_satisfied", "callbacks_answered"),
}
METRIC_KEYS = (
    "diaries", "household_visits", "enterprise_visits", "officers", "active_officers",
    "raised", "solved_on_site", "closed", "completion_rate", "on_time_rate", "response_rate",
    "return_rate", "feedback_rate", "resolution_rate", "satisfaction_rate", "resident_rated", "overdue_open",
    "avg_handle_hours", "households", "households_visited", "coverage_rate", "key_households",
    "key_followup_rate",
)  # fmt: skip
# Extra counters answered beside METRICS.md's keys (the rankings need them; key_on_time opens "key overdue").
EXTRA_KEYS = ("dispatches", "returned", "replies_approved", "key_on_time")


def ratio(numerator: float, denominator: float, digits: int = 4) -> float | None:
    return round(numerator / denominator, digits) if denominator else None


@dataclass
class Facts:
    """Summed counters of one group; None where a figure does not apply to it."""

    cases: dict[str, float] | None = None
    diaries: dict[str, int] | None = None
    active: set[int] | None = None
    officers: int | None = None
    overdue_open: int | None = None
    overdue_by_clock: dict[str, int] | None = None
    held: int | None = None  # 挂账: on hold now, neither overdue nor on time
    coverage: dict[str, int] | None = None  # households.coverage.COUNTERS

    def add_cases(self, row: dict, sign: int = 1) -> None:
        if self.cases is None:
            self.cases = dict.fromkeys(facts.CASE_MEASURES, 0)
        for m in facts.CASE_MEASURES:
            self.cases[m] += sign * (row.get(m) or 0)

    def add_diaries(self, row: dict) -> None:
        if self.diaries is None:
            self.diaries = dict.fromkeys(facts.DIARY_MEASURES, 0)
        for m in facts.DIARY_MEASURES:
            self.diaries[m] += row.get(m) or 0

    def figures(self) -> dict:
        out: dict = dict.fromkeys((*METRIC_KEYS, *EXTRA_KEYS))
        if self.diaries is not None:
            out.update(self.diaries)
        if self.active is not None:
            out["active_officers"] = len(self.active)
        out["officers"], out["overdue_open"] = self.officers, self.overdue_open
        out["overdue_by_clock"] = self.overdue_by_clock
        out["held"] = self.held
        c = self.cases
        if c is not None:
            for key in ("raised", "solved_on_site", "closed", "dispatches", "returned", "replies_approved"):
                out[key] = int(c[key])
            for key, (num, den) in RATES.items():
                out[key] = ratio(c[num], c[den])
            out["avg_handle_hours"] = ratio(c["handle_hours"], c["replies_approved"], 2)
            out["resident_rated"] = int(c["callbacks_self"])
        if self.coverage is not None:
            out.update(self.coverage)
            out["coverage_rate"] = ratio(self.coverage["households_visited"], self.coverage["households"])
            out["key_followup_rate"] = ratio(self.coverage["key_on_time"], self.coverage["key_households"])
        return out


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _ranges(days: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Contiguous runs of sorted days, as (first, last) pairs."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if runs and runs[-1][1] + datetime.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _time_key(by: str, day: datetime.date):
    if by == "week":
        return day - datetime.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    return day


def _row_key(by: str | None, row: dict):
    if by is None:
        return None
    if by in BY_TIME:
        return _time_key(by, row["day"])
    return row.get(by)


def _stat_key(by: str | None):
    if by == "week":
        return TruncWeek("day")
    if by == "month":
        return TruncMonth("day")
    if by == "day":
        return F("day")
    return F(f"{by}_id")


def _case_grain(dims: set[str]) -> str:
    if {"unit", "category"} <= dims:
        return CaseGrain.UNIT_CATEGORY
    if "unit" in dims:
        return CaseGrain.UNIT
    if "category" in dims:
        return CaseGrain.CATEGORY
    return CaseGrain.TOWNSHIP


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


class _Plan:
    """Which days come from the roll-up and which are counted live, for one Selection."""

    def __init__(self, sel: Selection, now: datetime.datetime | None):
        today = _today(now)
        last_closed_day = min(sel.date_to, today - datetime.timedelta(days=1))
        self.direct = bool(sel.officer_id) or not sel.area.rolls_up
        if self.direct or sel.date_from > last_closed_day:
            rolled: set[datetime.date] = set()
        else:
            rolled = set(
                RolledDay.objects.filter(day__gte=sel.date_from, day__lte=last_closed_day).values_list("day", flat=True)
            )
        self.rolled_until = last_closed_day if rolled else None
        self.rolled = _ranges(sorted(rolled))
        span = (min(sel.date_to, today) - sel.date_from).days + 1
        live = [sel.date_from + datetime.timedelta(days=i) for i in range(max(span, 0))]
        self.live = _ranges([d for d in live if d not in rolled])
        # Every day of the period up to today: what is counted from the raw tables when the
        # roll-up cannot answer at all (case figures per officer).
        self.whole = _ranges(live)


class Metrics:
    """The figures of one Selection; the plan and the live rows are read once and shared by every grouping."""

    def __init__(
        self,
        sel: Selection,
        *,
        now: datetime.datetime | None = None,
        total_only: bool = False,
        overdue_of_raised: bool = False,
    ):
        # total_only: only the ungrouped total will be asked for, so the live part is summed by the
        # database instead of coming back as rows that a grouping could share.
        # overdue_of_raised: overdue_open counts the period's own cases overdue now (a month's report,
        # beside that month's raised), not every case overdue now (a dashboard).
        self.sel, self.now, self.total_only = sel, now, total_only
        # Cases left out (Selection.left_out): the raw tables leave them out in SQL; the roll-ups know no
        # single case, so on rolled-up days their own counters are read (by index: they are few) and
        # taken away.
        self.base = sel.narrowed(left_out=None)
        self.overdue_of_raised = overdue_of_raised
        self._plan: _Plan | None = None
        self._live: dict[str, list] = {}

    @property
    def plan(self) -> _Plan:
        if self._plan is None:
            self._plan = _Plan(self.sel, self.now)
        return self._plan

    def _live_rows(self, side: str) -> list[dict]:
        if side not in self._live:
            read = facts.case_rows if side == "cases" else facts.diary_rows
            self._live[side] = read(self.plan.live, self.sel.q)
        return self._live[side]

    def _officer_case_rows(self) -> list[dict]:
        # The case roll-up keeps no officer, so an officer's case figures are counted from the raw
        # tables over the whole period, grouped by officer alone (one row each, not one per day).
        return facts.case_rows(self.plan.whole, self.sel.q, dims=("officer",))

    def _left_out_rows(self, by: str | None) -> list[tuple]:
        """(group key, case counters) of the left-out cases alone, over the rolled-up days."""
        left_out = self.sel.left_out

        def where(fields: dict) -> Q:
            return self.base.q(fields) & Q(**{f"{fields['case']}__in": left_out})

        if by is None:
            return [(None, facts.case_totals(self.plan.rolled, where))]
        dims = ("day",) if by in BY_TIME else (by,)
        return [(_row_key(by, r), r) for r in facts.case_rows(self.plan.rolled, where, dims=dims)]

    def collect(self, by: str | None = None, *, cases: bool = True, diaries: bool = True, extras: bool = True) -> dict:
        """Facts per group key (None for the total), grouped ``by`` a dimension or a time unit."""
        sel, plan = self.sel, self.plan
        groups: dict = defaultdict(Facts)
        diaries = diaries and by != "category" and sel.category_id is None
        active = diaries and by not in BY_TIME
        dims = sel.dims() | ({by} if by in BY_DIMENSION else set())

        if plan.rolled_until:
            rolled = Q(day__gte=sel.date_from, day__lte=plan.rolled_until)
            if cases and by != "officer":
                qs = CaseStatDay.objects.filter(rolled, grain=_case_grain(dims)).filter(sel.q(CASE_STAT_FIELDS))
                for r in _grouped(qs, by, {m: Sum(m) for m in facts.CASE_MEASURES}):
                    groups[r["key"]].add_cases(r)
            if diaries:
                grain = DiaryGrain.OFFICER if dims & {"unit", "officer"} else DiaryGrain.TOWNSHIP
                qs = DiaryStatDay.objects.filter(rolled, grain=grain).filter(sel.q(DIARY_STAT_FIELDS))
                for r in _grouped(qs, by, {m: Sum(m) for m in facts.DIARY_MEASURES}):
                    groups[r["key"]].add_diaries(r)
            if active:
                qs = _officer_months(sel.date_from, plan.rolled_until).filter(sel.q(DIARY_STAT_FIELDS))
                qs = qs.values_list(*(["officer_id"] if by is None else [f"{by}_id", "officer_id"])).distinct()
                for r in qs.order_by():
                    _active(groups[r[0] if by else None]).add(r[-1])

        rows_cases, rows_diaries = cases, diaries
        if by is None and self.total_only and plan.live:
            # A total alone: the live counters are summed by the database, no rows come back.
            rows_cases = rows_diaries = False
            if cases:
                groups[None].add_cases(facts.case_totals(plan.live, sel.q))
            if diaries:
                sums, writers = facts.diary_totals(plan.live, sel.q)
                groups[None].add_diaries(sums)
                if active:
                    _active(groups[None]).update(writers)
        if rows_cases:
            for r in self._officer_case_rows() if by == "officer" else self._live_rows("cases"):
                groups[_row_key(by, r)].add_cases(r)
        if rows_diaries:
            for r in self._live_rows("diaries"):
                key = _row_key(by, r)
                groups[key].add_diaries(r)
                if active:
                    _active(groups[key]).add(r["officer"])
        if cases and sel.left_out is not None and plan.rolled and by != "officer":
            for key, row in self._left_out_rows(by):
                groups[key].add_cases(row, sign=-1)

        if extras and by not in BY_TIME:
            _add_extras(groups, sel, by, cases=cases, now=self.now, of_raised=self.overdue_of_raised)
        if extras and by in (None, "township") and not (sel.unit_id or sel.category_id or sel.officer_id):
            for key, counters in coverage_counts(sel, by, now=self.now).items():
                groups[key].coverage = counters
            for group in groups.values():
                if group.coverage is None:
                    group.coverage = dict.fromkeys(coverage.COUNTERS, 0)
        if by is None:
            groups[None]  # noqa: B018 - a total exists even when nothing was counted
        for group in groups.values():
            # A counted side with no rows is zeros, not "does not apply".
            if cases and group.cases is None:
                group.cases = dict.fromkeys(facts.CASE_MEASURES, 0)
            if diaries and group.diaries is None:
                group.diaries = dict.fromkeys(facts.DIARY_MEASURES, 0)
            if active and group.active is None:
                group.active = set()
        return dict(groups)

    def overview(self) -> dict:
        """Every key of METRICS.md for the selection, plus its period."""
        total = self.collect()[None]
        return {"date_from": self.sel.date_from.isoformat(), "date_to": self.sel.date_to.isoformat(), **total.figures()}

    def breakdown(self, by: str, **sides) -> list[tuple]:
        """(key, figures) per group, keys sorted; time groups list every period unit, even empty ones."""
        groups = self.collect(by, **sides)
        if by in BY_TIME:
            day, keys = self.sel.date_from, []
            while day <= self.sel.date_to:
                key = _time_key(by, day)
                if not keys or keys[-1] != key:
                    keys.append(key)
                day += datetime.timedelta(days=1)
            return [(k, groups.get(k, _empty(sides)).figures()) for k in keys]
        return [(k, g.figures()) for k, g in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]


def collect(sel: Selection, by: str | None = None, *, now: datetime.datetime | None = None, **sides) -> dict:
    return Metrics(sel, now=now).collect(by, **sides)


def _day_bits(first: int, last: int) -> int:
    """Bits first-1 .. last-1: days first..last of a month in OfficerMonth.days."""
    return (1 << last) - (1 << (first - 1))


def _officer_months(first: datetime.date, last: datetime.date):
    """OfficerMonth rows with a diary day in first..last: whole months inside, masked bits at the two ends."""
    m0, m1 = first.replace(day=1), last.replace(day=1)
    if m0 == m1:
        hit = F("days").bitand(_day_bits(first.day, last.day))
    else:
        end_of_m0 = (m0 + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        hit = models.Case(
            models.When(month=m0, then=F("days").bitand(_day_bits(first.day, end_of_m0.day))),
            models.When(month=m1, then=F("days").bitand(_day_bits(1, last.day))),
            default=F("days"),
        )
    return OfficerMonth.objects.filter(month__gte=m0, month__lte=m1).alias(hit=hit).filter(hit__gt=0)


def _active(group: Facts) -> set[int]:
    if group.active is None:
        group.active = set()
    return group.active


def _grouped(qs, by: str | None, sums: dict) -> list[dict]:
    if by is None:
        row = qs.aggregate(**sums)
        return [{**row, "key": None}] if any(v for v in row.values()) else []
    rows = qs.values(key=_stat_key(by)).annotate(**sums).order_by()
    return [{**r, "key": _as_date(r["key"]) if by in BY_TIME else r["key"]} for r in rows]


def _add_extras(groups: dict, sel: Selection, by: str | None, *, cases: bool, now, of_raised: bool) -> None:
    """Figures that describe a moment, not a period: officers on duty at date_to, cases overdue now."""
    if by in (None, "township", "officer") and sel.category_id is None:
        day = sel.date_to
        on_duty = (
            StationAssignment.objects.filter(start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .filter(sel.q(ASSIGNMENT_FIELDS))
        )
        column = {None: None, "township": "station__township_id", "officer": "officer_id"}[by]
        if column is None:
            groups[None].officers = on_duty.values("officer_id").distinct().count()
        else:
            for key, n in on_duty.values_list(column).annotate(n=Count("officer_id", distinct=True)).order_by():
                groups[key].officers = n
    if cases:
        # Overdue and 挂账 are disjoint (a held case is never overdue, cases.overdue): one GROUP BY counts
        # both, and gives each group's overdue total and its breakdown per clock, so the two always add up.
        now_q = overdue_now(now) | held_now()
        counted = Case.objects.filter(now_q).filter(sel.q(CASE_FIELDS))
        if of_raised:
            counted = counted.filter(facts.raised_within(sel.date_from, sel.date_to))
        column = [] if by is None else [CASE_FIELDS[by]]
        held = ExpressionWrapper(Q(held_since__isnull=False), output_field=BooleanField())
        rows = counted.annotate(is_held=held).values_list(*column, "clock", "is_held").annotate(n=Count("id"))
        for *key, clock, is_held, n in rows.order_by():
            group = groups[key[0] if key else None]
            if is_held:
                group.held = (group.held or 0) + n
                continue
            if group.overdue_by_clock is None:
                group.overdue_by_clock = dict.fromkeys(Clock.values, 0)
            group.overdue_by_clock[clock] = n
        if by is None:
            groups[None]  # noqa: B018 - a total exists even when nothing is overdue
        for group in groups.values():
            if group.overdue_by_clock is None:
                group.overdue_by_clock = dict.fromkeys(Clock.values, 0)
            group.overdue_open = sum(group.overdue_by_clock.values())
            group.held = group.held or 0


def coverage_counts(sel: Selection, by: str | None = None, *, now: datetime.datetime | None = None) -> dict:
    """households.coverage's counters of a selection, {group: counters}; by None, "township" or "station".

    A period ending today (or later) reads the records' stored schedule fields; a year- or
    month-to-date period ending on a rolled-up day sums that day's CoverageDay rows; any other
    period is counted exactly from the records and their linked visits.
    """
    today = _today(now)
    if sel.date_to >= today:
        where = sel.q(HOUSEHOLD_FIELDS)
        if not (sel.area.is_city_wide and sel.township_id is None):
            return coverage.counts_now(where, sel.date_from, sel.date_to, by=by)
        # A city's ledger is ~3,000,000 rows at province scale, a 0.7 s count, and its figures move only as
        # visits are logged: city-wide counts are kept for COVERAGE_CACHE_SECONDS (a township's few thousand
        # rows are counted each time, so those who log the visits see them at once).
        key = "coverage-now:" + hashlib.sha256(repr((where, sel.date_from, sel.date_to, by)).encode()).hexdigest()
        return cache.get_or_set(
            key,
            lambda: coverage.counts_now(where, sel.date_from, sel.date_to, by=by),
            settings.COVERAGE_CACHE_SECONDS,
        )
    year_start, month_start = sel.date_to.replace(month=1, day=1), sel.date_to.replace(day=1)
    if (
        sel.area.rolls_up
        and sel.date_from in (year_start, month_start)
        and RolledDay.objects.filter(day=sel.date_to, coverage=True).exists()
    ):
        visited = "visited_year" if sel.date_from == year_start else "visited_month"
        sums = {
            "households": Sum("households"), "key_households": Sum("key_households"),
            "households_visited": Sum(visited), "key_on_time": Sum("key_on_time"),
        }  # fmt: skip
        qs = CoverageDay.objects.filter(day=sel.date_to).filter(sel.q(HOUSEHOLD_FIELDS))
        if by is None:
            row = qs.aggregate(**sums)
            return {None: {k: row[k] or 0 for k in coverage.COUNTERS}}
        rows = qs.values(key=F(f"{by}_id")).annotate(**sums).order_by()
        return {r["key"]: {k: r[k] or 0 for k in coverage.COUNTERS} for r in rows}
    return coverage.counts(sel.q(HOUSEHOLD_FIELDS), sel.date_from, sel.date_to, by=by)


def overview(sel: Selection, *, now: datetime.datetime | None = None) -> dict:
    return Metrics(sel, now=now, total_only=True).overview()


def breakdown(sel: Selection, by: str, *, now: datetime.datetime | None = None, **sides) -> list[tuple]:
    return Metrics(sel, now=now).breakdown(by, **sides)


def _empty(sides: dict) -> Facts:
    group = Facts()
    if sides.get("cases", True):
        group.cases = dict.fromkeys(facts.CASE_MEASURES, 0)
    if sides.get("diaries", True):
        group.diaries = dict.fromkeys(facts.DIARY_MEASURES, 0)
    return group


def empty_figures(**sides) -> dict:
    """The figures of a group in which nothing was counted: zeros, and rates that do not exist."""
    figures = _empty(sides).figures()
    figures["overdue_open"] = figures["held"] = 0
    return figures
