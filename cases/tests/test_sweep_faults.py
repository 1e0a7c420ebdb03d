"""The sweep under faults: several workers at once, and a worker killed half-way (QUALITY.md, Reliability)."""

import os
import signal
import subprocess
import sys
import threading
import time

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from cases.sweep import sweep
from core.testing.factories import VillageCaseFactory
from notifications.models import Notification, SweepClaim
from notifications.tests.support import at, duplicates, received, sweep_at

# The workers are subprocesses of manage.py on the suite's PostgreSQL (row claims, SIGKILL mid-transaction).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

AT = "2026-11-10 09:00"
EXPECTED = sorted(
    [
        ("office_handler", "deadline.reminder"),
        ("dept_handler", "deadline.overdue"),
        ("township_staff", "deadline.overdue"),
        ("city_office", "deadline.overdue"),
        ("city_office", "deadline.supervised"),
        ("officer", "deadline.feedback_overdue"),
        ("township_staff", "deadline.feedback_overdue"),
        ("officer", "diary.silent"),
        ("township_staff", "diary.silent"),
        ("officer_b", "diary.silent"),
        ("township_staff_b", "diary.silent"),
    ]
)


@pytest.fixture
def due(cast):
    """One case for each rule, all due at AT; the officers have written no diary all year."""
    return {
        "reminder": VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office),
        "overdue": VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-06 10:00", unit=cast.department),
        "supervise": VillageCaseFactory(
            cast=cast, status="in_progress", due="2026-10-20 10:00", unit=cast.department_2, level="city"
        ),
        "feedback": VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-11-09 10:00"),
    }


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def sweep_process(moment: str) -> subprocess.Popen:
    """`manage.py sweep_deadlines` in a process of its own, on the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "minqing.settings_test"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "sweep_deadlines", "--at", at(moment).isoformat()],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def raw_connection(*, autocommit: bool):
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"]
    )
    conn.autocommit = autocommit
    return conn


def wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_four_workers_sweeping_at_once_send_each_notice_once(due):
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            sweep(now=at(AT))
        except Exception as exc:  # reported below: a deadlock or a unique violation would land here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert received() == EXPECTED
    assert duplicates() == {}


def test_two_beats_started_by_mistake_send_each_notice_once(due):
    processes = [sweep_process(AT), sweep_process(AT)]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    assert received() == EXPECTED


def test_a_worker_killed_half_way_then_run_again_sends_every_notice_exactly_once(due):
    # Hold the overdue case's row so the sweep stops inside the overdue rule's
    # transaction: reminders committed, overdue claims written but not committed.
    locker, watcher = raw_connection(autocommit=False), raw_connection(autocommit=True)
    try:
        locker.cursor().execute("SELECT id FROM cases_case WHERE id = %s FOR UPDATE", [due["overdue"].pk])
        process = sweep_process(AT)

        def blocked_backend():
            cursor = watcher.cursor()
            cursor.execute(
                "SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()

        pid, query = wait_for(blocked_backend, "the sweep to block half-way")
        assert "UPDATE cases_case SET overdue" in query
        assert received() == [("office_handler", "deadline.reminder")]

        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL
        locker.rollback()  # the orphaned backend now finds its client gone and rolls back

        def backend_gone():
            cursor = watcher.cursor()
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            return cursor.fetchone()[0] == 0

        wait_for(backend_gone, "the killed worker's transaction to end")
    finally:
        locker.close()
        watcher.close()

    assert not SweepClaim.objects.filter(rule="overdue").exists()
    assert received() == [("office_handler", "deadline.reminder")]

    sweep_at(AT)  # the worker restarted (or the next beat tick)
    sweep_at(AT)
    assert received() == EXPECTED
    assert Notification.objects.filter(kind="deadline.supervised").get().case == due["supervise"]
