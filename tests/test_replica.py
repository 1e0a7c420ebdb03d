"""The read replica (minqing/routers.py): dashboards read it, a session that wrote reads the primary.

`make test` starts a streaming replica of its PostgreSQL (scripts/test.sh). The test database is
created on the primary and reaches the replica by replication, so each test first waits until the
replica has replayed everything the primary wrote. Lag is made real with ``pg_wal_replay_pause()``.
These tests pause the one replica of the run, so they run alone (marker ``serial``).
"""

import os
import socket
import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.categories import seed_categories
from diaries.models import DiaryEntry
from diaries.tests.test_pages import NEW, form_data
from tests.dbswap import alias_on

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.serial,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TEST_REPLICA_URL"), reason="needs the replica `make test` starts"),
]

OVERVIEW = "/api/v1/stats/overview/"


@pytest.fixture
def categories(db):
    return seed_categories()


@pytest.fixture
def replica(settings):
    settings.DATABASE_ROUTERS = ["minqing.routers.ReplicaRouter"]
    with alias_on("replica", os.environ["TEST_REPLICA_URL"]) as conn:
        try:
            yield conn
        finally:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")


def caught_up(replica) -> None:
    """Wait until the replica has replayed all the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    deadline = time.monotonic() + 15
    with replica.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the replica did not catch up in 15 s"
            time.sleep(0.05)


def read(client, path, params=None):
    """(the answer, queries on the primary, queries on the replica)."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections["replica"]) as rep:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content[:300]
    return response, len(primary), len(rep)


def test_the_replica_is_a_real_standby(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        in_recovery, port = cursor.fetchone()
    assert in_recovery and port != connections["default"].settings_dict["PORT"]


def test_dashboards_read_the_replica_and_answer_as_the_primary(replica, cast, categories, settings):
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.post(NEW, form_data(cast)).status_code == 302
    leader = Client()
    leader.force_login(cast.city_office)
    caught_up(replica)

    api, _primary, on_replica = read(leader, OVERVIEW)
    assert on_replica > 0
    page, _primary, on_replica_page = read(leader, "/dashboard/")
    assert on_replica_page > 0
    scores, _primary, on_replica_scores = read(leader, "/api/v1/stats/scores/")
    assert on_replica_scores > 0

    settings.DATABASE_ROUTERS = []  # the same reads, all on the primary
    same_api, _primary, none = read(leader, OVERVIEW)
    same_scores, _primary, _none = read(leader, "/api/v1/stats/scores/")
    assert none == 0
    assert api.json() == same_api.json() and api.json()["diaries"] == 1
    assert scores.json() == same_scores.json()


# Every reader the brief puts on the replica: pages, the report, the exports, the scores, the stats API.
REPLICA_READERS = [
    "/dashboard/", "/dashboard/officers/", "/dashboard/rankings/", "/dashboard/scores/", "/dashboard/map/",
    "/dashboard/hotspots/", "/dashboard/report/", "/dashboard/export/township/", "/dashboard/export/cases/",
    "/api/v1/stats/overview/", "/api/v1/stats/rankings/", "/api/v1/stats/map/", "/api/v1/stats/scores/",
    "/api/v1/hotspots/",
]  # fmt: skip


def test_every_dashboard_reader_reads_the_replica(replica, cast):
    leader = Client()
    leader.force_login(cast.city_office)
    caught_up(replica)
    on = {path: read(leader, path)[2] for path in REPLICA_READERS}
    assert [path for path, n in on.items() if n == 0] == []


def test_a_session_that_wrote_reads_its_own_write_at_once(replica, cast, categories, clock):
    officer = Client()
    officer.force_login(cast.officer)
    caught_up(replica)
    before, _primary, on_replica = read(officer, OVERVIEW)
    assert on_replica > 0 and before.json()["diaries"] == 0

    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    assert officer.post(NEW, form_data(cast)).status_code == 302
    assert DiaryEntry.objects.count() == 1

    # The same session, at once: from the primary, with the new diary.
    after, _primary, on_replica = read(officer, OVERVIEW)
    assert on_replica == 0 and after.json()["diaries"] == 1
    # Another session of the same officer has not written: it reads the lagging replica.
    other = Client()
    other.force_login(cast.officer)
    lagging, _primary, on_replica = read(other, OVERVIEW)
    assert on_replica > 0 and lagging.json()["diaries"] == 0

    # After REPLICA_STICKY_SECONDS the writer is back on the replica, which by then has caught up.
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    caught_up(replica)
    clock.shift(11)
    later, _primary, on_replica = read(officer, OVERVIEW)
    assert on_replica > 0 and later.json()["diaries"] == 1


def test_a_replica_that_is_down_sends_the_dashboards_to_the_primary(settings, cast, monkeypatch):
    from minqing import routers

    settings.DATABASE_ROUTERS = ["minqing.routers.ReplicaRouter"]
    monkeypatch.setattr(routers, "_down_until", 0.0)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"postgres://postgres@127.0.0.1:{s.getsockname()[1]}/x"
    leader = Client()
    leader.force_login(cast.city_office)
    with alias_on("replica", closed), CaptureQueriesContext(connections["default"]) as primary:
        answer = leader.get(OVERVIEW)
        assert answer.status_code == 200 and answer.json()["diaries"] == 0
        assert any("diaries_" in q["sql"] for q in primary.captured_queries)
        assert routers._down_until > time.monotonic()  # not tried again on every query


def test_writes_and_migrations_stay_on_the_primary(monkeypatch):
    from minqing import routers

    monkeypatch.setattr(routers, "replica_reachable", lambda: True)
    router = routers.ReplicaRouter()
    assert router.db_for_read(DiaryEntry) == "default"
    with routers.on_replica():
        assert router.db_for_read(DiaryEntry) == "replica"
        assert router.db_for_write(DiaryEntry) == "default"
    assert router.allow_migrate("replica", "diaries") is False and router.allow_migrate("default", "diaries")
