"""/projects/: 民生项目, their progress and how each case's own feedback stands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from cases.models import Instruction, Project
from cases.projects.forms import InstructionForm, ProgressForm
from cases.projects.selectors import project_cases, projects_visible_to
from cases.services.instructions import project_instruction
from cases.services.projects import project_update


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    items = projects_visible_to(request.user).annotate(n_cases=Count("cases")).order_by("-created_at", "-id")[:200]
    return render(request, "cases/projects/list.html", {"projects": items})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _project_or_404(request.user, pk)
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
    return _render_project(request, item, form=form if can_edit else None)


def _project_or_404(user, pk: int) -> Project:
    # Whether it has instructions, read with the row: most have none, and their page skips that query.
    has = Exists(Instruction.objects.filter(project=OuterRef("pk")))
    return get_object_or_404(projects_visible_to(user).annotate(has_instructions=has), pk=pk)


def _render_project(request, item, *, form=None, instruction_form=None, status: int = 200) -> HttpResponse:
    cases = list(project_cases(request.user, item))
    context = {
        "project": item,
        "cases": cases,
        "without_feedback": sum(1 for c in cases if not c.feedbacks.all()),
        "form": form,
        "instructions": item.instructions.select_related("author").order_by("id") if item.has_instructions else (),
        "instruction_form": (instruction_form or InstructionForm()) if request.user.has_role(Role.LEADER) else None,
    }
    return render(request, "cases/projects/detail.html", context, status=status)


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
