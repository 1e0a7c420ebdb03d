"""/projects/: 民生项目, their progress and how each case's own feedback stands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.roles import Role
from cases.projects.forms import ProgressForm
from cases.projects.selectors import project_cases, projects_visible_to
from cases.services.projects import project_update


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    items = projects_visible_to(request.user).annotate(n_cases=Count("cases")).order_by("-created_at", "-id")[:200]
    return render(request, "cases/projects/list.html", {"projects": items})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(projects_visible_to(request.user), pk=pk)
    can_edit = request.user.has_role(Role.CITY_OFFICE)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ProgressForm(request.POST)
        if form.is_valid():
            project_update(by=request.user, project=item, **form.cleaned_data)
            messages.success(request, _("Progress saved."))
            return redirect("projects:detail", pk=pk)
    else:
        form = ProgressForm(initial={"progress": item.progress, "is_done": item.is_done})
    cases = list(project_cases(request.user, item))
    context = {
        "project": item,
        "cases": cases,
        "without_feedback": sum(1 for c in cases if not c.feedbacks.all()),
        "form": form if can_edit else None,
    }
    return render(request, "cases/projects/detail.html", context)
