"""/projects/: 民生项目, their progress and how each case's own feedback stands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from cases.models import Instruction, Project, ProjectMilestone
from cases.projects.forms import CompleteForm, InstructionForm, MilestoneForm, SetupForm, UpdateForm
from cases.projects.selectors import project_cases, projects_visible_to
from cases.services.instructions import project_instruction
from cases.services.project_progress import may_follow, milestone_add, milestone_complete, progress_update
from cases.services.projects import project_update, units_of_city


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    items = projects_visible_to(request.user).annotate(n_cases=Count("cases")).order_by("-created_at", "-id")[:200]
    return render(request, "cases/projects/list.html", {"projects": items})


def _is_city_office(user, project) -> bool:
    return user.has_role(Role.CITY_OFFICE) and user.org_unit is not None and user.org_unit.city_id == project.city_id


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The project page; its POST is the city office's set-up form (lead unit, money, status)."""
    item = _project_or_404(request.user, pk)
    if request.method != "POST":
        return _render_project(request, item)
    if not _is_city_office(request.user, item):
        raise PermissionDenied
    form = SetupForm(request.POST, units=units_of_city(item.city_id))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["assisting_units"] = list(data["assisting_units"])
        if data["lead_unit"] is None:
            data.pop("lead_unit")
        try:
            project_update(by=request.user, project=item, request=request, **data)
        except ValidationError as invalid:
            _errors(form, invalid)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", pk=pk)
    return _render_project(request, item, setup_form=form, status=400)


def _errors(form, invalid: ValidationError) -> None:
    for field, errors in invalid.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _project_or_404(user, pk: int) -> Project:
    # Whether it has instructions, read with the row: most have none, and their page skips that query.
    has = Exists(Instruction.objects.filter(project=OuterRef("pk")))
    return get_object_or_404(projects_visible_to(user).annotate(has_instructions=has), pk=pk)


def _rating(case) -> str:
    """The resident's latest satisfaction, as said on the callback that recorded one."""
    rated = [c for c in case.callbacks.all() if c.satisfaction]
    return max(rated, key=lambda c: (c.at, c.pk)).get_satisfaction_display() if rated else ""


def _render_project(
    request, item, *, setup_form=None, milestone_form=None, update_form=None, instruction_form=None, status=200
) -> HttpResponse:
    user = request.user
    cases = list(project_cases(user, item))
    for c in cases:
        c.rating = _rating(c)
    today = timezone.localdate()
    milestones = list(item.milestones.all())
    for m in milestones:
        m.late = m.is_late_on(today)
    office, follows = _is_city_office(user, item), may_follow(user, item)
    units = units_of_city(item.city_id)
    initial = {"lead_unit": item.lead_unit_id, "assisting_units": list(item.assisting_units.all()),
               "status": item.status, "budget": item.budget, "spent": item.spent}  # fmt: skip
    context = {
        "project": item,
        "cases": cases,
        "without_feedback": sum(1 for c in cases if not c.feedbacks.all()),
        "milestones": milestones,
        "updates": item.updates.select_related("by")[:50],
        "assisting": item.assisting_units.all(),
        "setup_form": (setup_form or SetupForm(initial=initial, units=units)) if office else None,
        "milestone_form": (milestone_form or MilestoneForm()) if office else None,
        "complete_form": CompleteForm(auto_id=False) if follows else None,
        "update_form": (update_form or UpdateForm(initial={"percent": item.progress_percent})) if follows else None,
        "instructions": item.instructions.select_related("author").order_by("id") if item.has_instructions else (),
        "instruction_form": (instruction_form or InstructionForm()) if user.has_role(Role.LEADER) else None,
    }
    return render(request, "cases/projects/detail.html", context, status=status)


@login_required
@require_POST
def milestone_add_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project_or_404(request.user, pk)
    if not _is_city_office(request.user, item):
        raise PermissionDenied
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            milestone_add(by=request.user, project=item, request=request, **form.cleaned_data)
        except ValidationError as invalid:
            _errors(form, invalid)
        else:
            messages.success(request, _("Milestone added."))
            return redirect("projects:detail", pk=pk)
    return _render_project(request, item, milestone_form=form, status=400)


@login_required
@require_POST
def milestone_complete_page(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    item = _project_or_404(request.user, pk)
    form = CompleteForm(request.POST)
    if not may_follow(request.user, item):
        raise PermissionDenied
    if form.is_valid():
        try:
            milestone_complete(by=request.user, project=item, milestone_id=mid, request=request,
                               done_on=form.cleaned_data["done_on"])  # fmt: skip
        except ProjectMilestone.DoesNotExist:
            raise Http404 from None
        except ValidationError as invalid:
            for errors in invalid.message_dict.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("projects:detail", pk=pk)
        messages.success(request, _("Milestone done."))
    else:
        messages.error(request, _("Give a valid date."))
    return redirect("projects:detail", pk=pk)


@login_required
@require_POST
def progress_update_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project_or_404(request.user, pk)
    if not may_follow(request.user, item):
        raise PermissionDenied
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            update = progress_update(by=request.user, project=item, request=request, **form.cleaned_data)
        except ValidationError as invalid:
            _errors(form, invalid)
        else:
            if form.cleaned_data["draft_to_cases"]:
                messages.success(request, _("Progress saved; %(n)d open cases got it as a feedback draft.")
                                 % {"n": update.drafted_cases})  # fmt: skip
            else:
                messages.success(request, _("Progress saved."))
            return redirect("projects:detail", pk=pk)
    return _render_project(request, item, update_form=form, status=400)


@login_required
@require_POST
def project_instruction_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's instruction from the project page; a refusal shows the page again with why."""
    form = InstructionForm(request.POST)
    form.is_valid()  # one optional text field: the service says what is wrong with it
    try:
        project_instruction(project_id=pk, by=request.user, content=form.cleaned_data.get("content", ""),
                            request=request)  # fmt: skip
    except Project.DoesNotExist:
        raise Http404 from None
    except ValidationError as invalid:
        for field, errors in invalid.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        item = _project_or_404(request.user, pk)
        return _render_project(request, item, instruction_form=form, status=400)
    messages.success(request, _("Instruction sent."))
    return redirect("projects:detail", pk=pk)
