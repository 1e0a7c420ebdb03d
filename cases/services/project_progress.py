"""民生项目 followed through: milestones, progress updates, and feedback drafts for the linked cases.

Who: the city office of the project's city, and the handlers of its lead
unit (progress updates, completing milestones); adding milestones is the
city office's. The caller passes a project it reached through
cases.projects.selectors.projects_visible_to (outside it: 404).

A progress update sent "to the linked cases" stores its text as each open
case's ``feedback_draft``: it prefills that case's feedback form and never
feeds back or closes anything (反映必反馈: each case is told on its own).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_log
from cases.choices import Action, ProjectStatus, Status
from cases.models import Case, CaseEvent, Project, ProjectMilestone, ProjectUpdate
from cases.services.core import now_or, optional_text, require
from cases.services.projects import clean_percent

MAX_UPDATE = 4000


def _is_city_office(by, project: Project) -> bool:
    return Role.CITY_OFFICE in by.role_names and by.org_unit is not None and by.org_unit.city_id == project.city_id


def may_follow(by, project: Project) -> bool:
    """The city office, or a handler of the project's lead unit."""
    lead = (
        project.lead_unit_id is not None
        and Role.UNIT_HANDLER in by.role_names
        and by.org_unit_id == project.lead_unit_id
    )
    return _is_city_office(by, project) or lead


def _require_follow(by, project: Project) -> None:
    require(may_follow(by, project), _("Only the city office or the lead unit reports on this project."))


def clean_milestone(title: str | None, planned_on, *, today: datetime.date) -> tuple[str, datetime.date]:
    errors = {}
    title = optional_text(title, field="milestone_title")
    if not title:
        errors["milestone_title"] = _("Name the milestone.")
    elif len(title) > 200:
        errors["milestone_title"] = _("Keep the title under 200 characters.")
    if not isinstance(planned_on, datetime.date):
        errors["milestone_on"] = _("Give the milestone's planned date.")
    elif planned_on < today:
        errors["milestone_on"] = _("The planned date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    return title, planned_on


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def refresh_late(project: Project, today: datetime.date) -> None:
    """``is_late`` while a milestone is past its date undone; the sweep sets it, completing clears it."""
    late = project.milestones.filter(done_on__isnull=True, planned_on__lt=today).exists()
    if late != project.is_late:
        project.is_late = late
        project.save(update_fields=["is_late"])


@transaction.atomic
def milestone_add(
    *, by, project: Project, title: str, planned_on, now: datetime.datetime | None = None, request=None
) -> ProjectMilestone:
    require(_is_city_office(by, project), _("Only the city office plans the project's milestones."))
    project = _lock(project)
    title, planned_on = clean_milestone(title, planned_on, today=timezone.localdate(now_or(now)))
    last = project.milestones.order_by("-order").values_list("order", flat=True).first() or 0
    milestone = ProjectMilestone.objects.create(project=project, title=title, planned_on=planned_on, order=last + 1)
    audit_log(action="project_milestone_add", user=by, obj=project, request=request, detail={"milestone": milestone.pk})
    return milestone


@transaction.atomic
def milestone_complete(
    *, by, project: Project, milestone_id: int, done_on=None, now: datetime.datetime | None = None, request=None
) -> ProjectMilestone:
    """Mark a milestone done on ``done_on`` (today by default, never in the future); completing the late
    ones clears the project's late flag. Raises ProjectMilestone.DoesNotExist for another project's."""
    _require_follow(by, project)
    project = _lock(project)
    today = timezone.localdate(now_or(now))
    milestone = project.milestones.get(pk=milestone_id)
    done_on = done_on or today
    if not isinstance(done_on, datetime.date) or done_on > today:
        raise ValidationError({"done_on": _("The date it was done cannot be in the future.")})
    if milestone.done_on is not None:
        raise ValidationError({"done_on": _("This milestone is already done.")})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    refresh_late(project, today)
    audit_log(action="project_milestone_done", user=by, obj=project, request=request,
              detail={"milestone": milestone.pk, "done_on": done_on.isoformat()})  # fmt: skip
    return milestone


@transaction.atomic
def progress_update(
    *,
    by,
    project: Project,
    text: str,
    percent,
    draft_to_cases: bool = False,
    now: datetime.datetime | None = None,
    request=None,
) -> ProjectUpdate:
    """A progress note with its percentage: the project's latest progress and a line of its history.

    With ``draft_to_cases`` every linked open case gets the text as its feedback draft and a timeline
    event; no case changes status. A project at 100% is not marked done by itself: the city office says so.
    """
    _require_follow(by, project)
    now = now_or(now)
    errors = {}
    text = optional_text(text, field="text")
    if not text:
        errors["text"] = [_("Write what has been done.")]
    elif len(text) > MAX_UPDATE:
        errors["text"] = [_("Keep it under %(n)d characters.") % {"n": MAX_UPDATE}]
    try:
        percent = clean_percent(percent)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    project = _lock(project)
    project.progress, project.progress_percent = text, percent
    fields = ["progress", "progress_percent"]
    if project.status == ProjectStatus.PLANNED and percent > 0:
        project.status = ProjectStatus.UNDER_WAY
        fields.append("status")
    project.save(update_fields=fields)
    drafted = _draft_to_cases(project, text, by=by, now=now) if draft_to_cases else 0
    update = ProjectUpdate.objects.create(project=project, text=text, percent=percent, by=by, at=now,
                                          drafted_cases=drafted)  # fmt: skip
    audit_log(action="project_progress", user=by, obj=project, request=request,
              detail={"update": update.pk, "percent": percent, "drafted": drafted})  # fmt: skip
    return update


def _draft_to_cases(project: Project, text: str, *, by, now: datetime.datetime) -> int:
    """The text as the feedback draft of each open linked case, with a timeline event each: three statements."""
    open_cases = Case.objects.filter(project=project).exclude(status=Status.CLOSED).order_by("pk")
    rows = list(open_cases.select_for_update().values("pk", "status", "level", "unit_id"))
    if not rows:
        return 0
    Case.objects.filter(pk__in=[r["pk"] for r in rows]).update(feedback_draft=text, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=r["pk"], action=Action.PROJECT_UPDATE_DRAFTED, actor=by, from_status=r["status"],
                  to_status=r["status"], level=r["level"], unit_id=r["unit_id"], note=text,
                  data={"project": project.pk}, created_at=now)
        for r in rows
    )  # fmt: skip
    return len(rows)
