"""The worker and beat settings QUALITY.md asks for."""

import pytest
from celery import current_app
from celery.schedules import crontab
from django.conf import settings

from cases.tasks import sweep_deadlines
from notifications import outbox
from notifications.tasks import deliver, deliver_pending
from notifications.tests.conftest import free_port


def test_json_only_prefetch_one_and_time_limits():
    conf = current_app.conf
    assert (conf.task_serializer, conf.result_serializer, conf.accept_content) == ("json", "json", ["json"])
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.task_acks_late is False and conf.task_reject_on_worker_lost is False  # only where idempotent
    assert conf.task_publish_retry is False


@pytest.mark.parametrize("task", [sweep_deadlines, deliver, deliver_pending])
def test_idempotent_tasks_ack_late_and_have_limits(task):
    assert task.acks_late and task.reject_on_worker_lost
    assert task.soft_time_limit < task.time_limit


def test_beat_runs_the_sweep_the_deliveries_and_the_nightly_rollup():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-deadlines"]["task"] == sweep_deadlines.name
    assert schedule["sweep-deadlines"]["schedule"] == settings.SWEEP_INTERVAL * 60
    assert schedule["deliver-pending-notices"]["task"] == deliver_pending.name
    rollup = schedule["nightly-rollup"]
    assert rollup["task"] == "dashboards.tasks.rollup_yesterday"
    assert rollup["schedule"] == crontab(hour=1, minute=0)
    for entry in schedule.values():
        every = entry["schedule"] if isinstance(entry["schedule"], int | float) else 24 * 3600
        assert 0 < entry["options"]["expires"] < every  # a run missed while workers were away is dropped


def test_publishing_with_the_broker_down_neither_raises_nor_hangs(caplog):
    previous = current_app.conf.broker_url
    current_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    try:
        assert outbox.publish(deliver_pending) is False
    finally:
        current_app.conf.broker_url = previous
    assert "broker unavailable" in caplog.text


def test_publishing_to_the_running_broker():
    assert outbox.publish(deliver_pending) is True
