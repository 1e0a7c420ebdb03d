"""`make run`'s embedded default: every migration applies on a fresh SQLite file and the app answers.

The suite itself runs on PostgreSQL, so a migration with PostgreSQL-only SQL
would pass it and still break the first command of the README.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    return {**env, "MINQING_VAR_DIR": str(var_dir), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "minqing.settings"}


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def test_migrations_apply_on_a_fresh_sqlite_file_and_the_login_page_answers(tmp_path):
    env = _env(tmp_path)
    done = _manage(env, "migrate", "--noinput", "-v0")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "minqing.sqlite3").exists()
    check = _manage(env, "check")
    assert check.returncode == 0 and not check.stderr.strip(), check.stderr[-3000:]

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline, status = time.monotonic() + 30, None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                    status = r.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
    finally:
        server.terminate()
        server.wait(10)
