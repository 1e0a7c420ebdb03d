"""Reads of hotspots, projects and exports; each through the caller's scope."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.roles import Role
from accounts.scope import scope_of
from cases.models import Case, Project
from cases.selectors import cases_visible_to
from dashboards.models import Export, Hotspot, HotspotCase


def can_see_hotspots(user) -> bool:
    """The city office works on hotspots; admins and city leaders may read them."""
    scope = scope_of(user)
    return scope.everything or (bool(scope.city_ids) and user.has_role(Role.CITY_OFFICE, Role.LEADER))


def hotspots_visible_to(user) -> QuerySet[Hotspot]:
    scope = scope_of(user)
    hotspots = Hotspot.objects.select_related("category", "category__parent", "project", "city")
    if not can_see_hotspots(user):
        return hotspots.none()
    if not scope.everything:
        hotspots = hotspots.filter(city_id__in=scope.city_ids)
    members = HotspotCase.objects.select_related(
        "case", "case__township", "case__category", "case__unit", "case__project"
    ).order_by("-similarity", "case__township__name", "case_id")
    return hotspots.prefetch_related(Prefetch("members", queryset=members))


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


def project_cases(user, project: Project) -> QuerySet[Case]:
    """The project's cases the caller may see, with what the project page shows of each."""
    return (
        cases_visible_to(user)
        .filter(project=project)
        .select_related("township", "category", "unit")
        .prefetch_related("feedbacks")
        .order_by("township__name", "created_at")
    )


def exports_of(user) -> QuerySet[Export]:
    return Export.objects.filter(owner=user).order_by("-created_at", "-id")
