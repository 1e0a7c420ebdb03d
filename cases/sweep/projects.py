"""The sweep's 民生项目 rule: a milestone past its planned date and not done flags its project late
and tells the lead unit's handlers and the city office, once per milestone.

Set-based like the rest of the sweep: the milestones are picked and marked (``late_noticed_on``) in one
statement under lock, so a milestone is announced once however often and on however many workers the
sweep runs; the notices carry a dedupe key per milestone too.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from cases.models import Project, ProjectMilestone
from notifications.services import Notice, notify_many
from notifications.texts import keyed

MILESTONE_LATE = keyed(
    "project.milestone_late",
    _("Project {project}: milestone {milestone} is late"),
    _("It was planned for {date} and is not done."),
)


def late_milestones(state) -> int:
    """Flag projects with a late milestone (every time), and announce each newly late milestone once."""
    today = timezone.localdate(state.now)
    late = ProjectMilestone.objects.filter(done_on__isnull=True, planned_on__lt=today)
    Project.objects.filter(is_late=False).filter(Exists(late.filter(project=OuterRef("pk")))).update(is_late=True)
    new = late.filter(late_noticed_on__isnull=True).select_for_update()
    ids = list(new.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    ProjectMilestone.objects.filter(pk__in=ids).update(late_noticed_on=today)
    milestones = list(ProjectMilestone.objects.filter(pk__in=ids).select_related("project").order_by("pk"))
    projects = {m.project for m in milestones}
    offices, handlers = defaultdict(set), defaultdict(set)
    people = User.objects.filter(is_active=True, roles__role__in=[Role.CITY_OFFICE, Role.UNIT_HANDLER]).filter(
        org_unit__city_id__in={p.city_id for p in projects}
    )
    for pk, role, unit_id, city_id in people.values_list("pk", "roles__role", "org_unit_id", "org_unit__city_id"):
        if role == Role.CITY_OFFICE:
            offices[city_id].add(pk)
        else:
            handlers[unit_id].add(pk)
    notify_many([
        Notice(
            recipients=offices[m.project.city_id] | handlers.get(m.project.lead_unit_id, set()),
            kind="project.milestone_late", text=MILESTONE_LATE,
            params={"project": m.project.title, "milestone": m.title, "date": m.planned_on.isoformat()},
            url=reverse("projects:detail", args=[m.project_id]), dedupe_key=f"milestone:{m.pk}:late", now=state.now,
        )
        for m in milestones
    ])  # fmt: skip
    return len(ids)
