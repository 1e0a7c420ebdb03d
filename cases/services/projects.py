"""民生项目: the city office merges alike cases into one piece of work and sets it up.

Linking does not change a case's status: each case keeps its own clocks
and still needs its own feedback to its own resident (反映必反馈).
Progress, milestones and feedback drafts: cases.services.project_progress.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgKind, OrgUnit
from accounts.roles import Role
from audit.services import audit_log
from cases.choices import Action, ProjectStatus
from cases.models import Case, Project, ProjectMilestone
from cases.selectors import cases_visible_to
from cases.services.core import lock_case, now_or, optional_text, record, require

LEAD_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP_OFFICE, OrgKind.TOWNSHIP, OrgKind.PARK, OrgKind.OTHER)
MAX_MONEY = Decimal("9999999999.99")


def _require_city_office(by) -> None:
    require(Role.CITY_OFFICE in by.role_names, _("Only the city office merges cases into projects."))


def units_of_city(city_id: int):
    """The units a project of the city may be led or assisted by: the units that handle cases, not stations."""
    return OrgUnit.objects.filter(city_id=city_id, kind__in=LEAD_KINDS).order_by("kind", "name")


def _unit_of_city(unit, city_id: int, *, field: str) -> OrgUnit:
    pk = getattr(unit, "pk", unit)
    found = units_of_city(city_id).filter(pk=pk).first() if isinstance(pk, int) else None
    if found is None:
        raise ValidationError({field: _("Choose a unit of the city.")})
    return found


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the project a title.")})
    if len(title) > 200 or "\x00" in title:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    return title


@transaction.atomic
def project_create(
    *,
    by,
    title: str,
    case_ids: list[int],
    description: str = "",
    lead_unit=None,
    milestone: tuple[str, datetime.date] | None = None,
    require_lead: bool = False,
    now: datetime.datetime | None = None,
    request=None,
) -> Project:
    """Create a project and link each case to it, all or nothing.

    Unknown ids and ids outside the caller's city are one and the same
    answer (a field error), so ids cannot be probed. A closed case cannot be
    linked (TransitionNotAllowed → 409). ``require_lead``: a project made
    from a hotspot needs its lead unit and its first milestone at once.
    """
    _require_city_office(by)
    now = now_or(now)
    city_id = by.org_unit.city_id
    errors = {}
    try:
        title = _title(title)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    ids = sorted(set(case_ids or []))
    if not ids:
        errors["case_ids"] = _("Choose at least one case.")
    else:
        found = set(cases_visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))
        unknown = [str(i) for i in ids if i not in found]
        if unknown:
            errors["case_ids"] = _("Unknown cases: %(ids)s") % {"ids": ", ".join(unknown)}
    lead = None
    if lead_unit is not None or require_lead:
        try:
            lead = _unit_of_city(lead_unit, city_id, field="lead_unit")
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if milestone is not None or require_lead:
        from cases.services.project_progress import clean_milestone

        try:
            milestone = clean_milestone(*(milestone or ("", None)), today=timezone.localdate(now))
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    project = Project.objects.create(
        title=title, description=(description or "").strip(), city_id=city_id, created_by=by, lead_unit=lead
    )
    if milestone:
        ProjectMilestone.objects.create(project=project, title=milestone[0], planned_on=milestone[1], order=1)
    # Locks are taken in id order so two merges of overlapping cases cannot deadlock.
    for case_id in ids:
        case_link_project(case_id=case_id, project=project, by=by, now=now)
    audit_log(action="project_create", user=by, obj=project, request=request, detail={"cases": len(ids)})
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


def clean_money(value, *, field: str) -> Decimal:
    """万元 with two places, not negative; anything else is a field error."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Give an amount in 10,000 yuan, e.g. 12.50.")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("At most two decimal places.")})
    return amount


def clean_percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if isinstance(value, bool) or str(value).strip() != str(percent) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Progress is a whole number from 0 to 100.")})
    return percent


_UNSET = object()


@transaction.atomic
def project_update(
    *,
    by,
    project: Project,
    lead_unit=_UNSET,
    assisting_units=_UNSET,
    budget=_UNSET,
    spent=_UNSET,
    percent=_UNSET,
    status=_UNSET,
    progress=_UNSET,
    request=None,
) -> Project:
    """The city office sets up the project; only the fields given change. Spent over budget is allowed
    (the page flags it); a bad value is a field error and nothing is written."""
    _require_city_office(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors, changed = {}, {}

    def take(field, clean):
        try:
            changed[field] = clean()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)

    if lead_unit is not _UNSET:
        take("lead_unit", lambda: _unit_of_city(lead_unit, project.city_id, field="lead_unit"))
    if budget is not _UNSET:
        take("budget", lambda: clean_money(budget, field="budget"))
    if spent is not _UNSET:
        take("spent", lambda: clean_money(spent, field="spent"))
    if percent is not _UNSET:
        take("progress_percent", lambda: clean_percent(percent))
    if status is not _UNSET:
        if status not in ProjectStatus.values:
            errors["status"] = [_("Choose a status.")]
        else:
            changed["status"] = status
    if progress is not _UNSET:
        take("progress", lambda: optional_text(progress, field="progress")[:4000])
    units = None
    if assisting_units is not _UNSET:
        units = []
        for unit in assisting_units or []:
            try:
                units.append(_unit_of_city(unit, project.city_id, field="assisting_units"))
            except ValidationError as invalid:
                errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    for field, value in changed.items():
        setattr(project, field, value)
    if changed:
        project.save(update_fields=list(changed))
    if units is not None:
        project.assisting_units.set(units)
    detail = {k: str(getattr(v, "pk", v)) for k, v in changed.items()}
    if units is not None:
        detail["assisting_units"] = [u.pk for u in units]
    audit_log(action="project_update", user=by, obj=project, request=request, detail=detail)
    return project
