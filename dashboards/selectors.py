"""Reads of hotspots and exports; each through the caller's scope (projects: cases.projects.selectors)."""

from django.db.models import Prefetch, QuerySet

from accounts.roles import Role
from accounts.scope import scope_of
from dashboards.models import DetectionRun, Export, Hotspot, HotspotCase, HotspotKind


def can_see_hotspots(user) -> bool:
    """The city office works on hotspots; admins and city leaders may read them."""
    scope = scope_of(user)
    return scope.everything or (bool(scope.city_ids) and user.has_role(Role.CITY_OFFICE, Role.LEADER))


def hotspots_visible_to(user, kind: str | None = HotspotKind.HOTSPOT) -> QuerySet[Hotspot]:
    """The caller's hotspots (kind=None: 常态问题 as well, after them), ranked as METRICS.md says."""
    scope = scope_of(user)
    hotspots = Hotspot.objects.select_related("category", "category__parent", "project", "city")
    # "hotspot" sorts before "steady".
    ranked = hotspots.order_by("kind", *Hotspot._meta.ordering)
    hotspots = ranked if kind is None else hotspots.filter(kind=kind)
    if not can_see_hotspots(user):
        return hotspots.none()
    if not scope.everything:
        hotspots = hotspots.filter(city_id__in=scope.city_ids)
    members = HotspotCase.objects.select_related(
        "case", "case__township", "case__category", "case__unit", "case__project"
    ).order_by("-similarity", "case__township__name", "case_id")
    return hotspots.prefetch_related(Prefetch("members", queryset=members))


def last_detection(user) -> DetectionRun | None:
    """The latest detection run of the caller's cities (of any city for the whole installation)."""
    if not can_see_hotspots(user):
        return None
    scope = scope_of(user)
    runs = DetectionRun.objects.filter(finished_at__isnull=False)
    if not scope.everything:
        runs = runs.filter(city_id__in=scope.city_ids)
    return runs.order_by("-finished_at", "-id").first()


def exports_of(user) -> QuerySet[Export]:
    return Export.objects.filter(owner=user).order_by("-created_at", "-id")
