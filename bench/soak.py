"""200 officers at once for 15 minutes against gunicorn (QUALITY.md, Reliability: "Load (benchmark)").

Each virtual officer does what the phone app does, pausing between steps:
looks up its stations, writes a diary entry (one in three carries one or two
issues) under a fresh Idempotency-Key, sends the same key and body again when
the connection drops or times out, lists its own entries, and now and then
opens its cases. Afterwards every acknowledged entry is looked up in the
database: the run passes with 0 lost, 0 duplicated and 0 5xx. The rows
written are deleted at the end so repeated runs see the same data.
"""

import http.client
import json
import os
import random
import signal
import threading
import time
import uuid
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from bench import cpu
from bench.harness import Row, Sample, pct
from bench.load import _free_port, _gunicorn_shape, _officers, _start_gunicorn
from cases.models import Case, Category
from diaries.models import DiaryEntry

OFFICERS = 200
THINK = (2.0, 6.0)  # seconds between an officer's steps
ATTEMPTS = 4  # a phone resends a diary this often before giving up


def _kind(method: str, path: str) -> str:
    """ "GET cases/{id}" for "/api/v1/cases/12/?x": one latency list per route."""
    parts = [("{id}" if p.isdigit() else p) for p in path.split("?")[0].strip("/").split("/")[2:]]
    return f"{method} {'/'.join(parts)}"


class Officer(threading.Thread):
    def __init__(self, run, i: int, token: str, station: int):
        super().__init__(daemon=True)
        self.soak, self.i, self.token, self.station = run, i, token, station
        self.rng = random.Random(i)

    def call(self, method: str, path: str, body: dict | None = None, key: str | None = None):
        headers = {"Authorization": f"Token {self.token}", "Connection": "close"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        kind = _kind(method, path)
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.soak.port, timeout=60)
        try:
            conn.request(method, path, json.dumps(body) if body is not None else None, headers)
            r = conn.getresponse()
            data = r.read()
        finally:
            conn.close()
        self.soak.record(kind, (time.perf_counter() - t) * 1000, r.status, data)
        return r.status, data

    def write_diary(self, k: int) -> None:
        tag = f"{self.soak.marker}-{self.i}-{k}"
        issues = [
            {"title": self.rng.choice(("村道路面破损", "路灯夜间不亮", "灌溉渠堵塞", "垃圾清运不及时")),
             "category": self.rng.choice(self.soak.codes), "description": "走访中村民反映"}
            for _ in range(self.rng.choice((0, 0, 0, 0, 1, 2)))
        ]  # fmt: skip
        body = {"station": self.station, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
                "content": f"{tag} 入户走访，了解生产生活情况。", "issues": issues}  # fmt: skip
        key = str(uuid.uuid4())
        for attempt in range(ATTEMPTS):
            try:
                status, _ = self.call("POST", "/api/v1/diaries/", body, key)
            except OSError:
                self.soak.count("resent after a dropped connection")
                time.sleep(1 + attempt)
                continue
            if status in (200, 201):
                self.soak.acknowledge(tag, len(issues))
                return
            if status < 500:
                return  # recorded as an error by call(); resending would not help
            time.sleep(1 + attempt)
        self.soak.count("gave up after resending")

    def run(self) -> None:
        k = 0
        while time.perf_counter() < self.soak.stop:
            try:
                self.call("GET", "/api/v1/stations/")
                self.pause()
                self.write_diary(k)
                k += 1
                self.pause()
                self.call("GET", "/api/v1/diaries/?page_size=20")
                if self.rng.random() < 0.25:
                    status, data = self.call("GET", "/api/v1/cases/?page_size=20")
                    results = json.loads(data).get("results") if status == 200 else None
                    if results:
                        self.call("GET", f"/api/v1/cases/{results[0]['id']}/")
                self.pause()
            except OSError as exc:
                self.soak.count(f"connection error on a read: {exc.__class__.__name__}")

    def pause(self) -> None:
        time.sleep(self.rng.uniform(*THINK))


class Run:
    def __init__(self, seconds: float, codes: list[str]):
        self.marker = f"soak-{uuid.uuid4().hex[:10]}"
        self.codes = codes
        self.port = _free_port()
        self.stop = time.perf_counter() + seconds
        self.lock = threading.Lock()
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[int, int] = defaultdict(int)
        self.events: dict[str, int] = defaultdict(int)
        self.acknowledged: dict[str, int] = {}
        self.first_error = ""

    def record(self, kind: str, ms: float, status: int, data: bytes) -> None:
        with self.lock:
            self.ms[kind].append(ms)
            self.statuses[status] += 1
            if status >= 400 and not self.first_error:
                self.first_error = f"{kind} {status} {data[:160]!r}"

    def count(self, event: str) -> None:
        with self.lock:
            self.events[event] += 1

    def acknowledge(self, tag: str, issues: int) -> None:
        with self.lock:
            self.acknowledged[tag] = issues


def _check(run: Run) -> dict:
    """Every acknowledged entry stored once with its cases; nothing stored that was not acknowledged."""
    entries = DiaryEntry.objects.filter(content__startswith=run.marker)
    stored: dict[str, list[int]] = defaultdict(list)
    for pk, content in entries.values_list("pk", "content"):
        stored[content.split(" ", 1)[0]].append(pk)
    cases = dict(
        Case.objects.filter(diary__in=entries).values("diary_id").annotate(n=Count("id")).values_list("diary_id", "n")
    )
    lost = sum(1 for tag in run.acknowledged if tag not in stored)
    duplicated = sum(len(pks) - 1 for pks in stored.values())
    # A resend whose answer never arrived may still have been stored once; that is the key doing its work.
    unacknowledged = sum(1 for tag in stored if tag not in run.acknowledged)
    wrong_cases = sum(
        1 for tag, issues in run.acknowledged.items() if tag in stored and cases.get(stored[tag][0], 0) != issues
    )
    Case.objects.filter(diary__in=entries).delete()
    entries.delete()
    return {"lost": lost, "duplicated": duplicated, "stored_unacknowledged": unacknowledged,
            "wrong_cases": wrong_cases}  # fmt: skip


def soak(seconds: float, officers: int = OFFICERS) -> Row:
    people = _officers(officers)
    codes = list(
        Category.objects.filter(is_active=True, parent__isnull=False).order_by("code").values_list("code", flat=True)
    ) or list(Category.objects.filter(is_active=True).values_list("code", flat=True))
    run = Run(seconds, codes)
    proc = _start_gunicorn(run.port)
    time.sleep(3)  # every worker has imported Django
    before = cpu.snapshot(proc.pid)
    started = time.perf_counter()
    threads = [Officer(run, i, *person) for i, person in enumerate(people)]
    for t in threads:
        t.start()
        time.sleep(0.02)  # officers do not all press "send" in the same millisecond
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    total = sum(len(v) for v in run.ms.values())
    split = cpu.per_request(before, cpu.snapshot(proc.pid), total)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)
    checked = _check(run)

    all_ms = [ms for values in run.ms.values() for ms in values]
    diary_ms = run.ms.get("POST diaries", [])
    server_errors = sum(n for status, n in run.statuses.items() if status >= 500)
    client_errors = sum(n for status, n in run.statuses.items() if 400 <= status < 500)
    met = (
        server_errors == 0 and client_errors == 0 and run.events.get("gave up after resending", 0) == 0
        and checked["lost"] == 0 and checked["duplicated"] == 0 and checked["wrong_cases"] == 0
    )  # fmt: skip
    kinds = ", ".join(f"{kind} {len(v)} (p95 {pct(v, 95):.0f} ms)" for kind, v in sorted(run.ms.items()))
    events = ", ".join(f"{n} {event}" for event, n in sorted(run.events.items())) or "no resends"
    return Row.timed(
        f"{len(people)} officers at once, {seconds / 60:.0f} min, gunicorn"
        + (", through PgBouncer (transaction mode)" if os.environ.get("DATABASE_POOLER") else ""),
        Sample(ms=all_ms or [float("nan")]),
        target="0 lost, 0 duplicated, 0 5xx",
        met=met,
        how=f"HTTP over loopback → gunicorn {_gunicorn_shape()}; {THINK[0]:.0f}–{THINK[1]:.0f} s between steps",
        notes=f"{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s): {kinds}; "
        f"{len(run.acknowledged)} diaries acknowledged, {checked['lost']} lost, {checked['duplicated']} duplicated, "
        f"{checked['wrong_cases']} with the wrong cases; {server_errors} 5xx, {client_errors} 4xx; {events}; "
        f"diary p95 {pct(diary_ms, 95):.0f} ms; CPU per request: gunicorn {split['app_ms']} ms, PostgreSQL "
        f"{split['db_ms']} ms, clients {split['clients_ms']} ms; machine {split['machine_busy']:.0%} busy"
        + (f"; first error: {run.first_error}" if run.first_error else ""),
        requests=total, statuses=dict(run.statuses), events=dict(run.events), cpu=split, **checked,
    )  # fmt: skip
