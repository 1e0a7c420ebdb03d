"""Figures as people read them, and the nav link."""

from django import template
from django.utils.html import format_html

from dashboards.selection import DASHBOARD_ROLES
from dashboards.tables import LISTED, RATE_KEYS

register = template.Library()


@register.filter
def get(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def figure(value, key: str = "") -> str:
    """0.9876 → 98.8% for rates, one decimal for hours, — for a figure that does not exist."""
    if value is None or value == "":
        return "—"
    if key in RATE_KEYS:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@register.simple_tag
def figure_cell(value, key: str, link: str | None = None) -> str:
    """A figure, as a link to the list of what it counts when it has one; ``data-count`` marks
    the links whose list shows this very number (a test follows every one and compares)."""
    shown = figure(value, key)
    if not link or value is None:
        return shown
    if key in LISTED:
        return format_html('<a href="{}" data-figure="{}" data-count="{}">{}</a>', link, key, value, shown)
    return format_html('<a href="{}" data-figure="{}">{}</a>', link, key, shown)


@register.filter
def share(value) -> str:
    """A rate as a CSS width (0–100 %) for printable bars."""
    if value is None:
        return "0%"
    return f"{max(0.0, min(1.0, float(value))) * 100:.1f}%"


@register.inclusion_tag("dashboards/includes/nav_link.html", takes_context=True)
def dashboard_nav(context):
    user = context.get("user")
    show = bool(user and user.is_authenticated and (user.is_superuser or user.has_role(*DASHBOARD_ROLES)))
    # The request marks the current destination (includes/nav_item.html).
    return {"show": show, "request": context.get("request"), "user": user}
