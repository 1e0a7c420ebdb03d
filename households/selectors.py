"""Reads of the household ledger; every one goes through ``households_visible_to``.

Who sees records (HOUSEHOLDS.md, DOMAIN.md): the officers stationed at the record's station
today, the staff of its township, admins. The city office and city leaders see counts only
(the figures, not rows); units see nothing of the ledger. Outside the scope is 404.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import StationAssignment
from accounts.scope import scope_of
from households.models import Household


def served_station_ids(user, *, on: datetime.date | None = None) -> QuerySet:
    """The stations an officer serves on a day: their assignments running then."""
    day = on or timezone.localdate()
    rows = StationAssignment.objects.filter(officer_id=user.pk, start__lte=day)
    return rows.filter(Q(end__isnull=True) | Q(end__gte=day)).values("station_id")


def household_scope_q(user) -> Q | None:
    """The rule of households_visible_to as a condition; None when the user may see no record."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    q = Q(township_id__in=scope.township_ids) if scope.township_ids else None
    if scope.officer_id:
        own = Q(station_id__in=served_station_ids(user))
        q = own if q is None else q | own
    return q


def households_visible_to(user) -> QuerySet[Household]:
    rows = Household.objects.select_related("station", "township")
    q = household_scope_q(user)
    return rows.none() if q is None else rows.filter(q)


def may_see_tags(user) -> bool:
    """Tags are sensitive: whoever sees the record's row sees its tags; the city sees counts only."""
    return household_scope_q(user) is not None
