"""The village register import page (HOUSEHOLDS.md "Import"): admins and township staff."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import STATION_KINDS, OrgUnit
from accounts.roles import Role
from accounts.scope import scope_of
from households.imports import MAX_BYTES, MAX_ROWS, ImportRefused, import_register, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_import(user) -> bool:
    return user.has_role(Role.ADMIN, Role.TOWNSHIP_STAFF) or scope_of(user).everything


def stations_for_import(user):
    """The stations whose ledger the caller keeps as a whole (households.services.station_served_by)."""
    scope = scope_of(user)
    stations = OrgUnit.objects.filter(kind__in=STATION_KINDS, is_active=True)
    if not scope.everything:
        stations = stations.filter(township_id__in=scope.township_ids)
    return stations.select_related("township").order_by("township__sort_order", "township__code", "sort_order", "code")


class RegisterImportForm(forms.Form):
    station = forms.ModelChoiceField(label=gettext_lazy("Village or community"), queryset=OrgUnit.objects.none())
    file = forms.FileField(label=gettext_lazy("Register (.xlsx)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations_for_import(user)
        self.fields["station"].label_from_instance = lambda s: f"{s.township.name if s.township else ''} · {s.name}"


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a register for one station: all rows are written, or none and every error is listed."""
    if not _may_import(request.user):
        raise PermissionDenied
    form = RegisterImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        station = form.cleaned_data["station"]
        try:
            done = import_register(form.cleaned_data["file"], station=station, by=request.user, request=request)
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("Imported into %(station)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {"station": station.name, "created": done.created, "updated": done.updated,
                   "unchanged": done.unchanged},
            )  # fmt: skip
            return redirect("households-import:page")
    context = {"form": form, "errors": errors, "max_mb": MAX_BYTES // (1024 * 1024), "max_rows": MAX_ROWS}
    return render(request, "households/import.html", context, status=400 if errors else 200)


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%B0%91%E6%83%85%E6%A1%A3%E6%A1%88%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
