"""/dashboard/hotspots/: alike cases surging across townships, then the 常态问题; one action makes a project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from cases.projects.forms import HotspotProjectForm
from cases.services.projects import units_of_city
from cases.transitions import TransitionNotAllowed
from dashboards.models import HotspotKind
from dashboards.selectors import can_see_hotspots, hotspots_visible_to, last_detection
from dashboards.services.hotspots import NothingToLink, hotspot_make_project
from minqing.routers import replica_view


def _require_hotspots(user) -> None:
    if not can_see_hotspots(user):
        raise PermissionDenied


@login_required
@replica_view
def hotspots(request: HttpRequest) -> HttpResponse:
    _require_hotspots(request.user)
    items = list(hotspots_visible_to(request.user, kind=None))
    context = {
        "hotspots": [h for h in items if h.kind == HotspotKind.HOTSPOT],
        "steady": [h for h in items if h.kind == HotspotKind.STEADY],
        "last_run": last_detection(request.user),
        "can_act": request.user.has_role(Role.CITY_OFFICE),
        "tab": "hotspots",
    }
    return render(request, "dashboards/hotspots.html", context)


@login_required
def hotspot_to_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The city office turns a hotspot into a project: title, lead unit and first milestone, then the
    hotspot's open cases are linked. Bad input shows the form again with nothing written."""
    _require_hotspots(request.user)
    if not request.user.has_role(Role.CITY_OFFICE):
        raise PermissionDenied
    hotspot = get_object_or_404(hotspots_visible_to(request.user), pk=pk)
    if hotspot.project_id:
        return redirect("projects:detail", pk=hotspot.project_id)
    units = units_of_city(hotspot.city_id)
    form = HotspotProjectForm(request.POST or None, initial={"title": hotspot.title}, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project, linked, skipped = hotspot_make_project(
                hotspot=hotspot, by=request.user, title=data["title"], lead_unit=data["lead_unit"],
                milestone=(data["milestone_title"], data["milestone_on"]), request=request,
            )  # fmt: skip
        except NothingToLink:
            messages.error(request, _("Every case of this hotspot is closed or already in a project."))
            return redirect("dashboards:hotspots")
        except TransitionNotAllowed:
            messages.error(request, _("Some cases changed meanwhile; look at the hotspot again and retry."))
            return redirect("dashboards:hotspots")
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Project created with %(n)d cases; %(s)d closed or already merged cases were left as they are.")
                % {"n": linked, "s": skipped},
            )
            return redirect("projects:detail", pk=project.pk)
    members = [m.case for m in hotspot.members.all()]
    context = {
        "hotspot": hotspot, "form": form, "tab": "hotspots",
        "open_count": sum(1 for c in members if c.is_open and c.project_id is None),
    }  # fmt: skip
    return render(request, "dashboards/hotspot_project.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def hotspot_detect(request: HttpRequest) -> HttpResponse:
    """Start a detection in the worker now instead of waiting for the nightly run."""
    user = request.user
    if not (user.has_role(Role.CITY_OFFICE) or user.is_superuser or user.has_role(Role.ADMIN)):
        raise PermissionDenied
    from dashboards.tasks import detect_hotspots

    city_id = user.org_unit.city_id if user.has_role(Role.CITY_OFFICE) and user.org_unit else None
    transaction.on_commit(lambda: detect_hotspots.delay(city_id))
    messages.info(request, _("Detection started. Reload this page in a minute."))
    return redirect("dashboards:hotspots")
