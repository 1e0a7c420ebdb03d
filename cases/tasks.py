"""Periodic case work. The sweep is idempotent (claims in PostgreSQL), so it acks late."""

from celery import shared_task

from cases.sweep import sweep


@shared_task(
    name="cases.sweep_deadlines",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=240,
    soft_time_limit=200,
)
def sweep_deadlines() -> dict:
    """Beat runs this every SWEEP_INTERVAL minutes; deadlines are read from the database each time."""
    return sweep()
