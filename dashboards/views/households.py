"""/dashboard/households/: the records behind a coverage figure (HOUSEHOLDS.md "Coverage").

Whoever may see records (households.selectors: a station's officers, the township's staff,
admins) gets the list, masked like the ledger; the city office and city leaders get the same
count per station instead, never names. The list is for planning visits, not for ranking.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import OrgUnit
from core.masking import mask_address
from dashboards.forms import LIST_LABELS, CoverageListForm
from dashboards.selection import HOUSEHOLD_FIELDS, area_of
from dashboards.views.common import query
from households import coverage
from households.selectors import household_scope_q
from minqing.routers import on_replica

PAGE_SIZE = 50
RECORD_URL = "/households/{}/"


def _form(request) -> tuple[CoverageListForm, CoverageListForm]:
    form = CoverageListForm(request.GET, user=request.user)
    if form.is_valid():
        shown = CoverageListForm(form.params(), user=request.user)
        shown.is_valid()
        return shown, form
    fallback = CoverageListForm({}, user=request.user)
    fallback.is_valid()
    return form, fallback


def _per_station(records) -> list[dict]:
    rows = list(records.values("station_id").annotate(n=Count("id")).order_by())
    units = OrgUnit.objects.filter(pk__in=[r["station_id"] for r in rows]).select_related("township")
    units = {u.pk: u for u in units}
    out = []
    for r in rows:
        unit = units[r["station_id"]]
        township = unit.township
        out.append({"township": township.name if township else "", "station": unit.name, "n": r["n"],
                    "order": (township.sort_order if township else 0, township.code if township else "",
                              unit.sort_order, unit.code)})  # fmt: skip
    return sorted(out, key=lambda r: r["order"])


@login_required
def households(request: HttpRequest) -> HttpResponse:
    area = area_of(request.user)
    # Dashboard areas (city, township) and officers (their stations); units keep no ledger.
    if not (area.shows_dashboards or area.scope.officer_id):
        raise PermissionDenied
    with on_replica():
        shown, form = _form(request)
        sel, figure = form.selection(), form.cleaned_data["figure"]
        visible = household_scope_q(request.user)
        where = sel.q(HOUSEHOLD_FIELDS)
        records = coverage.listed(where if visible is None else where & visible, figure, sel.date_from, sel.date_to)
        context = {"form": shown, "sel": sel, "figure": figure, "figure_label": LIST_LABELS[figure],
                   "params": query(form.params()), "names": visible is not None}  # fmt: skip
        if visible is None:
            context["stations"] = _per_station(records)
            context["total"] = sum(r["n"] for r in context["stations"])
        else:
            ordered = records.select_related("station").order_by("station__sort_order", "station__code",
                                                                 "next_visit_due", "name", "id")  # fmt: skip
            page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
            context["page"] = page
            context["total"] = page.paginator.count
            context["rows"] = [
                {"name": r.name, "station": r.station.name, "address": mask_address(r.address),
                 "last_visit": r.last_visit_on, "next_due": r.next_visit_due, "url": RECORD_URL.format(r.pk)}
                for r in page.object_list
            ]  # fmt: skip
        return render(request, "dashboards/households.html", context)
