"""/dashboard/report/: the monthly 民情分析 report, printable, and as PDF; a month that is over is frozen."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import OrgUnit, Role
from dashboards.forms import MonthForm, StatsFilterForm, default_stats_form
from dashboards.report import area_unit_id, is_over, monthly_report, present, recompute
from dashboards.views.common import dashboard_page, query

log = logging.getLogger(__name__)


def _forms(data, user) -> tuple[StatsFilterForm, MonthForm, dict]:
    stats = StatsFilterForm({"township": data.get("township", "")}, user=user)
    month = MonthForm({"month": data.get("month", "")})
    errors = {}
    if not stats.is_valid():
        errors.update(stats.errors)
        stats = default_stats_form(user)
    if not month.is_valid():
        errors.update(month.errors)
        month = MonthForm({})
        month.is_valid()
    return stats, month, errors


def may_recompute(user) -> bool:
    return user.has_role(Role.CITY_OFFICE) or user.is_superuser or user.has_role(Role.ADMIN)


def _report_context(request: HttpRequest) -> dict:
    stats, month, errors = _forms(request.GET, request.user)
    data, snapshot = monthly_report(stats.selection(), month.cleaned_data["month"])
    context = present(data)
    params = {"month": context["month"].strftime("%Y-%m"), "township": stats.params().get("township")}
    context.update(
        snapshot=snapshot,
        generated_at=timezone.localtime(snapshot.generated_at) if snapshot else context["as_of"],
        can_recompute=snapshot is not None and may_recompute(request.user),
        errors=errors,
        params=query(params),
        param_values=params,
        township=stats.cleaned_data.get("township"),
        townships=stats.fields["township"].queryset,
    )
    return context


@dashboard_page
def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    context["tab"] = "report"
    return render(request, "dashboards/report.html", context)


@dashboard_page
@require_POST
def report_recompute(request: HttpRequest) -> HttpResponse:
    """Replace a frozen month's report with one computed now (e.g. after a late correction); audited."""
    if not may_recompute(request.user):
        raise PermissionDenied
    stats, month, errors = _forms(request.POST, request.user)
    first = month.cleaned_data["month"]
    back = f"{reverse('dashboards:report')}?{query({'month': f'{first:%Y-%m}', 'township': stats.params().get('township')})}"
    unit_id = area_unit_id(stats.selection())
    if errors:
        messages.error(request, _("Choose a valid month and township."))
    elif not is_over(first, timezone.now()):
        messages.error(request, _("Only a month that is over has a frozen report; this one is computed live."))
    elif unit_id is None:
        messages.error(request, _("Choose a township: this report covers more than one city."))
    else:
        recompute(OrgUnit.objects.get(pk=unit_id), first, by=request.user, request=request)
        messages.success(request, _("The report of %(month)s was recomputed.") % {"month": f"{first:%Y-%m}"})
    return redirect(back)


def _no_fetch(url: str, *args, **kwargs):
    # The report embeds everything it shows; never let the renderer reach out.
    raise ValueError(f"external resource refused: {url}")


def report_pdf_html(request: HttpRequest) -> tuple[str, dict]:
    """The HTML that WeasyPrint turns into the PDF (and that tests read)."""
    context = _report_context(request)
    return render_to_string("dashboards/report_pdf.html", context, request=request), context


@dashboard_page
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report through WeasyPrint (Pango + Noto CJK fonts render the Chinese)."""
    html, context = report_pdf_html(request)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the Pango libraries are missing on this machine
        log.exception("WeasyPrint is not usable")
        return HttpResponse(_("PDF output is not available on this server; print the page instead."), status=503,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    name = f"report-{context['month']:%Y-%m}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
