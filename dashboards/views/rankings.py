"""/dashboard/rankings/: 奔跑奖 and 蜗牛奖 of a month, with the figures behind them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards.forms import MonthForm, default_stats_form, month_bounds
from dashboards.rankings import MIN_DISPATCHES, RANK_COLUMNS, ranking_table
from dashboards.rankings import rankings as rankings_of
from dashboards.tables import chart_data
from dashboards.views.common import dashboard_page, query


@dashboard_page
def rankings(request: HttpRequest) -> HttpResponse:
    month_form = MonthForm(request.GET)
    if not month_form.is_valid():
        shown, month_form = month_form, MonthForm({})
        month_form.is_valid()
    else:
        shown = month_form
    first, last = month_bounds(month_form.cleaned_data["month"])
    sel = default_stats_form(request.user).selection().with_period(first, last)
    ranked = rankings_of(sel)
    table = ranking_table(sel, ranked)
    params = {"month": first.strftime("%Y-%m")}
    context = {
        "form": shown,
        "month": first,
        "running": ranked["running"],
        "snail": ranked["snail"],
        "columns": RANK_COLUMNS[1:],
        "min_dispatches": MIN_DISPATCHES,
        "item": {
            "table": table,
            "chart": chart_data(table, ("on_time_rate", "response_rate")),
            "chart_id": "chart-rankings",
            "export_url": f"{reverse('dashboards:export-table', args=['rankings'])}?{query(params)}",
        },
        "charts": True,
        "tab": "rankings",
    }
    return render(request, "dashboards/rankings.html", context)
