"""/oversight/appeals/ (申诉) and /oversight/awards/ (奔跑奖 / 蜗牛奖 confirmed, and the month's 通报 PDF)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from cases.actions.base import ActionForbidden
from core.errors import StateConflict
from dashboards.forms import MonthForm, default_stats_form, month_bounds
from oversight.appeals import (
    appeal_decide,
    appeal_file,
    appeals_visible_to,
    decided_count,
    for_list,
    may_decide,
    may_file,
    require_decider,
)
from oversight.awards import KINDS, awards_confirm, candidates, decisions, proposal, require_confirmer
from oversight.forms import AppealDecideForm, AppealForm, AwardsForm
from oversight.scores import scores
from oversight.views import _no_fetch

log = logging.getLogger(__name__)


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(for_list(appeals_visible_to(request.user)), 50).get_page(request.GET.get("page"))
    return render(request, "oversight/appeals.html", {"page": page})


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    """A unit handler appeals a case of their unit (?case=<id>&month=YYYY-MM)."""
    if not may_file(request.user):
        raise ActionForbidden(_("Only a handler of a responsible unit files a score appeal."))
    form = AppealForm(
        request.POST or None, initial={"case": request.GET.get("case"), "month": request.GET.get("month")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = appeal_file(by=request.user, case_id=data["case"], month=data["month"], reason=data["reason"],
                                 request=request)  # fmt: skip
        except StateConflict as exc:
            form.add_error(None, exc.explain())
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, _("Your appeal was sent to the city office."))
            return redirect("oversight:appeal", pk=appeal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "oversight/appeal_new.html", {"form": form}, status=status)


def _appeal_page(request, appeal, form=None, status=200) -> HttpResponse:
    pending = appeal.decision == "pending"
    form = form or (AppealDecideForm() if pending and may_decide(request.user) else None)
    return render(request, "oversight/appeal.html", {"appeal": appeal, "form": form}, status=status)


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(for_list(appeals_visible_to(request.user)), pk=pk)
    if request.method != "POST":
        return _appeal_page(request, appeal)
    require_decider(request.user)
    form = AppealDecideForm(request.POST)
    if not form.is_valid():
        return _appeal_page(request, appeal, form, status=400)
    try:
        appeal_decide(by=request.user, appeal_id=pk, uphold=form.cleaned_data["uphold"],
                      note=form.cleaned_data["note"], request=request)  # fmt: skip
    except StateConflict as exc:
        messages.error(request, exc.explain())
    except ValidationError as exc:
        _errors_into(form, exc)
        return _appeal_page(request, appeal, form, status=400)
    else:
        messages.success(request, _("The appeal was decided; the month's scores now follow the decision."))
    return redirect("oversight:appeal", pk=pk)


def _month(request):
    """The month asked for, and what was wrong with it: a bad one falls back to last month and says so."""
    form = MonthForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["month"], None
    errors = form.errors.get("month")
    form = MonthForm({})
    form.is_valid()
    return form.cleaned_data["month"], errors


def _score_rows(request, month):
    first, last = month_bounds(month)
    return scores(default_stats_form(request.user).selection().with_period(first, last), "unit")


@login_required
def awards_page(request: HttpRequest) -> HttpResponse:
    """The city office confirms the month's awards: the proposal beside the scores, the lists to change."""
    require_confirmer(request.user)
    month, month_errors = _month(request)
    rows = _score_rows(request, month)
    proposed = proposal(rows)
    city_id = request.user.org_unit.city_id
    confirmed = decisions(city_id, month)
    units = [(r["unit"]["id"], r["unit"]["label"]) for r in candidates(rows)]
    initial = {k: (confirmed[k].units if k in confirmed else proposed[k]) for k in KINDS}
    form = AwardsForm(request.POST or None, units=units, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = {k: form.cleaned_data[k] for k in KINDS}
            try:
                awards_confirm(by=request.user, month=month, score_rows=rows, chosen=chosen,
                               reason=form.cleaned_data["reason"], request=request)  # fmt: skip
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("The awards of %(month)s are confirmed.") % {"month": f"{month:%Y-%m}"})
                return redirect(f"{request.path}?month={month:%Y-%m}")
    labels = dict(units) | dict(OrgUnit.objects.filter(
        pk__in=[u for d in confirmed.values() for u in d.units]).values_list("pk", "label"))  # fmt: skip
    context = {
        "month": month, "month_errors": month_errors, "rows": rows, "form": form,
        "proposed": {k: [labels.get(u, u) for u in proposed[k]] for k in KINDS},
        "confirmed": {k: [labels.get(u, u) for u in d.units] for k, d in confirmed.items()},
        "decisions": confirmed,
    }  # fmt: skip
    return render(request, "oversight/awards.html", context, status=status)


@login_required
def bulletin_pdf(request: HttpRequest) -> HttpResponse:
    """通报: the month's confirmed awards, the score table and the appeals decided; 404 before confirmation."""
    require_confirmer(request.user)
    month, month_errors = _month(request)
    if month_errors:
        raise Http404(" ".join(month_errors))
    city_id = request.user.org_unit.city_id
    confirmed = decisions(city_id, month)
    if not confirmed:
        raise Http404(_("The awards of this month are not confirmed yet."))
    rows = _score_rows(request, month)
    labels = dict(OrgUnit.objects.filter(pk__in=[u for d in confirmed.values() for u in d.units]).values_list(
        "pk", "label"))  # fmt: skip
    context = {
        "month": month, "rows": rows, "city": request.user.org_unit.city,
        "confirmed": {k: [labels.get(u, "") for u in d.units] for k, d in confirmed.items()},
        "appeals_decided": decided_count([city_id], month),
    }  # fmt: skip
    html = render_to_string("oversight/bulletin_pdf.html", context, request=request)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the Pango libraries are missing on this machine
        log.exception("WeasyPrint is not usable")
        return HttpResponse(_("PDF output is not available on this server; print the page instead."), status=503,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    response = HttpResponse(HTML(string=html, url_fetcher=_no_fetch).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bulletin-{month:%Y-%m}.pdf"'
    return response
