"""PostgreSQL restarted while officers submit diaries: nothing committed is lost, the app heals itself.

A real gunicorn serves the app against the suite's own PostgreSQL (the one
`make test` started); four clients keep posting diaries, each retrying with
its Idempotency-Key until it has an answer, as the phone's outbox does. The
server is restarted under them. Afterwards every acknowledged diary is in
the database exactly once, and the app answered again well within 30 s
without being restarted itself.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import ApiToken
from cases.models import Case
from core.models import IdempotencyKey
from core.testing.factories import TokenFactory
from core.testing.payloads import payload
from diaries.models import DiaryEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.serial,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("MINQING_TEST_PG_DATA"), reason="needs the PostgreSQL `make test` starts"),
]

CLIENTS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_ctl(*args: str) -> None:
    command = [os.path.join(os.environ["MINQING_TEST_PG_BIN"], "pg_ctl"), "-D", os.environ["MINQING_TEST_PG_DATA"]]
    if os.geteuid() == 0:  # the cluster belongs to the postgres user, as scripts/test.sh made it
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run([*command, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "minqing.settings_test",
           "ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "minqing.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "2", "--timeout", "60", "--error-logfile", str(log)],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except urllib.error.HTTPError as error:
            process.kill()
            raise AssertionError(f"gunicorn answered {error.code} to /healthz") from error
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise AssertionError("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Officer(threading.Thread):
    """Posts diaries one after another; each is retried with its key until the server answers it."""

    def __init__(self, url: str, token: str, body: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.url, self.token, self.body, self.stop = url, token, body, stop
        self.acknowledged: dict[str, int] = {}  # Idempotency-Key → diary id
        self.statuses: list[tuple[float, int]] = []

    def post(self, key: str) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"{self.url}/api/v1/diaries/",
            data=json.dumps(self.body).encode(),
            method="POST",
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json",
                     "Idempotency-Key": key},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, {}
        except (urllib.error.URLError, OSError):
            return 0, {}  # no answer at all: the outbox keeps the entry and tries again

    def run(self):
        while not self.stop.is_set():
            key = str(uuid.uuid4())
            while True:
                status, answer = self.post(key)
                self.statuses.append((time.monotonic(), status))
                if status == 201:
                    self.acknowledged[key] = answer["id"]
                    break
                if status not in (0, 500, 502, 503):
                    raise AssertionError(f"unexpected answer {status}")
                time.sleep(0.2)


def test_diaries_written_across_a_postgresql_restart_are_all_kept_once(cast, categories, server):
    made = TokenFactory(user=cast.officer)
    # The server runs on the machine's clock, this test on the pinned one: a token ending 12 hours after
    # the pinned moment may already be over there, so this one has no end.
    ApiToken.objects.filter(pk=made.pk).update(expiry=None)
    token = made.key
    body = payload(cast)
    stop = threading.Event()
    officers = [Officer(server, token, body, stop) for _ in range(CLIENTS)]
    for officer in officers:
        officer.start()

    time.sleep(3)
    before = sum(len(o.acknowledged) for o in officers)
    restarted_at = time.monotonic()
    pg_ctl("restart", "-m", "fast", "-w", "-t", "60")
    connection.close()  # this test's own connection died with the server, too
    time.sleep(4)
    stop.set()
    for officer in officers:
        officer.join(timeout=60)
        assert not officer.is_alive()

    acknowledged = {k: v for o in officers for k, v in o.acknowledged.items()}
    assert before > 0 and len(acknowledged) > before  # writes went on after the restart
    first_after = min(t for o in officers for t, s in o.statuses if t > restarted_at and s == 201)
    assert first_after - restarted_at < 30

    # Nothing acknowledged was lost, nothing was stored twice, nothing half-written.
    keys = IdempotencyKey.objects.filter(user=cast.officer, key__in=acknowledged)
    assert {row.key: row.body["id"] for row in keys} == acknowledged
    assert set(DiaryEntry.objects.values_list("pk", flat=True)) == set(acknowledged.values())
    assert DiaryEntry.objects.count() == len(acknowledged)
    assert Case.objects.count() == 2 * len(acknowledged)
    # The clients only ever saw 201 or a retryable "try again" — never a 500 while the database was away.
    assert {s for o in officers for _, s in o.statuses} <= {0, 201, 503}
