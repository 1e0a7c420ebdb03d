"""Messages to residents (RESIDENTS.md "Messages to residents"): received, answered, redo decided.

Each is sent once, through an outbox like the notices': ``resident_told`` writes a ``Message`` row in the
caller's transaction (the unique (request, key) makes a replay a no-op) and asks a worker to send it after
commit; ``send`` claims rows under SKIP LOCKED, pushing them one lease ahead, so two workers or a task run
twice never send one twice, and a worker that dies mid-send leaves the row to come due again. Failures
back off as the notices do (settings.NOTIFY_RETRY); a permanent one is given up at once. The texts are in
the site's language (Chinese); the phone is read from the case and never logged in full.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.delivery import BATCH, BUDGET_SECONDS, LEASE, backoff
from residents import sms
from residents.models import Message, ResidentRequest

logger = logging.getLogger(__name__)

KINDS = tuple(Message.Kind.values)
TRACK_PATH = "/r/track/"


def resident_told(request_id: int, kind: str, ref: int | str | None = None) -> int | None:
    """Queue one message to the resident of a ResidentRequest; ``kind`` is received / answered / redo.

    ``ref`` tells apart messages of one kind that may come again (the feedback or the redo event: after a
    redo the resident is told the new answer too). Returns the message's id, or None when it was queued
    before. Call it inside the transaction of what it tells.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    key = kind if ref is None else f"{kind}:{ref}"
    # get_or_create: a second call (a replay, a task retried, two workers at once) finds the row the unique
    # index kept and queues nothing.
    message, created = Message.objects.get_or_create(request_id=request_id, key=key, defaults={"kind": kind})
    if not created:
        return None
    transaction.on_commit(lambda: _nudge([message.pk]))
    return message.pk


def told_about_case(case, kind: str, ref: int | str | None = None) -> None:
    """``resident_told`` for a case, when the case came from a resident (one query only then)."""
    from cases.choices import Source

    if case.source != Source.RESIDENT:
        return
    request_id = ResidentRequest.objects.filter(case_id=case.pk).values_list("pk", flat=True).first()
    if request_id is not None:
        resident_told(request_id, kind, ref)


def _nudge(ids: list[int]) -> None:
    from notifications.outbox import publish
    from residents.tasks import send_messages

    publish(send_messages, [ids])


def tracking_url() -> str:
    return (settings.SITE_URL or "").rstrip("/") + TRACK_PATH


def wording(message: Message) -> tuple[dict, str]:
    """The gateway template's parameters and the same message in full, in the site's language."""
    request = message.request
    params = {"code": request.tracking_code, "url": tracking_url()}
    with translation.override(settings.LANGUAGE_CODE):
        if message.kind == Message.Kind.RECEIVED:
            text = _(
                "Your request has been received. Tracking code: %(code)s. Follow it at %(url)s "
                "with the last four digits of your phone."
            )
        elif message.kind == Message.Kind.ANSWERED:
            text = _("Your request %(code)s has been answered. Please read the reply and rate it at %(url)s.")
        else:
            text = _("Your request %(code)s will be handled again, as you asked. Follow it at %(url)s.")
        return params, text % params


def send(ids: list[int] | None = None, *, now: datetime.datetime | None = None) -> dict:
    """Send the given messages (or any that are due) that no other worker holds."""
    now = now or timezone.now()
    outcome = {"sent": 0, "retrying": 0, "failed": 0}
    started = time.monotonic()
    while time.monotonic() - started < BUDGET_SECONDS:
        rows = _claim(ids, now=now)
        if not rows:
            break
        for row in rows:
            outcome[_send(row, now=now)] += 1
    return outcome


def _claim(ids: list[int] | None, *, now: datetime.datetime) -> list[Message]:
    with transaction.atomic():
        due = Message.objects.filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
        if ids is not None:
            due = due.filter(pk__in=ids)
        claimed = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:BATCH]
        )
        Message.objects.filter(pk__in=claimed).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return list(Message.objects.filter(pk__in=claimed).select_related("request__case").order_by("id"))


def _send(row: Message, *, now: datetime.datetime) -> str:
    mine = Message.objects.filter(pk=row.pk, attempts=row.attempts)  # only the current claim records
    phone = row.request.case.reporter_phone
    try:
        if not phone:
            raise sms.PermanentSmsError("the request has no phone number any more")
        params, text = wording(row)
        sms.backend().send(phone=phone, kind=row.kind, params=params, text=text)
    except sms.SmsError as exc:
        permanent = isinstance(exc, sms.PermanentSmsError)
        return _failed(mine, row, str(exc), permanent=permanent, now=now)
    except Exception as exc:  # a bug in a backend must not stop the other messages
        logger.exception("resident message %s crashed", row.pk)
        return _failed(mine, row, f"unexpected {type(exc).__name__}", permanent=False, now=now)
    mine.update(status=Message.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _failed(mine, row: Message, reason: str, *, permanent: bool, now: datetime.datetime) -> str:
    reason = reason[:200]
    if permanent or row.attempts >= settings.NOTIFY_RETRY["max_attempts"]:
        mine.update(status=Message.Status.FAILED, last_error=reason)
        logger.error("resident message %s: gave up after %s attempts: %s", row.pk, row.attempts, reason)
        return "failed"
    wait = backoff(row.attempts)
    mine.update(next_attempt_at=now + wait, last_error=reason)
    logger.warning("resident message %s: attempt %s failed (%s)", row.pk, row.attempts, reason)
    return "retrying"
