"""The audit-trail search page (city office and admins)."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.forms import AuditSearchForm
from audit.selectors import audit_search, may_search_audit
from minqing.log_filters import mask_digits

PAGE_SIZE = 50


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Newest first. Rows carry no residents' data in clear (audit_log's rule); any phone- or
    ID-shaped number in a detail is masked again here, so this page is no unmasked view."""
    if not may_search_audit(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    events = audit_search(request.user, filters) if valid else audit_search(request.user, {}).none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.detail_text = mask_digits(json.dumps(event.detail, ensure_ascii=False)) if event.detail else ""
        event.username_text = mask_digits(event.username)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/list.html", context, status=200 if valid else 400)
