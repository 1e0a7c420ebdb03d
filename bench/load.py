"""Diary submission with two issues from 32 concurrent clients against gunicorn as production runs it.

Latency is measured by the clients (end to end over loopback), throughput over
the whole run. The count check reads the database afterwards: every 201 has
exactly one entry and two cases; nothing else was written. The rows written
are deleted at the end so repeated runs see the same data.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken, StationAssignment
from bench import cpu, limit
from bench.harness import Row, Sample
from cases.models import Case, Category
from diaries.models import DiaryEntry

CLIENTS = 32


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _officers(n: int) -> list[tuple[str, int]]:
    """(token, station id) of n officers on duty today, one per officer."""
    seen, out = set(), []
    rows = StationAssignment.objects.filter(end__isnull=True, start__lte=timezone.localdate()).order_by("id")
    for a in rows.select_related("officer").iterator():
        if a.officer_id in seen or not a.officer.is_active:
            continue
        seen.add(a.officer_id)
        _token, key = ApiToken.objects.create(user=a.officer, device="bench")
        out.append((key, a.station_id))
        if len(out) == n:
            break
    return out


def _categories() -> list[str]:
    """The two category codes the issues are filed under."""
    return list(
        Category.objects.filter(is_active=True, parent__isnull=False).order_by("code").values_list("code", flat=True)
    )[:2] or list(Category.objects.filter(is_active=True).values_list("code", flat=True)[:2])


def _start_gunicorn(port: int, *, nice: int = 0, env: dict | None = None) -> subprocess.Popen:
    """Gunicorn as production runs it (minqing/gunicorn.py), on a loopback port; ``nice`` and ``env`` as a
    second pool would be started (README "Production": the residents' pool)."""
    root = Path(__file__).resolve().parent.parent
    cmd = [sys.executable, "-m", "gunicorn", "-c", "python:minqing.gunicorn", "minqing.wsgi",
           "-b", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    if nice:
        cmd = ["nice", "-n", str(nice), *cmd]
    log = open(root / ".bench" / "gunicorn.log", "a")  # noqa: SIM115 - closed with the process
    # The benchmark's clients play the proxy of README "Production": they send X-Forwarded-For.
    env = {**os.environ, "TRUSTED_PROXY_COUNT": os.environ.get("TRUSTED_PROXY_COUNT", "1"), **(env or {})}
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start (see .bench/gunicorn.log)")


def _gunicorn_shape() -> str:
    """The worker layout the run used, as minqing/gunicorn.py and its environment set it."""
    from minqing import gunicorn as conf

    extra = os.environ.get("GUNICORN_CMD_ARGS", "")
    shape = f"-w {conf.workers} {conf.worker_class} ×{conf.threads}"
    return f"{shape}, overridden by GUNICORN_CMD_ARGS={extra!r}" if extra else shape


def _cpu_per_request(officer: tuple[str, int], codes: list[str], marker: str, n: int = 20) -> tuple[float, list[int]]:
    """CPU time of this process per diary POST through the test Client (the app's own Python work, no
    PostgreSQL), and the queries of each POST."""
    from django.test import Client

    token, station = officer
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"station": station, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
            "content": f"{marker}-cpu 走访记录", "issues": [{"title": "道路破损", "category": codes[0]},
                                                          {"title": "路灯不亮", "category": codes[-1]}]}  # fmt: skip
    spent, queries = [], []
    for i in range(n + 2):
        t = time.process_time()
        with CaptureQueriesContext(connection) as ctx:
            r = client.post("/api/v1/diaries/", json.dumps(body), content_type="application/json",
                            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))  # fmt: skip
        if r.status_code != 201:
            raise RuntimeError(f"diary POST: {r.status_code} {r.content[:200]!r}")
        if i >= 2:
            spent.append((time.process_time() - t) * 1000)
            queries.append(len(ctx.captured_queries))
    return sorted(spent)[len(spent) // 2], queries


def diary_submission(seconds: float) -> list[Row]:
    """The machine's limit (the same rows by plain SQL, same clients, same duration), then our row."""
    officers = _officers(CLIENTS)
    codes = _categories()
    run = uuid.uuid4().hex[:10]
    marker = f"bench-{run}"
    cpu_ms, queries = _cpu_per_request(officers[0], codes, marker)
    port = _free_port()
    proc = _start_gunicorn(port)
    lat: list[float] = []
    sent: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    today = timezone.localdate().isoformat()

    def client(i: int, token: str, station: int) -> None:
        k = 0
        while time.perf_counter() < stop:
            tag = f"{marker}-{i}-{k}"
            k += 1
            body = {
                "station": station, "visit_date": today, "visit_type": "household",
                "content": f"{tag} 走访了解到村民反映道路和排水问题，现场记录如下。",
                "issues": [
                    {"title": "村口道路破损积水", "category": codes[0], "description": "雨后积水严重"},
                    {"title": "路灯夜间不亮", "category": codes[-1], "description": "影响夜间出行"},
                ],
            }  # fmt: skip
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json",
                       "Idempotency-Key": str(uuid.uuid4()), "Connection": "close"}  # fmt: skip
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("POST", "/api/v1/diaries/", json.dumps(body), headers)
                r = conn.getresponse()
                data = r.read()
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    lat.append(ms)
                    if r.status == 201:
                        sent.append(tag)
                    else:
                        errors.append(f"{r.status} {data[:120]!r}")
            except OSError as exc:
                with lock:
                    errors.append(repr(exc))
            finally:
                conn.close()

    threads = [threading.Thread(target=client, args=(i, *officers[i % len(officers)])) for i in range(CLIENTS)]
    time.sleep(3)  # let every worker finish importing Django, which is not per-request work
    before = cpu.snapshot(proc.pid)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    split = cpu.per_request(before, cpu.snapshot(proc.pid), len(lat))
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)

    entries = DiaryEntry.objects.filter(content__startswith=marker)
    tags = [c.split(" ", 1)[0] for c in entries.values_list("content", flat=True)]
    tags = [t for t in tags if not t.endswith("-cpu")]
    lost = len(set(sent) - set(tags))
    duplicated = len(tags) - len(set(tags)) + len(set(tags) - set(sent))
    loaded = entries.exclude(content__startswith=f"{marker}-cpu")
    per_entry = Case.objects.filter(diary__in=loaded).values("diary_id").annotate(n=Count("id"))
    wrong_cases = sum(1 for r in per_entry if r["n"] != 2) + (len(tags) - len(per_entry))
    # The machine's limit: the rows of one of the POSTs above, by plain SQL from as many clients.
    template = limit.template(entries.filter(content__startswith=f"{marker}-cpu").order_by("-id").first().pk)
    limit_sample, limit_rps, limit_n, limit_errors = limit.run(template, clients=CLIENTS, seconds=seconds)
    limit_row = Row.timed(
        f"machine's limit: the same rows by plain SQL, {CLIENTS} clients", limit_sample,
        target="reference (≥ 150 req/s needs this well above 150)", met=None,
        how=f"{CLIENTS} threads × own psycopg2 connection, one transaction of plain INSERTs per POST, {seconds:.0f} s",
        notes=f"{limit_rps:.0f} req/s; {limit_n} committed, {len(limit_errors)} errors; rows per POST: "
        f"{template.counts()}; written to a scratch schema, dropped afterwards"
        + (f"; first error: {limit_errors[0]}" if limit_errors else ""),
        rps=round(limit_rps, 1), committed=limit_n, errors=len(limit_errors),
    )  # fmt: skip
    # Leave the data as it was: the cases (and their timelines) and the entries of this run.
    Case.objects.filter(diary__in=entries).delete()
    entries.delete()

    rps = len(sent) / elapsed
    cores = os.cpu_count() or 1
    # With the clients on another machine, app and database would have the cores to themselves.
    ceiling = cores * 1000 / max(split["app_ms"] + split["db_ms"], 0.1)
    sample = Sample(ms=lat or [float("nan")], queries=queries)
    p95 = sample.p95
    met = rps >= 150 and p95 <= 200 and not errors and lost == 0 and duplicated == 0 and wrong_cases == 0
    share = (
        f"our throughput is {rps / limit_rps:.0%} of the machine's limit ({limit_rps:.0f} req/s); " if limit_rps else ""
    )
    return [limit_row, Row.timed(
        f"diary + 2 issues, {CLIENTS} clients, gunicorn", sample,
        target="≥ 150 req/s, p95 ≤ 200 ms, 0 errors/lost/dup", met=met,
        how=f"HTTP clients over loopback → gunicorn {_gunicorn_shape()}, {seconds:.0f} s",
        notes=f"{rps:.0f} req/s; {share}{len(sent)} created, {len(errors)} errors, {lost} lost, {duplicated} duplicated, "
        f"{wrong_cases} entries without exactly 2 cases; CPU per request: gunicorn {split['app_ms']} ms, "
        f"PostgreSQL {split['db_ms']} ms, load clients {split['clients_ms']} ms, other {split['other_ms']} ms, "
        f"machine {split['machine_busy']:.0%} busy → at most {ceiling:.0f} req/s on {cores} cores even with the "
        f"clients elsewhere; in-process Python {cpu_ms:.0f} ms/request"
        + (f"; first error: {errors[0]}" if errors else ""),
        rps=round(rps, 1), cpu_ms_per_request=round(cpu_ms, 1), created=len(sent), errors=len(errors), lost=lost,
        duplicated=duplicated, cpu=split, ceiling_rps=round(ceiling), share_of_limit=round(rps / limit_rps, 3) if limit_rps else None,
    )]  # fmt: skip
