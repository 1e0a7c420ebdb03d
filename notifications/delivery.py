"""Sending pending deliveries: claim, send, record, back off.

A worker claims rows by pushing their ``next_attempt_at`` one lease ahead
(under SELECT … FOR UPDATE SKIP LOCKED, so two workers take disjoint rows),
commits, and only then sends. A worker that dies while sending leaves its
rows to come due again when the lease ends. Failures back off
exponentially with jitter up to a cap; after the last attempt the row is
marked failed. Each row stands alone: one channel failing, or one robot
hanging until its timeout, never stops the other rows.
"""

import datetime
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import channels
from notifications.models import Delivery

logger = logging.getLogger(__name__)

# Rows are claimed a few at a time, and the lease outlasts a batch even
# when every send in it runs into its timeout (e-mail 10 s, robot 5 s), so
# no other worker can take a row while it is being sent.
BATCH = 10
LEASE = datetime.timedelta(minutes=5)
# Stop claiming new batches after this long (the task's soft limit is 240 s).
BUDGET_SECONDS = 180


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before attempt ``attempts + 1``: doubling from the base, capped, with "equal jitter".

    Half the delay is fixed and half random, so retries of many notices that
    failed together (a robot down for a minute) spread out instead of
    hitting it again in one burst.
    """
    policy = settings.NOTIFY_RETRY
    delay = min(policy["cap"], policy["base"] * 2 ** max(attempts - 1, 0))
    return datetime.timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))  # jitter, not crypto


def deliver(delivery_ids: list[int] | None = None, *, now: datetime.datetime | None = None) -> Outcome:
    """Send the given deliveries (or any that are due) that no other worker holds."""
    now = now or timezone.now()
    outcome = Outcome()
    started = time.monotonic()
    while time.monotonic() - started < BUDGET_SECONDS:
        rows = _claim(delivery_ids, now=now, limit=BATCH)
        if not rows:
            break
        for row in rows:
            _send(row, now=now, outcome=outcome)
    return outcome


def _claim(delivery_ids: list[int] | None, *, now: datetime.datetime, limit: int) -> list[Delivery]:
    with transaction.atomic():
        due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        if delivery_ids is not None:
            due = due.filter(pk__in=delivery_ids)
        # SKIP LOCKED: a second worker claiming at the same moment takes other rows instead of waiting.
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("notification", "notification__recipient")
        .order_by("next_attempt_at", "id")
    )


def _send(row: Delivery, *, now: datetime.datetime, outcome: Outcome) -> None:
    channel = channels.get(row.channel)
    try:
        if channel is None:
            raise channels.PermanentDeliveryError(f"channel {row.channel} is switched off")
        channel.send(row.notification)
    except channels.DeliveryError as exc:
        _failed(row, str(exc), permanent=isinstance(exc, channels.PermanentDeliveryError), now=now, outcome=outcome)
    except Exception as exc:  # a bug in one channel must not stop the others
        logger.exception("delivery %s via %s crashed", row.pk, row.channel)
        _failed(row, f"unexpected {type(exc).__name__}", permanent=False, now=now, outcome=outcome)
    else:
        # attempts=… : only the worker that holds the current claim records it.
        Delivery.objects.filter(pk=row.pk, attempts=row.attempts).update(
            status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        outcome.sent += 1
        logger.info("delivery %s via %s: sent (attempt %s)", row.pk, row.channel, row.attempts)


def _failed(row: Delivery, reason: str, *, permanent: bool, now: datetime.datetime, outcome: Outcome) -> None:
    reason = reason[:200]
    mine = Delivery.objects.filter(pk=row.pk, attempts=row.attempts)
    if permanent or row.attempts >= settings.NOTIFY_RETRY["max_attempts"]:
        mine.update(status=Delivery.Status.FAILED, last_error=reason)
        outcome.failed += 1
        logger.error("delivery %s via %s: gave up after %s attempts: %s", row.pk, row.channel, row.attempts, reason)
    else:
        wait = backoff(row.attempts)
        mine.update(next_attempt_at=now + wait, last_error=reason)
        outcome.retrying += 1
        logger.warning(
            "delivery %s via %s: attempt %s failed (%s), retry in %ss",
            row.pk,
            row.channel,
            row.attempts,
            reason,
            int(wait.total_seconds()),
        )
