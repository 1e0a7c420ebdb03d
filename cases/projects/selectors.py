"""Reads of 民生项目, each through the caller's scope."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.scope import scope_of
from cases.models import Case, Project
from cases.selectors import cases_visible_to


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects of the caller's cities, any project holding a case the caller can see, and those its
    units lead or assist."""
    scope = scope_of(user)
    projects = Project.objects.select_related("city", "lead_unit", "created_by")
    if scope.everything:
        return projects
    if scope.is_empty:
        return projects.none()
    holding = cases_visible_to(user).filter(project__isnull=False).values("project_id")
    mine = Q(city_id__in=scope.city_ids) | Q(pk__in=holding)
    if scope.unit_ids:
        assisted = Project.assisting_units.through.objects.filter(orgunit_id__in=scope.unit_ids).values("project_id")
        mine |= Q(lead_unit_id__in=scope.unit_ids) | Q(pk__in=assisted)
    return projects.filter(mine)


def projects_with_visible_cases(user) -> QuerySet[Project]:
    """projects_visible_to, each with ``visible_cases``: the ids of its cases the caller may see (one query)."""
    visible = cases_visible_to(user).only("id", "project_id").order_by("id")
    return projects_visible_to(user).prefetch_related(
        Prefetch("cases", queryset=visible, to_attr="visible_cases"), "milestones", "assisting_units"
    )


def project_cases(user, project: Project) -> QuerySet[Case]:
    """The project's cases the caller may see, with what the project page shows of each."""
    return (
        cases_visible_to(user)
        .filter(project=project)
        .select_related("township", "category", "unit")
        .prefetch_related("feedbacks", "callbacks")
        .order_by("township__name", "created_at")
    )
