"""/dashboard/: the city's (or a township's) figures, trends and tables, each figure a link to its cases."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.models import OrgUnit
from cases.choices import Clock
from dashboards.metrics import Metrics
from dashboards.tables import LABELS, LISTED, chart_data, dimension_table, figure_links, trend_table
from dashboards.views.common import dashboard_page, query, stats_form

KPI_KEYS = (
    "diaries", "household_visits", "enterprise_visits", "raised", "solved_on_site", "closed",
    "completion_rate", "on_time_rate", "response_rate", "resolution_rate", "satisfaction_rate",
    "resident_rated", "feedback_rate", "overdue_open", "held",
)  # fmt: skip
# 走访覆盖: planning figures of the ledger, shown apart from the outcomes (not a ranking).
COVERAGE_KEYS = ("households", "households_visited", "coverage_rate", "key_households", "key_followup_rate")
# Which figures each table's chart draws, and how.
CHARTS = {
    "week": (("raised", "closed"), "line"),
    "month": (("raised", "closed"), "line"),
    "township": (("raised", "closed"), "bar"),
    "unit": (("response_rate", "on_time_rate"), "bar"),
    "category": (("raised", "closed"), "bar"),
}


def kpi_cards(figures: dict, links: dict, keys: tuple[str, ...] = KPI_KEYS) -> list[dict]:
    cards = [
        {"key": k, "label": LABELS[k], "value": figures[k], "url": links.get(k), "listed": k in LISTED and links.get(k)}
        for k in keys
    ]
    by_clock = figures.get("overdue_by_clock") or {}
    for card in cards:
        if card["key"] == "overdue_open":
            card["parts"] = [(Clock(clock).label, n) for clock, n in by_clock.items() if n]
    return cards


@dashboard_page
def overview(request: HttpRequest) -> HttpResponse:
    shown, form = stats_form(request)
    sel = form.selection()
    metrics = Metrics(sel)
    figures = metrics.overview()
    kinds = ["week", "month"]
    if sel.area.is_city_wide and sel.township_id is None:
        kinds.append("township")
    kinds += ["unit", "category"]
    tables = []
    for kind in kinds:
        table = trend_table(metrics, kind) if kind in ("week", "month") else dimension_table(metrics, kind)
        if kind == "township":
            for row in table.rows:
                if row.key is not None:
                    row.drill = f"{reverse('dashboards:overview')}?{query({**form.params(), 'township': row.key})}"
        series, chart = CHARTS[kind]
        tables.append(
            {
                "table": table,
                "chart": chart_data(table, series, chart=chart),
                "chart_id": f"chart-{kind}",
                "export_url": f"{reverse('dashboards:export-table', args=[kind])}?{query(form.params())}",
            }
        )
    township = OrgUnit.objects.filter(pk=sel.township_id).first() if sel.township_id else None
    links = figure_links(sel)
    # Coverage does not apply to a unit's figures (records have no unit): no panel then.
    coverage = kpi_cards(figures, links, COVERAGE_KEYS) if figures.get("households") is not None else []
    context = {
        "form": shown,
        "sel": sel,
        "township": township,
        "figures": figures,
        "kpis": kpi_cards(figures, links),
        "coverage": coverage,
        "tables": tables,
        "params": query(form.params()),
        "charts": True,
        "tab": "overview",
    }
    return render(request, "dashboards/overview.html", context)
