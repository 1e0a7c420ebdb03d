from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from audit.selectors import may_search_audit

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_nav(context) -> str:
    """The nav link, for the roles that may search the trail only."""
    request = context.get("request")
    if request is None or not may_search_audit(request.user):
        return ""
    return format_html('<a href="{}">{}</a>', reverse("audit:list"), _("Audit trail"))
