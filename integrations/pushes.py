"""Case events posted back to the platform an order came from, one at a time and in order.

``queue`` writes one Push per event in the event's own transaction (cases.services.core calls it
for cases of an external channel). ``deliver`` sends them: per order, only the earliest unsent
push, and the next only once that one is sent, so the platform sees the case's story in order.
A failure waits 1, 2, 4 … minutes (at most 60) and tries again; 24 hours of failures make the
push dead, which holds back the order's later pushes until someone retries it in the admin.
"""

import datetime
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

import requests
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from integrations import signing
from integrations.models import InboundOrder, Push

logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds
GIVE_UP_AFTER = datetime.timedelta(hours=24)
BACKOFF_CAP_MINUTES = 60


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    dead: int = 0


def queue(events: Iterable, *, case) -> list[Push]:
    """One pending push per event of ``case``, if the case came from a platform that wants them."""
    order = (
        InboundOrder.objects.select_related("source")
        .filter(case_id=case.pk)
        .exclude(source__push_url="")
        .only("pk", "external_id", "source__push_url")
        .first()
    )
    if order is None:
        return []
    events = list(events)
    if not events:
        return []
    last = order.pushes.aggregate(n=Max("sequence"))["n"] or 0
    rows = [
        # Due now, whatever moment the event carries (the sweep run "as if" at another time).
        Push(order=order, sequence=last + n, event=e.action, payload=_payload(order, e, case))
        for n, e in enumerate(events, start=1)
    ]  # fmt: skip
    return Push.objects.bulk_create(rows)


def queue_written(events) -> None:
    """``queue`` for events written in bulk by SQL (the sweeps): ``events`` is a CaseEvent queryset.
    One query when none of them is on a case of a platform that wants pushes."""
    from integrations.models import EXTERNAL_SOURCES

    wanted = (
        events.filter(case__source__in=EXTERNAL_SOURCES, case__inbound_order__isnull=False)
        .exclude(case__inbound_order__source__push_url="")
        .select_related("case")
        .order_by("case_id", "created_at", "id")
    )
    by_case: dict[int, list] = {}
    for event in wanted:
        by_case.setdefault(event.case_id, []).append(event)
    for group in by_case.values():
        queue(group, case=group[0].case)


def _payload(order: InboundOrder, event, case) -> dict:
    text = event.note or ""
    # Never the resident's phone, even when someone typed it into a note.
    if case.reporter_phone:
        text = text.replace(case.reporter_phone, "***")
    return {
        "external_id": order.external_id,
        "event": event.action,
        "status": event.to_status,
        "at": timezone.localtime(event.created_at).isoformat(),  # +08:00, as the platforms read it
        "text": text,
    }


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failure: 1, 2, 4 … minutes, capped."""
    return datetime.timedelta(minutes=min(BACKOFF_CAP_MINUTES, 2 ** max(attempts - 1, 0)))


def deliver(*, now: datetime.datetime | None = None) -> Outcome:
    """Send every push that is due and whose earlier pushes are all sent."""
    now = now or timezone.now()
    outcome = Outcome()
    due = (
        Push.objects.filter(status=Push.Status.PENDING, next_attempt_at__lte=now)
        .values_list("order_id", flat=True)
        .distinct()
    )
    for order_id in sorted(set(due)):
        while _send_next(order_id, now=now, outcome=outcome):
            pass
    return outcome


def _send_next(order_id: int, *, now: datetime.datetime, outcome: Outcome) -> bool:
    """Send the order's earliest unsent push if it is due; True when it went and the next may follow.

    The order row is held (FOR NO KEY UPDATE, so case actions adding pushes are not blocked) while
    sending: a second worker skips the order instead of sending the same push again.
    """
    with transaction.atomic():
        order = (
            InboundOrder.objects.select_for_update(skip_locked=True, no_key=True)
            .select_related("source")
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            return False
        push = order.pushes.exclude(status=Push.Status.SENT).order_by("sequence").first()
        if push is None or push.status != Push.Status.PENDING or push.next_attempt_at > now:
            return False  # nothing left, an earlier push is dead, or it is not due yet
        push.attempts += 1
        error = _post(order.source, push)
        if error is None:
            push.status, push.sent_at, push.last_error, push.failing_since = Push.Status.SENT, timezone.now(), "", None
            outcome.sent += 1
            logger.info("push %s (order %s #%s): sent", push.pk, order_id, push.sequence)
        else:
            push.last_error = error[:200]
            push.failing_since = push.failing_since or now
            if now - push.failing_since >= GIVE_UP_AFTER:
                push.status = Push.Status.DEAD
                outcome.dead += 1
                logger.error("push %s (order %s #%s): dead after %s attempts: %s", push.pk, order_id,
                             push.sequence, push.attempts, push.last_error)  # fmt: skip
            else:
                push.next_attempt_at = now + backoff(push.attempts)
                outcome.retrying += 1
                logger.warning("push %s (order %s #%s): attempt %s failed: %s", push.pk, order_id,
                               push.sequence, push.attempts, push.last_error)  # fmt: skip
        push.save(update_fields=["status", "attempts", "sent_at", "last_error", "failing_since", "next_attempt_at"])
        return push.status == Push.Status.SENT


def _post(source, push: Push) -> str | None:
    """None when the platform took it (2xx), else why not."""
    if not source.push_url:
        return "the platform has no push URL"
    body = json.dumps(push.payload, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        response = requests.post(
            source.push_url, data=body, headers=signing.headers(source.secret, int(time.time()), body), timeout=TIMEOUT
        )
    except requests.RequestException as exc:
        return f"{type(exc).__name__}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


def retry(pushes) -> int:
    """Put dead pushes back in the queue (the admin's dead-letter action)."""
    return pushes.filter(status=Push.Status.DEAD).update(
        status=Push.Status.PENDING, attempts=0, failing_since=None, next_attempt_at=timezone.now(), last_error=""
    )
