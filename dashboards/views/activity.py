"""/dashboard/officers/: entries and visits per officer, silent officers, possible copies."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards.activity import SILENT_DAYS, copy_field, officer_table, possible_copies
from dashboards.metrics import Metrics
from dashboards.tables import chart_data
from dashboards.views.common import dashboard_page, query, stats_form


@dashboard_page
def officers(request: HttpRequest) -> HttpResponse:
    shown, form = stats_form(request)
    metrics = Metrics(form.selection())
    table = officer_table(metrics)
    top = table.rows[:20]
    chart_table = type(table)(kind=table.kind, title=table.title, columns=table.columns, rows=top)
    item = {
        "table": table,
        "chart": chart_data(chart_table, ("diaries", "household_visits", "enterprise_visits")),
        "chart_id": "chart-officers",
        "export_url": f"{reverse('dashboards:export-table', args=['officer'])}?{query(form.params())}",
    }
    context = {
        "form": shown,
        "sel": metrics.sel,
        "item": item,
        "silent": [r for r in table.rows if r.figures.get("silent")],
        "silent_days": SILENT_DAYS,
        "copies": possible_copies(metrics),
        "copies_tracked": copy_field() is not None,
        "charts": True,
        "tab": "officers",
    }
    return render(request, "dashboards/officers.html", context)
