"""Reads of cases; every list, detail, count, dashboard and export starts from cases_visible_to."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import StationAssignment
from accounts.scope import scope_of
from cases.models import Case, Category, Dispatch


def categories_active() -> QuerySet[Category]:
    """Categories are shared reference data: every signed-in user may read them."""
    return Category.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")


def cases_visible_to(user) -> QuerySet[Case]:
    """DOMAIN.md's scope for cases: the one place it is decided."""
    scope = scope_of(user)
    cases = Case.objects.all()
    if scope.everything:
        return cases
    if scope.is_empty:
        return cases.none()
    q = Q(city_id__in=scope.city_ids) | Q(township_id__in=scope.township_ids)
    if scope.unit_ids:
        # Cases ever dispatched to the unit, including ones since returned.
        q |= Exists(Dispatch.objects.filter(case=OuterRef("pk"), unit_id__in=scope.unit_ids))
    if scope.officer_id:
        stations = StationAssignment.objects.filter(officer_id=scope.officer_id).values("station_id")
        q |= Q(officer_id=scope.officer_id) | Q(station_id__in=stations)
    return cases.filter(q)
