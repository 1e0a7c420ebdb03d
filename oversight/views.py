"""/oversight/orders/: the 督办单 list, each order's page (sign for, answer), its PDF, and the issue form."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.actions.base import ActionForbidden
from cases.selectors import cases_visible_to
from core.errors import StateConflict
from oversight.forms import IssueForm, OrderFilterForm, ReplyForm
from oversight.selectors import orders_for_list, orders_visible_to
from oversight.services import may_issue, order_issue, order_reply, order_sign, require_unit, unit_may_act

log = logging.getLogger(__name__)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    filters = OrderFilterForm(request.GET)
    orders = orders_for_list(orders_visible_to(request.user))
    orders = filters.apply(orders) if filters.is_valid() else orders.none()
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "oversight/list.html", {"filters": filters, "page": page, "query": query.urlencode()})


def _visible(request: HttpRequest, pk: int):
    return get_object_or_404(orders_for_list(orders_visible_to(request.user)), pk=pk)


def _detail(request: HttpRequest, order, reply_form: ReplyForm | None = None, status: int = 200) -> HttpResponse:
    acting = unit_may_act(request.user, order)
    context = {
        "order": order,
        "may_sign": acting and not order.signed_at,
        "reply_form": (reply_form or ReplyForm()) if acting and order.signed_at and not order.replied_at else None,
    }
    return render(request, "oversight/detail.html", context, status=status)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@login_required
@require_POST
def order_sign_page(request: HttpRequest, pk: int) -> HttpResponse:
    require_unit(request.user, _visible(request, pk))
    try:
        order = order_sign(by=request.user, order_id=pk, request=request)
    except StateConflict as exc:
        messages.error(request, exc.explain())
    else:
        messages.success(request, _("Signed for %(number)s.") % {"number": order.number})
    return redirect("oversight:detail", pk=pk)


@login_required
@require_POST
def order_reply_page(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible(request, pk)
    require_unit(request.user, order)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, order, form, status=400)
    try:
        order_reply(by=request.user, order_id=pk, content=form.cleaned_data["content"], request=request)
    except StateConflict as exc:
        messages.error(request, exc.explain())
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail(request, order, form, status=400)
    else:
        messages.success(request, _("Your answer was sent to the city office."))
    return redirect("oversight:detail", pk=pk)


def _no_fetch(url: str, *args, **kwargs):
    # The order embeds everything it shows; never let the renderer reach out.
    raise ValueError(f"external resource refused: {url}")


@login_required
def order_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The order as a printable document (WeasyPrint, like the monthly report)."""
    order = _visible(request, pk)
    html = render_to_string("oversight/pdf.html", {"order": order}, request=request)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the Pango libraries are missing on this machine
        log.exception("WeasyPrint is not usable")
        return HttpResponse(_("PDF output is not available on this server; print the page instead."), status=503,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="order-{order.year}-{order.serial}.pdf"'
    return response


@login_required
def order_issue_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The city office issues an order on a case it sees (from the case page)."""
    case = get_object_or_404(cases_visible_to(request.user).select_related("unit"), pk=case_id)
    if not may_issue(request.user):
        raise ActionForbidden(_("Only the city office issues supervision orders."))
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = order_issue(by=request.user, case_id=case.pk, request=request, **form.cleaned_data)
        except StateConflict as exc:
            form.add_error(None, exc.explain())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            order = issued.order
            messages.success(request, _("Supervision order %(number)s issued.") % {"number": order.number})
            if issued.reply_by_moved:
                messages.info(request, _("The reply date fell on a day off and was moved to %(date)s.")
                              % {"date": order.reply_by.isoformat()})  # fmt: skip
            return redirect("oversight:detail", pk=order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "oversight/issue.html", {"case": case, "form": form}, status=status)
