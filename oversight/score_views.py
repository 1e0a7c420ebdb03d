"""/dashboard/scores/: 考核 of a month, per responsible unit or per township; every figure opens its cases."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards.forms import default_stats_form, month_bounds
from dashboards.tables import figure_links
from dashboards.views.common import dashboard_page
from oversight.awards import may_confirm
from oversight.forms import ScoreQueryForm
from oversight.models import INDICATORS, OrderState
from oversight.scores import scores


def _links(sel, kind: str, row: dict) -> dict:
    """The case list behind each figure of a row (the scores page's cells)."""
    unit = row["unit"]["id"]
    figures = figure_links(sel, **{kind: unit})
    links = {key: figures[key] for key in INDICATORS}
    links["score"] = figures["raised"]
    if kind == "unit":
        query = urlencode({"unit": unit, "state": OrderState.OVERDUE, "year": sel.date_from.year})
        links["overdue_orders"] = f"{reverse('oversight:list')}?{query}"
    return links


@dashboard_page
def scores_page(request: HttpRequest) -> HttpResponse:
    form = ScoreQueryForm(request.GET)
    shown = form
    if not form.is_valid():
        # The errors are shown beside the picker; the page falls back to last month's units.
        form = ScoreQueryForm({})
        form.is_valid()
    first, last = month_bounds(form.cleaned_data["month"])
    kind = form.cleaned_data["kind"]
    sel = default_stats_form(request.user).selection().with_period(first, last)
    rows = scores(sel, kind)
    for row in rows:
        row["links"] = _links(sel, kind, row)
    context = {
        "form": shown,
        "month": first,
        "kind": kind,
        "rows": rows,
        "indicators": INDICATORS,
        "tab": "scores",
        "may_confirm": may_confirm(request.user),
    }
    return render(request, "oversight/scores.html", context)
