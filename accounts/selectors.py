"""Reads of organisation, people and assignments; every one goes through a scope."""

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import SILENCE_REMINDER_DAYS, ApiToken, CitySettings, OrgUnit, StationAssignment, User
from accounts.roles import Role
from accounts.scope import Scope, scope_of


def org_units_visible_to(user) -> QuerySet[OrgUnit]:
    """Units of the user's cities and townships, the city-level units of their
    own city (so anyone can name a department), their own unit and stations."""
    scope = scope_of(user)
    units = OrgUnit.objects.select_related("parent")
    if scope.everything:
        return units
    if scope.is_empty:
        return units.none()
    q = Q(city_id__in=scope.city_ids) | Q(township_id__in=scope.township_ids) | Q(pk__in=scope.unit_ids)
    if scope.home_city_id:
        q |= Q(city_id=scope.home_city_id, township__isnull=True)
    if scope.officer_id:
        own = StationAssignment.objects.filter(officer_id=scope.officer_id)
        q |= Q(pk__in=own.values("station_id")) | Q(pk__in=own.values("station__township_id"))
    return units.filter(q)


def users_visible_to(user) -> QuerySet[User]:
    scope = scope_of(user)
    users = User.objects.select_related("org_unit").prefetch_related("roles")
    if scope.everything:
        return users
    q = Q(pk=user.pk)
    if scope.city_ids:
        q |= Q(org_unit__city_id__in=scope.city_ids)
    if scope.township_ids:
        # Staff of the township's units, and officers stationed in it even
        # when their home unit is a city department.
        q |= Q(org_unit__township_id__in=scope.township_ids)
        q |= Q(assignments__station__township_id__in=scope.township_ids)
    if scope.unit_ids:
        q |= Q(org_unit_id__in=scope.unit_ids)
    return users.filter(q).distinct()


def assignments_visible_to(user) -> QuerySet[StationAssignment]:
    rows = StationAssignment.objects.select_related("officer", "station", "station__township", "dispatching_unit")
    return rows.filter(assignment_scope_q(scope_of(user)))


def assignment_scope_q(scope: Scope) -> Q:
    """The rule of assignments_visible_to as a condition, for lists and figures alike."""
    if scope.everything:
        return Q()
    q = Q(station__city_id__in=scope.city_ids) | Q(station__township_id__in=scope.township_ids)
    q |= Q(dispatching_unit_id__in=scope.unit_ids)
    if scope.officer_id:
        q |= Q(officer_id=scope.officer_id)
    return q


def assignments_active_for(officer, *, on: datetime.date | None = None) -> QuerySet[StationAssignment]:
    """The officer's own stations on a day (today by default): the diary form's choices."""
    day = on or timezone.localdate()
    return (
        StationAssignment.objects.filter(officer=officer, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("station", "station__township")
        .order_by("station__name")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens still alive: a token is only ever its owner's to list or revoke."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created", "-id")


def silence_reminder_days(city_ids: Iterable[int]) -> dict[int, int | None]:
    """Each county's silence reminder in days, None where it is switched off (CitySettings; the
    default where a county chose nothing). The sweep reads the same setting in its SQL."""
    ids = set(city_ids)
    chosen = dict(CitySettings.objects.filter(city_id__in=ids).values_list("city_id", "silence_reminder_days"))
    return {city: (chosen[city] or None) if city in chosen else SILENCE_REMINDER_DAYS for city in ids}


def assignments_not_ended(officer, *, on: datetime.date | None = None) -> QuerySet[StationAssignment]:
    """The officer's assignments running on the day or starting later: what a handover passes on."""
    day = on or timezone.localdate()
    return StationAssignment.objects.filter(officer=officer).filter(Q(end__isnull=True) | Q(end__gte=day))


def officer_townships(officer, *, on: datetime.date | None = None) -> set[int]:
    """The townships an officer works in: those of their stations, and of their own unit when it is
    a township's (officers sent from a city department belong to no township but their stations')."""
    rows = assignments_not_ended(officer, on=on).values_list("station__township_id", flat=True)
    townships = set(rows)
    if officer.org_unit_id:
        townships.add(OrgUnit.objects.filter(pk=officer.org_unit_id).values_list("township_id", flat=True).first())
    townships.discard(None)
    return townships


def officers_of_townships(townships: set[int], *, on: datetime.date | None = None) -> QuerySet[User]:
    """Active officers working in any of ``townships`` (officer_townships, as one condition)."""
    day = on or timezone.localdate()
    stationed = StationAssignment.objects.filter(station__township_id__in=townships).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    return (
        User.objects.filter(is_active=True, roles__role=Role.OFFICER)
        .filter(Q(org_unit__township_id__in=townships) | Q(pk__in=stationed.values("officer_id")))
        .select_related("org_unit")
        .distinct()
        .order_by("name", "username")
    )
