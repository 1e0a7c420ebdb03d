"""Reads of notices: a person sees their own inbox and nothing else."""

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The one scoping selector: every inbox list, count and mark-read starts here."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    # No joins: the inbox shows the notice's own text and link.
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """Served by the partial index notification_unread (recipient) WHERE read_at IS NULL."""
    return notifications_of(user).filter(read_at__isnull=True).order_by().count()
