"""The unread count in every page header."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def unread_notices(request) -> dict:
    """``unread_notices``: "" when none, the number, or "99+"; counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def badge() -> str:
        count = unread_count(user)
        return "" if count == 0 else "99+" if count > 99 else str(count)

    return {"unread_notices": SimpleLazyObject(badge)}
