"""Sending pushes to the platforms: every minute from beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from integrations import pushes


@shared_task(name="integrations.send_pushes", acks_late=True, reject_on_worker_lost=True, time_limit=280,
             soft_time_limit=240)  # fmt: skip
def send_pushes() -> dict:
    """Send whatever is due, in order per order; safe to run twice at once (orders are claimed)."""
    return vars(pushes.deliver())
