"""The monthly 民情分析 report: one month's figures for a city or a township, ready for the analysis meeting."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from cases.models import Case
from cases.overdue import overdue_now
from dashboards.facts import raised_within
from dashboards.forms import month_bounds
from dashboards.metrics import METRIC_KEYS, Metrics
from dashboards.models import Hotspot, HotspotCase, HotspotKind
from dashboards.rankings import rankings
from dashboards.selection import CASE_FIELDS, Selection
from dashboards.selectors import hotspots_visible_to
from dashboards.tables import LABELS, dimension_table, figure_links, trend_table
from oversight.awards import confirmed_lists

TREND_MONTHS = 6
OVERDUE_LIMIT = 50


def _months_back(first: datetime.date, n: int) -> datetime.date:
    year, month = first.year, first.month - (n - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def overdue_cases(
    sel: Selection, *, now: datetime.datetime | None = None, of_raised: bool = False, limit: int = OVERDUE_LIMIT
):
    """Cases overdue now (cases.overdue, as the dashboard counts them), in the report's area,
    longest overdue first; ``of_raised``: only those raised in the period (what the report counts)."""
    cases = Case.objects.filter(overdue_now(now)).filter(sel.q(CASE_FIELDS))
    if of_raised:
        cases = cases.filter(raised_within(sel.date_from, sel.date_to))
    return cases.select_related("township", "unit", "category").order_by("due_at", "id")[:limit]


def report_hotspots(user, sel: Selection) -> list[dict]:
    """A city report shows each hotspot whole; a township report only the hotspots and cases of its township."""
    if sel.area.is_city_wide and sel.township_id is None:
        return [{"hotspot": h, "members": list(h.members.all())} for h in hotspots_visible_to(user)]
    own = {sel.township_id} if sel.township_id else set(sel.area.township_ids)
    members = HotspotCase.objects.filter(case__township_id__in=own).select_related("case", "case__township")
    hotspots = (
        Hotspot.objects.filter(kind=HotspotKind.HOTSPOT, members__case__township_id__in=own)  # not 常态问题
        .distinct()
        .select_related("category", "category__parent")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="own_members"))
    )
    return [{"hotspot": h, "members": h.own_members} for h in hotspots]


def _cities(sel: Selection) -> set[int]:
    scope = sel.area.scope
    return set(scope.city_ids) | ({scope.home_city_id} if scope.home_city_id else set())


def monthly_report(user, base: Selection, month: datetime.date, *, now=None) -> dict:
    first, last = month_bounds(month)
    sel = base.with_period(first, last)
    # Beside a month's raised cases the report counts those of them overdue now, not every overdue case.
    metrics = Metrics(sel, now=now, overdue_of_raised=True)
    trend = Metrics(base.with_period(_months_back(first, TREND_MONTHS), last), now=now)
    by = "township" if sel.area.is_city_wide and sel.township_id is None else "unit"
    return {
        "sel": sel,
        "month": first,
        "figures": metrics.overview(),
        "links": figure_links(sel, overdue_of_raised=True),
        "figure_rows": [(key, LABELS[key]) for key in METRIC_KEYS],
        "trend": trend_table(trend, "month"),
        "breakdown": dimension_table(metrics, by),
        "categories": dimension_table(metrics, "category"),
        "rankings": rankings(sel),
        # The awards are the city office's confirmed lists (oversight.awards), None until it confirms them.
        "awards": confirmed_lists(_cities(sel), first),
        "hotspots": report_hotspots(user, sel),
        "overdue": list(overdue_cases(sel, now=now, of_raised=True)),
        "generated_at": timezone.localtime(now or timezone.now()),
    }
