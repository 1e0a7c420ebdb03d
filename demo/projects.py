"""The demo's 民生项目: the top hotspot of the county made a project by the city office, as a user would,
with a lead unit, two milestones (the first done), a budget, money spent and a progress update."""

import datetime

from django.utils import timezone

from accounts.models import OrgKind, OrgUnit, User
from accounts.roles import Role
from cases.choices import ProjectStatus
from cases.models import Project
from cases.services.project_progress import milestone_add, milestone_complete, progress_update
from cases.services.projects import project_update
from dashboards.models import Hotspot
from dashboards.services.hotspots import NothingToLink, hotspot_make_project


def seed_project(city: OrgUnit) -> Project | None:
    """Once per county: nothing is added when it already has a project or no hotspot to make one from."""
    if Project.objects.filter(city=city).exists():
        return None
    office = User.objects.filter(roles__role=Role.CITY_OFFICE, org_unit=city, is_active=True).order_by("pk").first()
    lead = OrgUnit.objects.filter(city=city, kind=OrgKind.DEPARTMENT).order_by("code").first()
    hotspot = Hotspot.objects.filter(city=city, project__isnull=True).order_by("-cases_count", "pk").first()
    if office is None or lead is None or hotspot is None:
        return None
    today = timezone.localdate()
    try:
        project, _linked, _skipped = hotspot_make_project(
            hotspot=hotspot, by=office, lead_unit=lead, milestone=("完成现场勘察和设计", today)
        )
    except NothingToLink:
        return None
    first = project.milestones.get()
    milestone_complete(by=office, project=project, milestone_id=first.pk, done_on=today)
    milestone_add(by=office, project=project, title="完成施工并验收", planned_on=today + datetime.timedelta(days=45))
    project_update(by=office, project=project, budget="120.00", spent="45.50", status=ProjectStatus.UNDER_WAY)
    progress_update(by=office, project=project, text="勘察设计已完成，施工队已进场，预计一个半月完工。", percent=35)
    return project
