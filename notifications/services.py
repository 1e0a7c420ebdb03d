"""Writing notices: creating them (with their outbox rows) and marking them read."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from notifications import outbox, texts
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.texts import Text


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str = "",
    body: str = "",
    text: Text | None = None,
    params: dict | None = None,
    url: str = "",
    case=None,
    dedupe_key: str | None = None,
    now: datetime.datetime | None = None,
) -> list[Notification]:
    """Put a notice in each recipient's inbox and queue its deliveries, in the caller's transaction.

    Say what it says with a keyed wording ``text`` and its ``params`` (each
    reader gets it in their language), or as fixed ``title`` and ``body``.
    ``recipients`` are users or user ids. With ``dedupe_key`` a notice that
    already exists for a recipient is not written again (the key is suffixed
    with the recipient's id). The workers are nudged after commit; if the
    broker is down the deliveries wait in PostgreSQL for the periodic task.
    """
    user_ids = sorted({getattr(user, "pk", user) for user in recipients})
    if not user_ids:
        return []
    now = now or timezone.now()
    said = _said(text=text, params=params, title=title, body=body)
    rows = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            **said,
            url=url,
            case=case,
            dedupe_key=f"{dedupe_key}:{user_id}" if dedupe_key else None,
            created_at=now,
        )
        for user_id in user_ids
    ]
    params: dict = {}
    # Notices and their deliveries together; inside a caller's transaction no savepoint (two statements
    # less per call): nothing catches an error from here and carries on, so the caller rolls back whole.
    with transaction.atomic(savepoint=False):
        created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
        if dedupe_key:
            # ignore_conflicts gives no ids back; find the rows by key (old
            # ones already have their deliveries, which are then left alone).
            where = f"n.dedupe_key IN ({outbox.in_list('k', [r.dedupe_key for r in rows], params)})"
        else:
            where = f"n.id IN ({outbox.in_list('n', [r.pk for r in created], params)})"
        outbox.send_after_commit(outbox.create_deliveries(where=where, params=params, now=now, returning=True))
    return created


@dataclass(frozen=True)
class Notice:
    """One ``notify`` call's worth, for ``notify_many``; ``dedupe_key`` is required there."""

    recipients: Iterable
    kind: str
    dedupe_key: str
    title: str = ""
    body: str = ""
    text: Text | None = None
    params: dict | None = None
    url: str = ""
    case: object = None
    now: datetime.datetime | None = None


def notify_many(notices: Sequence[Notice]) -> None:
    """``notify`` for several notices at once (the events of one action): two statements in all.

    Same rows and the same dedupe rule as one ``notify(..., dedupe_key=…)`` per notice.
    """
    said = [_said(text=n.text, params=n.params, title=n.title, body=n.body) for n in notices]
    rows = [
        Notification(
            recipient_id=user_id,
            kind=notice.kind,
            **columns,
            url=notice.url,
            case=notice.case,
            dedupe_key=f"{notice.dedupe_key}:{user_id}",
            created_at=notice.now or timezone.now(),
        )
        for notice, columns in zip(notices, said, strict=True)
        for user_id in sorted({getattr(user, "pk", user) for user in notice.recipients})
    ]
    if not rows:
        return
    params: dict = {}
    # Both statements or neither; the callers already hold a savepoint of their own.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        where = f"n.dedupe_key IN ({outbox.in_list('k', [r.dedupe_key for r in rows], params)})"
        outbox.send_after_commit(outbox.create_deliveries(where=where, params=params, now=rows[0].created_at,
                                                          returning=True))  # fmt: skip


def _said(*, text: Text | None, params: dict | None, title: str, body: str) -> dict:
    """The columns of what a notice says: its wording's key and fields, and the text in the site's language."""
    if text is None:
        return {"text_key": "", "params": None, "title": title[:200], "body": body}
    params = params or {}
    stored = texts.in_site_language(text, params)
    return {"text_key": text.key, "params": params, "title": stored.title[:200], "body": stored.body}


def notification_mark_read(*, user, notification_id: int, now: datetime.datetime | None = None) -> Notification:
    """Mark one of the user's notices read; someone else's raises Notification.DoesNotExist (404)."""
    notification = notifications_of(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        # read_at__isnull: a second click in another tab keeps the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user, now: datetime.datetime | None = None) -> int:
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=now or timezone.now())
