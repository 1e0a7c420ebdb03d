"""/dashboard/report/: the monthly 民情分析 report, printable, and as PDF."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from dashboards.forms import MonthForm, StatsFilterForm, default_stats_form
from dashboards.report import monthly_report
from dashboards.views.common import dashboard_page, query

log = logging.getLogger(__name__)


def _report_context(request: HttpRequest) -> dict:
    stats = StatsFilterForm({"township": request.GET.get("township", "")}, user=request.user)
    month = MonthForm(request.GET)
    errors = {}
    if not stats.is_valid():
        errors.update(stats.errors)
        stats = default_stats_form(request.user)
    if not month.is_valid():
        errors.update(month.errors)
        month = MonthForm({})
        month.is_valid()
    context = monthly_report(request.user, stats.selection(), month.cleaned_data["month"])
    params = {"month": context["month"].strftime("%Y-%m"), "township": stats.params().get("township")}
    township = stats.cleaned_data.get("township")
    context.update(errors=errors, params=query(params), township=township, townships=stats.fields["township"].queryset)
    return context


@dashboard_page
def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    context["tab"] = "report"
    return render(request, "dashboards/report.html", context)


def _no_fetch(url: str, *args, **kwargs):
    # The report embeds everything it shows; never let the renderer reach out.
    raise ValueError(f"external resource refused: {url}")


@dashboard_page
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report through WeasyPrint (Pango + Noto CJK fonts render the Chinese)."""
    context = _report_context(request)
    html = render_to_string("dashboards/report_pdf.html", context, request=request)
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
