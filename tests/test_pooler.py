"""The app through PgBouncer in transaction mode (README "Production", the pooler).

`make test` starts a PgBouncer in front of its PostgreSQL (``* = host=… port=…``: any database
name, so the test database too). For these tests the default alias talks to it with the settings
DATABASE_POOLER=transaction gives (no server-side cursors): a case action, a diary, the dashboards
and the export that reads its rows with ``QuerySet.iterator()`` all work, each transaction on
whichever server connection PgBouncer hands out.
"""

import os
from urllib.parse import urlparse

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from cases.models import Case
from cases.queues import queues_for
from core.testing.factories import RaisedCaseFactory
from dashboards.services.exports import export_now
from demo.categories import seed_categories
from diaries.models import DiaryEntry
from diaries.tests.test_pages import NEW, form_data
from tests.dbswap import alias_on

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TEST_POOLER_URL"), reason="needs the PgBouncer `make test` starts"),
]


def admin(command: str) -> list[tuple]:
    """A command on PgBouncer's admin console (SHOW …, KILL …)."""
    where = urlparse(os.environ["TEST_POOLER_URL"])
    console = psycopg2.connect(host=where.hostname, port=where.port, user="postgres", dbname="pgbouncer")
    console.autocommit = True
    try:
        with console.cursor() as cursor:
            cursor.execute(command)
            return cursor.fetchall() if cursor.description else []
    finally:
        console.close()


@pytest.fixture
def pooled(transactional_db):
    name = connection.settings_dict["NAME"]
    with alias_on("default", os.environ["TEST_POOLER_URL"], DISABLE_SERVER_SIDE_CURSORS=True) as conn:
        yield conn
    # PgBouncer's idle server connections to the test database would stop a later DROP DATABASE.
    admin(f'KILL "{name}"')
    admin(f'RESUME "{name}"')


def transactions_through_pooler(name: str) -> int:
    rows = admin("SHOW STATS")
    return sum(row[1] for row in rows if row[0] == name)  # (database, total_xact_count, …)


def test_the_app_works_through_pgbouncer_in_transaction_mode(pooled, api):
    name = pooled.settings_dict["NAME"]
    assert pooled.settings_dict["PORT"] == str(urlparse(os.environ["TEST_POOLER_URL"]).port)
    seed_categories()
    from core.testing import build_cast

    cast = build_cast()

    # A case action through the API.
    case = RaisedCaseFactory(cast=cast, now=None)
    r = api.as_user(cast.township_staff).post(
        f"/api/v1/cases/{case.pk}/dispatch/", {"unit": cast.office.pk, "note": "请尽快处理"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert Case.objects.get(pk=case.pk).status == "pending_sign"

    # A diary through the officer's page.
    officer = Client()
    officer.force_login(cast.officer)
    assert officer.post(NEW, form_data(cast)).status_code == 302
    assert DiaryEntry.objects.count() == 1

    # The dashboards, page and API.
    leader = Client()
    leader.force_login(cast.city_office)
    assert leader.get("/dashboard/").status_code == 200
    overview = leader.get("/api/v1/stats/overview/")
    assert overview.status_code == 200 and overview.json()["diaries"] == 1

    # The export's QuerySet.iterator(): without server-side cursors, in chunks of one result set.
    every = next(t.key for t in queues_for(cast.city_office) if not t.q)  # the tab with every case
    data, rows = export_now(user=cast.city_office, kind="cases", params={"tab": every})
    assert rows >= 3 and data[:2] == b"PK"

    assert transactions_through_pooler(name) > 10


def test_pooler_settings_turn_server_side_cursors_off(monkeypatch):
    import importlib

    import minqing.settings as live

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example:6432/minqing")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://u@replica.example:6432/minqing")
    monkeypatch.setenv("DATABASE_POOLER", "transaction")
    try:
        pooled = importlib.reload(live)
        assert pooled.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert pooled.DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert pooled.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}
        assert pooled.DATABASE_ROUTERS == ["minqing.routers.ReplicaRouter"]
    finally:
        monkeypatch.undo()
        importlib.reload(live)
