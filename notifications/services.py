"""Creating notices. Callers use notify(); delivery to channels happens after commit."""

from collections.abc import Iterable

from notifications.models import Notification


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case=None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Put a notice in each recipient's inbox (in the caller's transaction).

    With ``dedupe_key`` a notice that already exists for a recipient is not
    written again: the key is suffixed with the recipient's id.
    """
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=title,
            body=body,
            url=url,
            case=case,
            dedupe_key=f"{dedupe_key}:{user.pk}" if dedupe_key else None,
        )
        for user in {u.pk: u for u in recipients}.values()
    ]
    return Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
