"""/dashboard/map/ (一张图) and the admins' upload of township outlines."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrgKind, OrgUnit
from accounts.roles import Role
from dashboards.forms import MapForm
from dashboards.geo import GeoError
from dashboards.mapdata import FIGURE_LABELS, FIGURES, POINT_CAP, township_figures
from dashboards.models import TownshipBoundary
from dashboards.services.boundaries import MAX_BYTES, upload_boundaries
from dashboards.tables import RATE_KEYS
from dashboards.views.common import dashboard_page, query


def map_form(request) -> tuple[MapForm, MapForm]:
    """(the form as submitted, a valid one to compute from): bad filters fall back to the defaults."""
    form = MapForm(request.GET, user=request.user)
    if form.is_valid():
        shown = MapForm(form.params(), user=request.user)
        shown.is_valid()
        return shown, form
    default = MapForm({}, user=request.user)
    default.is_valid()
    return form, default


@dashboard_page
def map_page(request: HttpRequest) -> HttpResponse:
    shown, form = map_form(request)
    sel, figure = form.selection(), form.cleaned_data["figure"]
    params = form.params()
    rows = township_figures(request.user, sel, figure, params)
    context = {
        "form": shown,
        "sel": sel,
        "figure": figure,
        "figure_label": FIGURE_LABELS[figure],
        "percent": FIGURES[figure] in RATE_KEYS,
        "rows": rows,
        "api_url": f"{reverse('api-stats-map')}?{query(params)}",
        "cap": POINT_CAP,
        "is_admin": request.user.has_role(Role.ADMIN),
        "tab": "map",
    }
    return render(request, "dashboards/map.html", context)


class BoundaryUploadForm(forms.Form):
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=OrgUnit.objects.filter(kind=OrgKind.CITY))
    file = forms.FileField(
        label=gettext_lazy("GeoJSON file"),
        help_text=gettext_lazy(
            "A GeoJSON FeatureCollection (lon/lat, WGS 84) of Polygon or MultiPolygon features, at most 5 MB. "
            'Each feature names its township in the property "code" (the township\'s code) or, failing that, '
            '"name" (its name). The townships in the file get these outlines; the others keep theirs.'
        ),
    )


@login_required
def boundaries_page(request: HttpRequest) -> HttpResponse:
    """Admins replace township outlines from a file: all of them, or none with the reason."""
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
        else:
            try:
                written = upload_boundaries(city=form.cleaned_data["city"], raw=upload.read(), user=request.user,
                                            request=request)  # fmt: skip
            except GeoError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("Outlines saved for %(n)s township(s).") % {"n": len(written)})
                return redirect("dashboards:map-boundaries")
    boundaries = TownshipBoundary.objects.select_related("township", "updated_by").order_by(
        "township__city_id", "township__sort_order", "township__code")  # fmt: skip
    return render(request, "dashboards/map_boundaries.html", {"form": form, "boundaries": boundaries, "tab": "map"})
