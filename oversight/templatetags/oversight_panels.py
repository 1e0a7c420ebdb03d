"""The case page's oversight panel (督办单, and a unit's 申诉 link), so cases shows them without importing
the oversight app.

{% load oversight_panels %}{% case_orders_panel case %}
"""

from django import template
from django.utils import timezone

from cases.choices import Status
from oversight.appeals import appealable_month
from oversight.selectors import orders_visible_to
from oversight.services import may_issue

register = template.Library()


@register.inclusion_tag("oversight/_case_panel.html", takes_context=True)
def case_orders_panel(context, case) -> dict:
    user = context["request"].user
    # Issuing an order flags the case supervised (by hand or by the sweep), so most cases skip the query.
    orders = list(orders_visible_to(user).filter(case=case).order_by("issued_at", "id")) if case.supervised else []
    issuing = may_issue(user) and case.status != Status.CLOSED and case.unit_id is not None
    appeal_month = appealable_month(user, case, timezone.now())
    return {"case": case, "orders": orders, "may_issue": issuing, "appeal_month": appeal_month}
