"""Diary pages: the officer's phone form, the lists and one entry with its cases."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from core import idempotency
from diaries import residents, rules
from diaries.filters import DiaryFilter
from diaries.forms import DiaryForm, IssueFormSet, ReviewForm, VisitFormSet, diary_data, filled
from diaries.listing import filter_form_for
from diaries.models import DiaryEntry
from diaries.photos import MAX_BYTES, MAX_PHOTOS
from diaries.selectors import diaries_visible_to, diary_detail, diary_list, may_review
from diaries.services import IDEMPOTENCY_SCOPE, DiaryInvalid, diary_create, diary_review
from households import picker
from households.selectors import households_visible_to

PAGE_SIZE = 20


def _wants_json(request: HttpRequest) -> bool:
    """The page's script submits with fetch and asks for JSON; a plain form post gets HTML."""
    return "application/json" in request.headers.get("Accept", "")


def _page_fingerprint(request: HttpRequest) -> str:
    fields = sorted(
        (name, value)
        for name in request.POST
        if name not in {"csrfmiddlewaretoken", "idempotency_key"}
        for value in request.POST.getlist(name)
    )
    files = [
        (name, idempotency.upload_digest(f)) for name in sorted(request.FILES) for f in request.FILES.getlist(name)
    ]
    return idempotency.fingerprint({"channel": "page", "fields": fields, "files": files})


def _field_errors(form, visits, issues) -> dict[str, list[str]]:
    """Every error keyed by the input's name, for the script to put next to that input."""
    errors: dict[str, list[str]] = {}
    for f in [form, *visits.forms, *issues.forms]:
        for name, messages_ in f.errors.items():
            key = f.add_prefix(name) if name != "__all__" else "__all__"
            errors.setdefault(key, []).extend(messages_)
    for formset in (visits, issues):
        if formset.non_form_errors():
            errors.setdefault(formset.prefix, []).extend(formset.non_form_errors())
    return errors


# A new household's fields on the visit row, by the service's names.
_NEW_FIELDS = {"name": "new_name", "address": "new_address", "phone": "new_phone", "tags": "new_tags"}


def _visit_kwargs(user) -> dict:
    return {"records": picker.offered_without_script(user), "tags": picker.offered_tags()}


def _apply_visit_errors(visit_forms, errors: list) -> None:
    for visit_form, visit_errors in zip(visit_forms, errors, strict=False):
        for field, msgs in visit_errors.items():
            if field == "new_household" and isinstance(msgs, dict):
                for sub, sub_msgs in msgs.items():
                    visit_form.add_error(_NEW_FIELDS.get(sub, "new_name"), sub_msgs)
            else:
                visit_form.add_error(field if field in visit_form.fields else None, msgs)


def _apply_service_errors(exc: DiaryInvalid, form, issue_forms, visit_forms=()) -> None:
    for name, value in exc.errors.items():
        if name == "visits" and visit_forms:
            _apply_visit_errors(visit_forms, value)
        elif name == "issues":
            for issue_form, issue_errors in zip(issue_forms, value, strict=False):
                for field, msgs in issue_errors.items():
                    issue_form.add_error(field if field in issue_form.fields else None, msgs)
        else:
            form.add_error(name if name in form.fields else None, value)


def _done(request: HttpRequest, entry_id: int, *, replayed: bool) -> HttpResponse:
    url = reverse("diaries:detail", args=[entry_id])
    if _wants_json(request):
        return JsonResponse({"id": entry_id, "url": url, "replayed": replayed}, status=200 if replayed else 201)
    messages.success(request, _("Your diary entry is saved."))
    return redirect(url, permanent=False)


@login_required
def diary_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only a stationed officer writes diary entries."))
    categories = rules.active_categories()
    if request.method != "POST":
        form = DiaryForm(officer=user, initial={"idempotency_key": uuid.uuid4().hex})
        visits = VisitFormSet(prefix="visits", form_kwargs=_visit_kwargs(user))
        issues = IssueFormSet(prefix="issues", form_kwargs={"categories": categories})
        return _render_new(request, form, visits, issues)

    form = DiaryForm(request.POST, request.FILES, officer=user)
    visits = VisitFormSet(request.POST, prefix="visits", form_kwargs=_visit_kwargs(user))
    issues = IssueFormSet(request.POST, prefix="issues", form_kwargs={"categories": categories})
    key = (request.POST.get("idempotency_key") or request.headers.get("Idempotency-Key") or "").strip()
    if not idempotency.is_valid_key(key):
        form.add_error(None, _("This form is out of date; reload the page and try again."))
        return _render_new(request, form, visits, issues, status=400)
    fingerprint = _page_fingerprint(request)
    try:
        found = idempotency.lookup(user=user, scope=IDEMPOTENCY_SCOPE, key=key, fingerprint=fingerprint)
        if found is not None:
            return _done(request, found.body["id"], replayed=True)
        if form.is_valid() & visits.is_valid() & issues.is_valid():
            data = diary_data(form, visits, issues)
            outcome = idempotency.once(
                user=user,
                scope=IDEMPOTENCY_SCOPE,
                key=key,
                fingerprint=fingerprint,
                work=lambda: (201, {"id": diary_create(officer=user, data=data, photos=form.cleaned_data["photos"],
                                                       request=request).pk}),
            )  # fmt: skip
            return _done(request, outcome.body["id"], replayed=outcome.replayed)
    except idempotency.KeyReused:
        form.add_error(
            None, _("This entry was already sent with different content. Reload the page to start a new one.")
        )
    except DiaryInvalid as exc:
        _apply_service_errors(exc, form, filled(issues), filled(visits))
    return _render_new(request, form, visits, issues, status=400)


def _render_new(request, form, visits, issues, status: int = 200) -> HttpResponse:
    if status == 400 and _wants_json(request):
        return JsonResponse({"errors": _field_errors(form, visits, issues)}, status=400)
    context = {"form": form, "visits": visits, "issues": issues, "max_photos": MAX_PHOTOS, "max_photo_bytes": MAX_BYTES}
    return render(request, "diaries/new.html", context, status=status)


@login_required
def diary_list_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    entries = diary_list(user)
    filter_form = filter_form_for(user, request.GET)
    filterset = DiaryFilter(request.GET, queryset=entries)
    rows = filterset.qs if filterset.is_valid() else entries.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.shown_visits = residents.in_list(user, entry).visits(entry)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filter_form": filter_form,
        "query": query.urlencode(),
        "is_officer": user.has_role(Role.OFFICER),
    }
    return render(request, "diaries/list.html", context)


def _records_seen(user, visits) -> dict[int, str]:
    """The names of the linked household records the viewer may see (one query, only when some are linked)."""
    ids = {v.household for v in visits if v.household}
    if not ids:
        return {}
    return dict(households_visible_to(user).filter(pk__in=ids).values_list("id", "name"))


@login_required
def diary_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        entry = diary_detail(user).get(pk=pk)
    except DiaryEntry.DoesNotExist as exc:
        raise Http404 from exc
    reveal = request.GET.get("reveal") == "1"
    view = residents.on_entry(request, entry, reveal=reveal)
    earlier = None
    if entry.copy_of_id:
        # Beside the flagged entry, but only if the viewer may see it too.
        earlier = diaries_visible_to(user).filter(pk=entry.copy_of_id).select_related("station").first()
    shown = view.visits(entry)
    records = _records_seen(user, shown)
    context = {
        "entry": entry,
        "visits": [(v, records.get(v.household)) for v in shown],
        "reveal": reveal,
        "may_reveal": view.names and not reveal and any(v.phone for v in entry.visits.all()),
        "earlier": earlier,
        "copy_percent": round((entry.copy_score or 0) * 100),
        "review_form": ReviewForm() if may_review(user) else None,
    }
    return render(request, "diaries/detail.html", context)


@login_required
@require_POST
def diary_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    if not diaries_visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    if not may_review(request.user):
        raise PermissionDenied(_("Only township staff and the city office review diary entries."))
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            diary_review(entry_id=pk, by=request.user, comment=form.cleaned_data["comment"], request=request)
        except DiaryEntry.DoesNotExist as exc:
            raise Http404 from exc
        messages.success(request, _("Your review is saved; the officer has been told."))
    else:
        messages.error(request, _("Write a comment before sending the review."))
    return redirect("diaries:detail", pk=pk)
