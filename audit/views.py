"""The audit-trail search page (city office and admins)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import words
from audit.forms import AuditSearchForm
from audit.selectors import audit_search, may_search_audit
from audit.services import audit_log
from core.xlsx import workbook
from minqing.log_filters import mask_digits

PAGE_SIZE = 50


EXPORT_LIMIT = 10_000


def _searched(request: HttpRequest):
    """(form, the rows it finds, whether it was valid) for the caller; 403 for those who may not search."""
    if not may_search_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    events = audit_search(request.user, filters) if valid else audit_search(request.user, {}).none()
    return form, events, valid


def _in_words(event) -> None:
    """What the page and the export show of a row: words, and digits masked once more."""
    event.action_text = words.action_words(event.action)
    event.outcome_text = words.outcome_words(event.outcome)
    event.object_text = words.object_words(event.object_type, event.object_id)
    event.detail_text = mask_digits(json.dumps(event.detail, ensure_ascii=False)) if event.detail else ""
    event.username_text = mask_digits(event.username)


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Newest first. Rows carry no residents' data in clear (audit_log's rule); any phone- or
    ID-shaped number in a detail is masked again here, so this page is no unmasked view."""
    form, events, valid = _searched(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        _in_words(event)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/list.html", context, status=200 if valid else 400)


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The same search as a spreadsheet, newest first, at most EXPORT_LIMIT rows; the export is audited too."""
    form, events, valid = _searched(request)
    if not valid:
        return HttpResponse(status=400, content=str(form.errors), content_type="text/plain; charset=utf-8")
    rows = []
    for event in events[:EXPORT_LIMIT]:
        _in_words(event)
        rows.append([timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), str(event.user or ""),
                     event.username_text, event.action_text, event.outcome_text, event.object_text,
                     event.ip or "", event.detail_text])  # fmt: skip
    headers = [_("Time"), _("User"), _("User name"), _("Action"), _("Outcome"), _("Object"), _("Source address"),
               _("Details")]  # fmt: skip
    data = workbook(str(_("Audit trail")), [str(h) for h in headers], rows)
    audit_log(action="export", user=request.user, request=request,
              detail={"kind": "audit", "rows": len(rows), "filters": {
                  k: str(v) for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}})  # fmt: skip
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
