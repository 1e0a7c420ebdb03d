"""Reads of hotspots and exports; each through the caller's scope (projects: cases.projects.selectors)."""

from django.db.models import Prefetch, QuerySet

from accounts.roles import Role
from accounts.scope import scope_of
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


def exports_of(user) -> QuerySet[Export]:
    return Export.objects.filter(owner=user).order_by("-created_at", "-id")
