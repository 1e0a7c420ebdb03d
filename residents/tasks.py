"""Sending messages to residents: ids in, idempotent (rows are claimed in PostgreSQL), so late acks are safe."""

from celery import shared_task
from django.utils import timezone

from residents import limits, messages


@shared_task(
    name="residents.send_messages", acks_late=True, reject_on_worker_lost=True, time_limit=120, soft_time_limit=100
)
def send_messages(message_ids: list[int]) -> dict:
    """Send these messages now (the nudge after they commit)."""
    return messages.send([int(i) for i in message_ids])


@shared_task(
    name="residents.send_pending_messages",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=280,
    soft_time_limit=240,
)
def send_pending_messages() -> dict:
    """Whatever is due: retries, and messages whose nudge was lost while Redis was down."""
    return messages.send()


@shared_task(name="residents.prune_tracking_misses", time_limit=280, soft_time_limit=240)
def prune_tracking_misses() -> int:
    """Hourly: wrong tracking look-ups past their window are forgotten."""
    return limits.tracking_misses_prune(now=timezone.now())
