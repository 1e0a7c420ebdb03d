"""Reads of 民生项目, each through the caller's scope."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.scope import scope_of
from cases.models import Case, Project
from cases.selectors import cases_visible_to


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects of the caller's cities, and any project holding a case the caller can see."""
    scope = scope_of(user)
    projects = Project.objects.select_related("city", "lead_unit", "created_by")
    if scope.everything:
        return projects
    if scope.is_empty:
        return projects.none()
    holding = cases_visible_to(user).filter(project__isnull=False).values("project_id")
    return projects.filter(Q(city_id__in=scope.city_ids) | Q(pk__in=holding))


def projects_with_visible_cases(user) -> QuerySet[Project]:
    """projects_visible_to, each with ``visible_cases``: the ids of its cases the caller may see (one query)."""
    visible = cases_visible_to(user).only("id", "project_id").order_by("id")
    return projects_visible_to(user).prefetch_related(Prefetch("cases", queryset=visible, to_attr="visible_cases"))


def project_cases(user, project: Project) -> QuerySet[Case]:
    """The project's cases the caller may see, with what the project page shows of each."""
    return (
        cases_visible_to(user)
        .filter(project=project)
        .select_related("township", "category", "unit")
        .prefetch_related("feedbacks")
        .order_by("township__name", "created_at")
    )
