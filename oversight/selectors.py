"""Reads of 督办单: every list, page, PDF and API answer starts from orders_visible_to."""

from django.db.models import Q, QuerySet

from accounts.scope import scope_of
from cases.selectors import cases_visible_to
from oversight.models import SupervisionOrder


def orders_visible_to(user) -> QuerySet[SupervisionOrder]:
    """An order is seen by whoever sees its case, and by the handlers of the unit it was sent to."""
    scope = scope_of(user)
    orders = SupervisionOrder.objects.all()
    if scope.everything:
        return orders
    q = Q(case__in=cases_visible_to(user).values("pk"))
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    return orders.filter(q)


def orders_for_list(orders: QuerySet[SupervisionOrder]) -> QuerySet[SupervisionOrder]:
    return orders.select_related("case", "unit", "issued_by", "signed_by", "replied_by")
