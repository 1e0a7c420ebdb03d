"""/dashboard/officers/: what came of the issues each officer raised, their visits, silent officers, possible copies."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards.activity import copy_field, officer_activity, possible_copies
from dashboards.metrics import Metrics
from dashboards.views.common import dashboard_page, query, stats_form


@dashboard_page
def officers(request: HttpRequest) -> HttpResponse:
    shown, form = stats_form(request)
    metrics = Metrics(form.selection())
    table, silence = officer_activity(metrics)
    # No chart: bars of officers side by side would rank them (为基层减负).
    item = {
        "table": table,
        "export_url": f"{reverse('dashboards:export-table', args=['officer'])}?{query(form.params())}",
    }
    context = {
        "form": shown,
        "sel": metrics.sel,
        "item": item,
        "silence_on": silence.on,
        "silent": [r for r in table.rows if r.figures.get("silent")],
        "silent_days": silence.shown_days,
        "copies": possible_copies(metrics),
        "copies_tracked": copy_field() is not None,
        "tab": "officers",
    }
    return render(request, "dashboards/officers.html", context)
