"""The ledger's pages: the ledger, a record, a new record, a station's page with its handover note."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from audit.services import audit_log
from core.masking import mask_phone
from households.api.filters import HouseholdFilter
from households.forms import HandoverNoteForm, HouseholdForm, LedgerFilterForm, StatusForm
from households.models import Household
from households.selectors import (
    household_timeline,
    households_visible_to,
    latest_handover_note,
    ledger_counts,
    may_see_phone,
    may_see_tags,
    served_station_ids,
    station_officers,
    station_visible_to,
    stations_kept_by,
    stations_visible_to,
)
from households.services import handover_note_write, household_create, household_update, station_served_by
from residents.staff_views import station_card_context

PAGE_SIZE = 30


def _add_errors(form, exc: ValidationError) -> None:
    for name, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else None, msgs)


def _ledger_page(request: HttpRequest, rows, *, template: str, context: dict) -> HttpResponse:
    filterset = HouseholdFilter(request.GET, queryset=rows)
    shown = filterset.qs if filterset.is_valid() else rows.none()
    page = Paginator(shown.prefetch_related("tags"), PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page:
        record.shown_phone = mask_phone(record.phone)  # lists mask phones; the record's page shows one
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **context,
        "page": page,
        "counts": ledger_counts(rows),
        "query": query.urlencode(),
        "show_tags": may_see_tags(request.user),
        "today": timezone.localdate(),
    }
    return render(request, template, context)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    user = request.user
    shown = list(stations_visible_to(user).filter(is_active=True).order_by("township_id", "name")[:500])
    served = set(served_station_ids(user).values_list("station_id", flat=True))
    context = {
        "filter_form": LedgerFilterForm(request.GET or None, stations=shown),
        "may_add": stations_kept_by(user).exists(),
        # An officer's own stations, each opening its page (officers, handover note).
        "own_stations": [s for s in shown if s.pk in served],
    }
    return _ledger_page(request, households_visible_to(user), template="households/ledger.html", context=context)


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    stations = list(stations_kept_by(user).order_by("township_id", "name")[:500])
    if not stations:
        raise PermissionDenied(_("Only the station's officers and the township's staff keep the ledger."))
    form = HouseholdForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        station = next(s for s in stations if s.pk == form.cleaned_data["station"])
        data = form.values()
        try:
            record = household_create(by=user, station=station, request=request, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record is saved."))
            return redirect("households:record", pk=record.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "households/new.html", {"form": form}, status=status)


def _record_for(user, pk: int) -> Household:
    try:
        return households_visible_to(user).prefetch_related("tags").get(pk=pk)
    except Household.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    household = _record_for(user, pk)
    may_edit = station_served_by(user, household.station) and household.anonymized_at is None
    initial = {f: getattr(household, f) for f in HouseholdForm.base_fields if f != "tags"}
    initial["tags"] = [t.name for t in household.tags.all()]
    form = HouseholdForm(initial=initial) if may_edit else None
    status_form = StatusForm(initial={"status": household.status}) if may_edit else None
    code = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Only the station's officers and the township's staff keep the ledger."))
        if request.POST.get("form") == "status":
            status_form = StatusForm(request.POST)
            target, values = status_form, lambda: {"status": status_form.cleaned_data["status"]}
        else:
            form = HouseholdForm(request.POST)
            target, values = form, form.values
        if target.is_valid():
            try:
                household_update(by=user, record=household, request=request, **values())
            except ValidationError as exc:
                _add_errors(target, exc)
            else:
                messages.success(request, _("The record is saved."))
                return redirect("households:record", pk=pk)
        code = 400
    phones = may_see_phone(user, household)
    if phones and household.phone:
        audit_log(action="view_personal_data", user=user, obj=household, request=request, detail={"fields": ["phone"]})
    context = {
        "record": household,
        "phone": household.phone if phones else mask_phone(household.phone),
        "show_tags": may_see_tags(user),
        "timeline": household_timeline(user, household),
        "form": form,
        "status_form": status_form,
    }
    return render(request, "households/record.html", context, status=code)


@login_required
def station(request: HttpRequest, station_id: int) -> HttpResponse:
    user = request.user
    try:
        unit = station_visible_to(user, station_id)
    except OrgUnit.DoesNotExist as exc:
        raise Http404 from exc
    may_write = served_station_ids(user).filter(station_id=unit.pk).exists()
    note_form = HandoverNoteForm() if may_write else None
    code = 200
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied(_("Only an officer stationed here writes its handover note."))
        note_form = HandoverNoteForm(request.POST)
        if note_form.is_valid():
            try:
                handover_note_write(by=user, station=unit, text=note_form.cleaned_data["text"], request=request)
            except ValidationError as exc:
                _add_errors(note_form, exc)
            else:
                messages.success(request, _("Your handover note is saved; the next officer will see it here."))
                return redirect("households:station", station_id=unit.pk)
        code = 400
    rows = households_visible_to(user).filter(station=unit)
    context = {
        "station": unit,
        "officers": station_officers(unit),
        "note": latest_handover_note(unit),
        "note_form": note_form,
        "may_add": station_served_by(user, unit),
        # The station's 民情码 card (RESIDENTS.md): the QR code, its URL, the PDFs, rotation for those allowed.
        "resident_card": station_card_context(request, unit),
    }
    response = _ledger_page(request, rows, template="households/station.html", context=context)
    response.status_code = code
    return response
