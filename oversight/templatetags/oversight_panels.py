"""The case page's 督办单 panel, so cases shows orders without importing the oversight app.

{% load oversight_panels %}{% case_orders_panel case %}
"""

from django import template

from cases.choices import Status
from oversight.selectors import orders_visible_to
from oversight.services import may_issue

register = template.Library()


@register.inclusion_tag("oversight/_case_panel.html", takes_context=True)
def case_orders_panel(context, case) -> dict:
    user = context["request"].user
    # Issuing an order flags the case supervised (by hand or by the sweep), so most cases skip the query.
    orders = list(orders_visible_to(user).filter(case=case).order_by("issued_at", "id")) if case.supervised else []
    issuing = may_issue(user) and case.status != Status.CLOSED and case.unit_id is not None
    return {"case": case, "orders": orders, "may_issue": issuing}
