"""Spreadsheet downloads: the case list with its filters, every dashboard table, and prepared large exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards import exports
from dashboards.models import Export
from dashboards.selectors import exports_of
from dashboards.services.exports import export_now, export_request
from dashboards.tables import TABLE_KINDS
from dashboards.views.common import dashboard_page
from minqing.routers import replica_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _bad(errors) -> HttpResponse:
    lines = [f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in dict(errors).items()]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


def _params(request: HttpRequest) -> dict:
    return {k: v for k, v in request.GET.items() if v != ""}


@login_required
@replica_view
def export_cases(request: HttpRequest) -> HttpResponse:
    """The case list as .xlsx, with the same filters as /cases/?…; large lists are prepared in the worker."""
    params = _params(request)
    try:
        rows = exports.count(request.user, "cases", params)
        if rows > exports.SYNC_LIMIT:
            export_request(user=request.user, kind="cases", params=params)
            messages.info(request, _("%(n)d cases: the spreadsheet is being prepared. It appears here when ready.")
                          % {"n": rows})  # fmt: skip
            return redirect("dashboards:exports")
        data, _rows = export_now(user=request.user, kind="cases", params=params, request=request)
    except exports.ExportInvalid as exc:
        return _bad(exc.errors)
    return _attachment(data, f"cases-{timezone.localdate():%Y%m%d}.xlsx")


@dashboard_page
def export_table(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in TABLE_KINDS:
        raise Http404
    params = _params(request)
    try:
        data, _rows = export_now(user=request.user, kind=kind, params=params, request=request)
    except exports.ExportInvalid as exc:
        return _bad(exc.errors)
    return _attachment(data, f"{kind}-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def my_exports(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/exports.html", {"exports": exports_of(request.user)[:50], "tab": "exports"})


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """Only the owner gets the file; anyone else is told it does not exist."""
    export = get_object_or_404(exports_of(request.user), pk=pk, status=Export.Status.DONE)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"{export.kind}-{export.pk}.xlsx",
                        content_type=XLSX)  # fmt: skip
