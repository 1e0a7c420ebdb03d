"""Reading the audit trail: who may search it, and the one scoped, filtered query every view uses.

Scope (issue 7: "the city office and admins can search them"): an admin sees
every row. A city office user sees the rows of people who belong to their
city: the acting user's organisation unit is in that city, or, for a failed
sign-in that names no user row, the typed username is one of that city's
users. Rows of nobody in particular (the sweep, an unknown username) are
for admins only. Everyone else may not open the trail at all (403).
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit import words
from audit.models import AuditEvent


def may_search_audit(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_role(Role.ADMIN, Role.CITY_OFFICE)


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """The rows the user may search, newest first; none for a user who may not search."""
    events = AuditEvent.objects.all()
    if not may_search_audit(user):
        return events.none()
    if user.is_superuser or user.has_role(Role.ADMIN):
        return events
    city_id = user.org_unit.city_id if user.org_unit_id else None
    if city_id is None:
        return events.none()
    city_usernames = User.objects.filter(org_unit__city_id=city_id).values("username")
    return events.filter(Q(user__org_unit__city_id=city_id) | Q(user__isnull=True, username__in=city_usernames))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def audit_search(user, filters: dict) -> QuerySet[AuditEvent]:
    """The visible rows narrowed by the search form's cleaned data (empty values are ignored)."""
    events = audit_events_visible_to(user).select_related("user").order_by("-at", "-id")
    if day := filters.get("date_from"):
        events = events.filter(at__gte=_local_midnight(day))
    if day := filters.get("date_to"):
        events = events.filter(at__lt=_local_midnight(day + datetime.timedelta(days=1)))
    if name := filters.get("username"):
        events = events.filter(username__iexact=name)
    if action := filters.get("action"):
        # A word of the reader's language or a code: "导出" and "export" find the same rows.
        events = events.filter(action__in=[action, *words.actions_matching(action)])
    if object_type := filters.get("object_type"):
        events = events.filter(object_type__in=[object_type, *words.object_types_matching(object_type)])
    if object_id := filters.get("object_id"):
        events = events.filter(object_id=object_id)
    if outcome := filters.get("outcome"):
        events = events.filter(outcome=outcome)
    if ip := filters.get("ip"):
        events = events.filter(ip=ip)
    return events
