"""`make run`'s embedded default, as an operator meets it: a fresh SQLite file, runserver, manage.py.

The suite's main lane runs on PostgreSQL, so a migration or a query with
PostgreSQL-only SQL would pass it and still break the first command of the
README. Here every step runs in a subprocess with the settings `make run`
gives it (the git-ignored env file, no exports), against a real server.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboards.metrics import METRIC_KEYS

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Test-pass-2026"  # core.testing's cast

# The world of this test, written through the app's own code in the server's database.
SEED = """
import json
from core.testing import build_cast
from cases.services import case_raise
from demo.categories import seed_categories
cast = build_cast()
road = seed_categories()["infra.road"]
case = case_raise(by=cast.officer, title="村口道路坑洼", description="雨天积水", category=road,
                  urgency="normal", township=cast.township, station=cast.village)
print(json.dumps({"case": case.pk, "office": cast.office.pk}))
"""


def _env(var_dir: Path, env_file: Path | None) -> dict:
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DEBUG", "SECRET_KEY", "MINQING_ENV_FILE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env |= {"MINQING_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "minqing.settings"}
    env["MINQING_ENV_FILE"] = str(env_file) if env_file else str(var_dir / "absent.env")
    return env


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base: str, path: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as r:  # noqa: S310 - our own local server
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        raw = e.read()
        return e.code, json.loads(raw) if raw.startswith(b"{") else {"raw": raw[:300]}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A `make run` checkout: its env file, migrated, a small world, and runserver answering."""
    var_dir = tmp_path_factory.mktemp("make-run")
    env_file = var_dir / ".env"
    env_file.write_text(f"DEBUG=1\nSECRET_KEY={secrets.token_urlsafe(40)}\nDEMO_PASSWORD=Minqing@2026\n")
    env = _env(var_dir, env_file)
    done = _manage(env, "migrate", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr[-3000:]
    seeded = _manage(env, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = (var_dir / "server.log").open("w")  # what `make run` prints on the operator's terminal
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/accounts/login/", timeout=5) as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "runserver did not answer"
                time.sleep(0.3)
        yield {"env": env, "base": base, "var_dir": var_dir, **world}
    finally:
        server.terminate()
        server.wait(10)
        log.close()


# The city office signs in with a second factor: its code is computed where the server runs, on its clock.
OTP_CODE = """
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import User
user = User.objects.get(username="city_office")
device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="t", confirmed=True)
print(f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}")
"""


def _token(checkout, username: str) -> str:
    body = {"username": username, "password": PASSWORD}
    if username == "city_office":
        code = _manage(checkout["env"], "shell", "-c", OTP_CODE)
        assert code.returncode == 0, code.stderr[-2000:]
        body["otp"] = code.stdout.strip().splitlines()[-1]
    status, body = _call(checkout["base"], "/api/v1/auth/token/", body=body)
    assert status == 200, body
    return body["token"]


def test_eight_people_dispatching_one_case_at_once_get_one_200_and_seven_409(checkout):
    token = _token(checkout, "township_staff")
    path = f"/api/v1/cases/{checkout['case']}/dispatch/"
    start = threading.Barrier(8)
    answers: list[int] = []

    def dispatch():
        start.wait()
        status, _body = _call(checkout["base"], path, token=token, body={"unit": checkout["office"]})
        answers.append(status)

    threads = [threading.Thread(target=dispatch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [200] + [409] * 7


@pytest.mark.parametrize("username", ["city_office", "leader", "township_leader", "township_staff", "officer"])
def test_the_overview_api_answers_every_metric_key_on_sqlite(checkout, username):
    status, body = _call(checkout["base"], "/api/v1/stats/overview/", token=_token(checkout, username))
    assert status == 200, body
    assert set(METRIC_KEYS) <= set(body)


def test_operator_commands_run_as_the_readme_writes_them(checkout):
    done = _manage(checkout["env"], "sweep_deadlines")
    assert done.returncode == 0, done.stderr[-3000:]
    rolled = _manage(checkout["env"], "rollup_stats")
    assert rolled.returncode == 0, rolled.stderr[-3000:]


def test_the_run_servers_own_output_masks_phone_numbers(checkout):
    """Its access lines name every address asked for, a search for a resident's number included."""
    for path in ("/admin/cases/case/?q=13912345678", "/no/such/page/?phone=13912345678", "/cases/?q=13912345678"):
        try:
            with urllib.request.urlopen(checkout["base"] + path, timeout=60) as r:  # noqa: S310 - our own server
                r.read()
        except urllib.error.HTTPError:
            pass  # a 404 is logged all the same
    log = checkout["var_dir"] / "server.log"
    deadline = time.monotonic() + 10
    while "139****5678" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    text = log.read_text()
    assert "139****5678" in text and "13912345678" not in text
