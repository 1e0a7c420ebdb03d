"""批示: a leader writes an instruction on a case or a project; the desk records how it was carried out."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from audit.services import audit_log
from cases.actions.definitions import INSTRUCTION, INSTRUCTION_REPORT
from cases.choices import Action
from cases.models import Case, Instruction, Project
from cases.projects.selectors import projects_visible_to
from cases.services.core import action_service, now_or, record, require, required_text
from notifications.services import notify
from notifications.texts import keyed

_PROJECT_INSTRUCTION = keyed(
    "project.instruction",
    gettext_lazy("A leader wrote an instruction on project {project}"),
    gettext_lazy("{content}"),
)


def _content(value: str | None, *, field: str, message: str) -> str:
    text = required_text(value, field=field, message=message)
    if len(text) > Instruction.MAX_LENGTH:
        raise ValidationError({field: _("Keep it under %(n)d characters.") % {"n": Instruction.MAX_LENGTH}})
    return text


def _instruction_text(value: str | None) -> str:
    return _content(value, field="content", message=_("Write the instruction."))


@action_service
def case_instruction(
    *, case_id: int, by, content: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """A leader's instruction on a case in their area: it stays in its status; the desk and the unit hear of it."""
    now = now_or(now)
    case = INSTRUCTION.acquire(case_id=case_id, actor=by, locked=locked)
    content = _instruction_text(content)
    instruction = Instruction.objects.create(case=case, author=by, content=content, created_at=now)
    case.has_instructions = case.instruction_open = True
    record(case, action=Action.INSTRUCTION, actor=by, from_status=case.status, now=now, note=content,
           unit=case.unit_id, data={"instruction": instruction.pk})  # fmt: skip
    return case


@action_service
def case_instruction_report(
    *,
    case_id: int,
    by,
    instruction,
    content: str,
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """The desk records how one open instruction of the case was carried out; its author hears of it."""
    now = now_or(now)
    case = INSTRUCTION_REPORT.acquire(case_id=case_id, actor=by, locked=locked)
    content = _content(content, field="content", message=_("Say how the instruction was carried out."))
    pk = getattr(instruction, "pk", instruction)
    # The case's open instructions, locked in one read (a handful): the one reported, and whether others wait.
    waiting = list(Instruction.objects.select_for_update().filter(case=case, carried_out_at__isnull=True))
    found = next((i for i in waiting if isinstance(pk, int) and i.pk == pk), None)
    if found is None:
        raise ValidationError({"instruction": _("This is not an instruction of this case waiting for its report.")})
    found.carried_out, found.carried_out_by, found.carried_out_at = content, by, now
    found.save(update_fields=["carried_out", "carried_out_by", "carried_out_at"])
    case.instruction_open = len(waiting) > 1
    record(case, action=Action.INSTRUCTION_REPORT, actor=by, from_status=case.status, now=now, note=content,
           unit=case.unit_id, data={"instruction": found.pk, "written_at": found.created_at.isoformat()})  # fmt: skip
    return case


@transaction.atomic
def project_instruction(
    *, project_id: int, by, content: str, request=None, now: datetime.datetime | None = None
) -> Instruction:
    """A leader's instruction on a project they can see (outside: Project.DoesNotExist, 404);
    the project's lead unit and the city office hear of it."""
    now = now_or(now)
    try:
        project = projects_visible_to(by).select_for_update(of=("self",)).get(pk=project_id)
    except Project.DoesNotExist:
        audit_log(action="project_instruction", user=by, request=request, outcome="not_found",
                  obj=Project(pk=project_id))  # fmt: skip
        raise
    require(by.has_role(Role.LEADER), _("Only a leader writes instructions."))
    content = _instruction_text(content)
    instruction = Instruction.objects.create(project=project, author=by, content=content, created_at=now)
    told = Q(roles__role=Role.CITY_OFFICE, org_unit__city_id=project.city_id)
    if project.lead_unit_id:
        told |= Q(roles__role=Role.UNIT_HANDLER, org_unit_id=project.lead_unit_id)
    people = User.objects.filter(told, is_active=True).exclude(pk=by.pk).values_list("pk", flat=True).distinct()
    notify(
        recipients=list(people), kind="project.instruction", text=_PROJECT_INSTRUCTION,
        params={"project": project.title, "content": content}, url=reverse("projects:detail", args=[project.pk]),
        dedupe_key=f"instruction:{instruction.pk}", now=now,
    )  # fmt: skip
    audit_log(action="project_instruction", user=by, request=request, obj=project)
    return instruction
