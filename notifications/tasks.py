"""Delivery tasks: ids in, idempotent (rows are claimed in PostgreSQL), so late acks are safe."""

from celery import shared_task

from notifications import delivery


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=120,
    soft_time_limit=100,
)
def deliver(delivery_ids: list[int]) -> dict:
    """Send these deliveries now (the nudge after a notice commits)."""
    return vars(delivery.deliver([int(i) for i in delivery_ids]))


@shared_task(
    name="notifications.deliver_pending",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=280,
    soft_time_limit=240,
)
def deliver_pending() -> dict:
    """Send whatever is due: retries, and notices whose nudge was lost while Redis was down."""
    return vars(delivery.deliver())
