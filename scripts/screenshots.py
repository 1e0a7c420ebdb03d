#!/usr/bin/env python
"""The README's screenshots: each demo role's home and main page at 390 × 844, as `make run` shows them.

    make screenshots          # or: .venv/bin/python scripts/screenshots.py [OUT_DIR]

Builds the demo county in a throwaway SQLite file, serves it with runserver
on a free port, signs each demo person in (a finished sign-in, second factor
included, as the suite's force_login makes it) and photographs the pages
with Debian's Chromium. Writes docs/screenshots/<role>-<page>.png; rerun it
after changing a page so the README shows what people get.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# (demo account, short name, [(page name, path)]): each role's home and the page it works in most.
SHOTS = [
    ("officer_village", "officer", [("home", "/"), ("diary", "/diaries/new/")]),
    ("township_staff", "desk", [("home", "/"), ("cases", "/cases/")]),
    ("township_office", "unit", [("home", "/"), ("cases", "/cases/")]),
    ("city_office", "city", [("home", "/"), ("dashboard", "/dashboard/")]),
    ("leader", "leader", [("home", "/"), ("dashboard", "/dashboard/")]),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer")


def _session_keys(env: dict) -> dict[str, str]:
    """A signed-in session per demo account, written to the demo database."""
    code = (
        "import json, django; django.setup()\n"
        "from django.test import Client\n"
        "from accounts.models import User\n"
        "from core.testing.twofactor import install_force_login_with_both_factors\n"
        "install_force_login_with_both_factors()\n"
        "keys = {}\n"
        f"for name in {[account for account, _, _ in SHOTS]!r}:\n"
        "    client = Client()\n"
        "    client.force_login(User.objects.get(username=name))\n"
        "    keys[name] = client.cookies['sessionid'].value\n"
        "print(json.dumps(keys))\n"
    )
    import json

    out = subprocess.run([PY, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="minqing-shots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "minqing.settings",
        "DEBUG": "1",
        "SECRET_KEY": "screenshots-only-not-a-secret",
        "MINQING_ENV_FILE": "",
        # Nothing of the demo is queued for a worker that is not there: tasks run where they are sent.
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    manage = [PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo", "--scale", "demo"], env=env, cwd=ROOT, check=True)
    keys = _session_keys(env)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/accounts/login/")
        _photograph(base, keys, out_dir)
    finally:
        server.terminate()
        server.wait(10)


def _photograph(base: str, keys: dict[str, str], out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))  # run as a script: the project's own modules are beside it
    from core.chromium import launch

    with sync_playwright() as p:
        browser = launch(p)
        for account, short, pages in SHOTS:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
            context.add_cookies([{"name": "sessionid", "value": keys[account], "url": base}])
            page = context.new_page()
            for name, path in pages:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out_dir / f"{short}-{name}.png"
                page.screenshot(path=str(target))
                print(f"{target}  ({account} {path})")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
