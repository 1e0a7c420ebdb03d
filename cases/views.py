"""The case pages: each role's queues, one case with what the viewer may do now, raising from another channel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Textarea
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from audit.services import audit_log
from cases import permissions, routing, services
from cases.actions import ACTIONS, ActionForbidden, TransitionNotAllowed, available_actions, event_says, perform
from cases.actions.definitions import DISPATCH
from cases.choices import Source
from cases.forms import ActionForm, RaiseForm
from cases.models import Case, Dispatch
from cases.queues import case_listing
from cases.selectors import case_events, case_for_detail
from cases.timing import remaining_text

PAGE_SIZE = 25


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    listing = case_listing(user, request.GET, request=request)
    paginator = Paginator(listing.cases, PAGE_SIZE)
    paginator.count = listing.count  # the tab's own count, already made: no second COUNT of a city
    page = paginator.get_page(request.GET.get("page"))
    estimated = listing.count_is_estimate
    if estimated and not page.has_next():  # the last page is in hand: the count is exact by construction
        paginator.count, estimated = (page.number - 1) * PAGE_SIZE + len(page.object_list), False
    now = timezone.now()
    suggestions = routing.rules_for(page.object_list)
    for case in page.object_list:
        case.remaining = remaining_text(case, now)
        case.late = case.is_overdue
        rule = suggestions.get(case.pk)
        case.suggested_unit = rule.unit if rule else None
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = query.copy()
    tab_query.pop("tab", None)
    context = {
        "tabs": [(t, listing.counts[t.key]) for t in listing.tabs],
        "estimated_tabs": listing.estimated,
        # The database's estimate for a city's unfiltered "all" (core.api.pagination.counted): "约 N 件".
        "count_is_estimate": estimated,
        "tab": listing.tab,
        "filters": listing.filters,
        "page": page,
        "query": query.urlencode(),
        "tab_query": tab_query.urlencode(),
        "may_raise": user.has_role(Role.TOWNSHIP_STAFF, Role.CITY_OFFICE),
    }
    return render(request, "cases/list.html", context)


def _case_or_404(user, pk: int) -> Case:
    try:
        return case_for_detail(user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _resident_photos(case: Case) -> list:
    """The photos a resident sent with their own request (民情码); other cases have none to look up."""
    if case.source != Source.RESIDENT:
        return []
    from residents.models import ResidentPhoto  # residents builds on cases, not the other way round

    return list(ResidentPhoto.objects.filter(request__case=case))


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    bound: ActionForm | None = None,
    error: str = "",
    typed: list | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    contact = permissions.may_see_contact(user, case)
    if contact and (case.reporter_phone or case.reporter_address):
        audit_log(action="view_personal_data", user=user, obj=case, request=request)
    suggested = routing.suggested_unit(case)
    forms = []
    for action in available_actions(user, case, now=now):
        if bound is not None and bound.prefix == action.name:
            form = bound
        else:
            extra = {"suggested": suggested} if action is DISPATCH else {}
            form = action.form(case=case, prefix=action.name, **extra)
        forms.append((action, form, reverse(f"cases:action-{action.name}", args=[case.pk])))
    context = {
        "case": case,
        "remaining": remaining_text(case, now),
        "contact": contact,
        "reporter_name": case.reporter_name if contact else permissions.reporter_masked(case)["name"],
        "reporter_phone": case.reporter_phone if contact else permissions.reporter_masked(case)["phone"],
        "suggested_unit": suggested,
        "forms": forms,
        "error": error,
        "typed": typed or [],
        "events": [_with_words(e) for e in case_events(case)],
        "dispatches": Dispatch.objects.filter(case=case).select_related("unit").order_by("dispatched_at", "id"),
        "feedbacks": case.feedbacks.select_related("given_by"),
        "callbacks": case.callbacks.select_related("by"),
        "resident_photos": _resident_photos(case),
    }
    return render(request, "cases/detail.html", context, status=status)


def _with_words(event):
    event.says = event_says(event)
    return event


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _case_or_404(request.user, pk))


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One small form of the detail page: on a refusal the page is shown again with why."""
    taken = ACTIONS[action]
    form: ActionForm | None = None

    def read_body(case: Case) -> dict:
        nonlocal form
        form = taken.form(request.POST, case=case, prefix=taken.name)
        if not form.is_valid():
            raise ValidationError({})  # the form holds the errors
        return dict(form.cleaned_data)

    try:
        perform(taken, case_id=pk, user=request.user, read_body=read_body, request=request)
    except Case.DoesNotExist:
        raise Http404 from None
    except ValidationError as invalid:
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _render_detail(request, _case_or_404(request.user, pk), bound=form, status=400)
    except ActionForbidden as forbidden:
        case = _case_or_404(request.user, pk)
        return _render_detail(request, case, error=str(forbidden), typed=_typed(taken, request.POST), status=403)
    except TransitionNotAllowed as refused:
        # Someone else moved the case first: show it as it is now, and what this person wrote.
        case = _case_or_404(request.user, pk)
        return _render_detail(request, case, error=refused.explain(), typed=_typed(taken, request.POST), status=409)
    messages.success(request, _("Done: %(action)s.") % {"action": taken.label})
    return redirect("cases:detail", pk=pk)


def _typed(action, data) -> list[tuple[str, str]]:
    """The texts a refused form carried (label, text): the page shows them so nothing typed is lost."""
    fields = action.form.base_fields.items()
    typed = [(f.label, data.get(f"{action.name}-{name}", "").strip()) for name, f in fields
             if isinstance(f.widget, Textarea)]  # fmt: skip
    return [(label, text) for label, text in typed if text]


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """A desk raises a case from another channel (市长直通车, 信访, phone …)."""
    user = request.user
    if not user.has_role(Role.TOWNSHIP_STAFF, Role.CITY_OFFICE):
        raise PermissionDenied
    form = RaiseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "difficulty": form.cleaned_data["difficulty"] or None}
        try:
            case = services.case_raise(by=user, **data)
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Case %(code)s raised.") % {"code": case.code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form}, status=400 if form.errors else 200)
