"""Redis stopped while notices are written: nothing is lost, all is delivered once it returns.

A real worker process runs throughout against a Redis of the test's own;
the notices go to a chat robot served by the test, so what the worker
delivers can be counted here.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Category
from cases.services import case_raise
from core.testing.factories import WebhookEndpointFactory
from core.testing.payloads import payload
from demo.categories import seed_categories
from notifications import outbox
from notifications.models import Delivery, Notification
from notifications.services import notify
from notifications.tasks import deliver_pending

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.solo]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, what: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker(private_redis, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": private_redis.url,
        "DJANGO_SETTINGS_MODULE": "minqing.settings_test",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "minqing", "worker", "--pool=solo", "--without-mingle",
         "--without-gossip", "--loglevel=INFO", f"--logfile={log}", "--hostname=outage-test@%h"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: log.exists() and " ready." in log.read_text(), "the worker to start")
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        connection.close()


OUTAGE_SECONDS = 60  # QUALITY.md: "Redis stopped for 60 s"


def test_writes_go_on_while_redis_is_down_and_their_notices_arrive_after(
    cast, robot, private_redis, worker, caplog, api
):
    WebhookEndpointFactory(org_unit=cast.township, url=robot.url, secret=robot.secret)
    seed_categories()
    road = Category.objects.get(code="infra.road")

    # Redis up: a notice goes out at once through the after-commit nudge.
    notify(recipients=[cast.township_staff], kind="test", title="第一条")
    wait_for(lambda: len(robot.messages) == 1, "the first notice")

    private_redis.stop()
    stopped = time.monotonic()
    case = case_raise(by=cast.officer, title="桥面破损", description="", category=road, urgency="normal",
                      township=cast.township, station=cast.village)  # fmt: skip
    for n in range(5):
        notify(recipients=[cast.township_staff], kind="test", title=f"停机期间 {n}")
    assert "broker unavailable" in caplog.text
    # Officers keep filing diaries through the API for the whole minute.
    officer = api.as_user(cast.officer)
    diaries = 0
    while time.monotonic() - stopped < OUTAGE_SECONDS:
        answer = officer.post("/api/v1/diaries/", payload(cast), format="json")
        assert answer.status_code == 201, answer.content
        diaries += 1
        time.sleep(10)
    assert diaries >= 6
    assert Notification.objects.filter(case=case, kind="case.raise").exists()
    pending = Delivery.objects.filter(status="pending", channel="webhook").count()
    assert pending >= 6 + diaries  # the raise, five tests, one new case per diary at least
    assert len(robot.messages) == 1  # nothing could go out

    private_redis.start()  # same port, empty: nothing queued survived
    assert outbox.publish(deliver_pending)  # what beat does every minute
    wait_for(lambda: len(robot.messages) == 1 + pending, "the notices written during the outage")
    time.sleep(1)
    titles = [m["markdown"]["title"] for m in robot.messages]
    assert len(titles) == 1 + pending  # each once
    assert {"第一条", f"新事项 {case.code} 待派单", *(f"停机期间 {n}" for n in range(5))} <= set(titles)
    assert set(Delivery.objects.filter(channel="webhook").values_list("status", flat=True)) == {"sent"}
    assert "maxmemory-policy" not in worker.read_text()  # the startup check found noeviction
