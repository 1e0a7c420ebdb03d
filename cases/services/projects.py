"""民生项目: the city office merges alike cases into one piece of work.

Linking does not change a case's status: each case keeps its own clocks
and still needs its own feedback to its own resident (反映必反馈).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from cases.choices import Action
from cases.models import Case, Project
from cases.selectors import cases_visible_to
from cases.services.core import lock_case, now_or, record, require


def _require_city_office(by) -> None:
    require(Role.CITY_OFFICE in by.role_names, _("Only the city office merges cases into projects."))


@transaction.atomic
def project_create(
    *, by, title: str, case_ids: list[int], description: str = "", now: datetime.datetime | None = None
) -> Project:
    """Create a project and link each case to it, all or nothing.

    Unknown ids and ids outside the caller's city are one and the same
    answer (a field error), so ids cannot be probed. A closed case cannot be
    linked (TransitionNotAllowed → 409).
    """
    _require_city_office(by)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the project a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    ids = sorted(set(case_ids or []))
    if not ids:
        errors["case_ids"] = _("Choose at least one case.")
    else:
        found = set(cases_visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))
        unknown = [str(i) for i in ids if i not in found]
        if unknown:
            errors["case_ids"] = _("Unknown cases: %(ids)s") % {"ids": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        title=title, description=(description or "").strip(), city_id=by.org_unit.city_id, created_by=by
    )
    # Locks are taken in id order so two merges of overlapping cases cannot deadlock.
    for case_id in ids:
        case_link_project(case_id=case_id, project=project, by=by, now=now)
    return project


@transaction.atomic
def case_link_project(*, case_id: int, project: Project, by, now: datetime.datetime | None = None) -> Case:
    """Link one open case to ``project``; the timeline shows it. Linking again to the same project is a no-op."""
    _require_city_office(by)
    now = now_or(now)
    case = lock_case(case_id=case_id, actor=by, action=Action.LINK_PROJECT)
    if case.project_id == project.pk:
        return case
    if case.project_id is not None:
        raise ValidationError(
            {"case_ids": _("Case %(code)s already belongs to another project.") % {"code": case.code}}
        )
    if case.city_id != project.city_id:
        raise ValidationError({"case_ids": _("Case %(code)s is in another city.") % {"code": case.code}})
    case.project = project
    case.save(update_fields=["project", "updated_at"])
    record(
        case, action=Action.LINK_PROJECT, actor=by, from_status=case.status, now=now, note=project.title,
        data={"project": project.pk},
    )  # fmt: skip
    return case


@transaction.atomic
def project_update(*, by, project: Project, progress: str, is_done: bool) -> Project:
    """Report the project's progress; every linked case shows it."""
    _require_city_office(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    project.progress = (progress or "").strip()
    project.is_done = bool(is_done)
    project.save(update_fields=["progress", "is_done"])
    return project
