"""Rows of the read replica: a streaming standby that scripts/bench.sh makes once and this row starts.

Two questions a province deployment asks of it: do the dashboards' readers
answer from the replica as the primary would, and as fast; and how long does
a write take to become visible there while the primary writes as fast as it
can — the lag that the read-your-writes window (REPLICA_STICKY_SECONDS) must
cover. The replica runs for this row only: in production it has a machine of
its own, so it must not take the two cores from the other rows.
"""

import contextlib
import datetime
import io
import os
import threading
import time
from urllib.parse import urlparse

import django.test.signals  # noqa: F401 - its receiver resets the router cache on DATABASE_ROUTERS changes
import openpyxl
import psycopg2
from django.conf import settings
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import User
from bench import limit
from bench.harness import Row, Sample, measure
from bench.inproc import HOW, _ok, api_client, pg_ctl
from bench.load import CLIENTS
from cases.models import Case
from core.testing.twofactor import install_force_login_with_both_factors
from minqing.routers import REPLICA

ROUTER = "minqing.routers.ReplicaRouter"


def url() -> str:
    return os.environ.get("BENCH_REPLICA_URL", "")


@contextlib.contextmanager
def _running():
    env = os.environ
    pg_ctl(env["BENCH_REPLICA_DATA"], "-l", env["BENCH_REPLICA_LOG"], "-w", "-t", "120", "-o", env["BENCH_REPLICA_OPTS"],
           "start")  # fmt: skip
    try:
        yield
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
        pg_ctl(env["BENCH_REPLICA_DATA"], "-m", "fast", "-w", "stop")


def _install() -> None:
    """The ``replica`` alias as DATABASE_REPLICA_URL would configure it (the router only inside ``_routed``)."""
    if REPLICA not in connections.settings:
        where = urlparse(url())
        connections.settings[REPLICA] = {**connections["default"].settings_dict, "HOST": where.hostname,
                                         "PORT": str(where.port)}  # fmt: skip


def _routed(on: bool):
    return override_settings(DATABASE_ROUTERS=[ROUTER] if on else [])


def _connect(where: str, **override):
    """A psycopg2 connection (autocommit) to the primary or the replica, as the default alias's settings say."""
    params = connections["default"].get_connection_params()
    if where == "replica":
        parsed = urlparse(url())
        params = {**params, "host": parsed.hostname, "port": parsed.port}
    conn = psycopg2.connect(**{**params, **override})
    conn.autocommit = True
    return conn


def _replayed_within(replica_cursor, lsn: str, timeout: float, poll: float) -> float | None:
    """Seconds until the replica has replayed the primary's WAL up to ``lsn``; None if not within ``timeout``."""
    t = time.perf_counter()
    while True:
        replica_cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
        if replica_cursor.fetchone()[0]:
            return time.perf_counter() - t
        if time.perf_counter() - t > timeout:
            return None
        time.sleep(poll)


def caught_up(timeout: float = 60) -> float:
    """Seconds until the replica has replayed all the primary has written so far.

    Asked on the replica's maintenance database: the bench database itself may be one the replica has
    not replayed the creation of yet (a scale seeded while the replica was stopped).
    """
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cursor.fetchone()
    with contextlib.closing(_connect("replica", dbname="postgres")) as conn, conn.cursor() as cursor:
        waited = _replayed_within(cursor, lsn, timeout, poll=0.01)
    if waited is None:
        raise RuntimeError(f"the replica did not catch up in {timeout:.0f} s")
    return waited


def _content(response):
    """What the answer says: the JSON, or every sheet's cell values of a spreadsheet (not its file's time stamps)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _readers() -> list[tuple[str, Client, str, dict]]:
    """(name, client, path, params) of readers the code sends to the replica."""
    today = timezone.localdate()
    year = {"date_from": (today - datetime.timedelta(days=364)).isoformat(), "date_to": today.isoformat()}
    month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    install_force_login_with_both_factors()  # the page's session as after the city office's second factor
    api, page = api_client("city_office"), Client()
    page.force_login(User.objects.get(username="city_office"))
    return [
        ("city overview, 1 year (API)", api, "/api/v1/stats/overview/", year),
        ("scores of a month, per unit (API)", api, "/api/v1/stats/scores/", {"month": month, "kind": "unit"}),
        ("township table export (.xlsx)", page, "/dashboard/export/township/", year),
    ]


def _measure(client: Client, path: str, params: dict, n: int) -> tuple[Sample, list[int]]:
    """n timed requests after 3 warm-up ones (the replica's own buffers start cold): the sample, with the
    queries on the primary, and the queries each sent to the replica."""
    on_replica = []

    def get():
        with CaptureQueriesContext(connections[REPLICA]) as rep:
            _ok(client.get(path, params))
        on_replica.append(len(rep))

    warmup = 3
    sample = measure(get, n, warmup=warmup)
    return sample, on_replica[warmup:]


def _differences(a, b, path: str = "") -> list[str]:
    """Where two JSON answers differ (paths like ``.figures.closed``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b), key=str) for d in _differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {str(a)[:40]} ≠ {str(b)[:40]}"]


def rows(n: int, seconds: float) -> list[Row]:
    if not url():
        return [Row("replica rows", "", None, notes="no replica: scripts/bench.sh was run with --no-replica")]
    with _running():
        _install()
        # Everything the primary wrote since the last replica row (the seed, the other rows) is replayed first.
        waited = caught_up(timeout=1800)
        out = _readers_rows(n, waited)
        out.append(_lag_row(seconds))
    return out


def _compared(client: Client, path: str, params: dict, tries: int = 3) -> list[str]:
    """Where the replica's answer differs from the primary's, asked back to back.

    Figures such as "overdue" move with the clock: a deadline passing between
    the two requests changes the answer on both. A second pair then agrees; a
    replica that answers differently does so every time.
    """
    for _ in range(tries):
        with _routed(False):
            primary = _content(client.get(path, params))
        with _routed(True):
            differences = _differences(primary, _content(client.get(path, params)))
        if not differences:
            break
    return differences


def _readers_rows(n: int, waited: float) -> list[Row]:
    rows = []
    for name, client, path, params in _readers():
        with _routed(False):
            primary, _none = _measure(client, path, params, n)
        with _routed(True):
            sample, on_replica = _measure(client, path, params, n)
        differences = _compared(client, path, params)
        served = min(on_replica) > 0
        ratio = sample.p95 / primary.p95
        said = f"ANSWER DIFFERS from the primary's: {'; '.join(differences[:3])}" if differences else "the same answer"
        rows.append(
            Row.timed(
                f"on the replica: {name}",
                sample,
                target="read there; the same answer as the primary",
                met=served and not differences,
                how=f"{HOW}; DATABASE_ROUTERS = [ReplicaRouter], replica = a streaming standby on this machine",
                notes=f"{said}; queries on the replica {min(on_replica)}–{max(on_replica)} (the column: on the "
                f"primary, auth and the caller's scope); the same reads on the primary: p95 {primary.p95:.1f} ms "
                f"({ratio:.2f} ×); the replica had caught up in {waited:.1f} s when the row began",
                same_answer=not differences,
                replica_queries=max(on_replica),
                primary_p95=round(primary.p95, 1),
            )
        )
    return rows


def _lag_row(seconds: float) -> Row:
    """The lag while the primary takes the machine's limit write load (bench/limit.py) of diary POSTs."""
    entry = Case.objects.filter(diary__isnull=False).values_list("diary_id", flat=True).order_by("-id").first()
    sampler = LagSampler.start()
    template = limit.template(entry)
    _sample, rps, committed, errors = limit.run(template, clients=CLIENTS, seconds=seconds)
    return sampler.row(
        f"replica lag at the machine's write limit ({CLIENTS} clients)",
        f"{rps:.0f} diary POSTs' rows a second by plain SQL ({template.counts()}), {seconds:.0f} s "
        f"({committed} committed, {len(errors)} errors)",
    )


class LagSampler:
    """While running: every quarter second, how long the primary's latest write takes to be replayed on the replica.

    Its own two connections (psycopg2, autocommit) in a thread, polling every
    5 ms, so the figure is the time to visibility a reader of the replica sees.
    """

    def __init__(self):
        self.ms: list[float] = []
        self.timeouts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @classmethod
    def start(cls) -> "LagSampler":
        sampler = cls()
        sampler._thread.start()
        return sampler

    def _run(self) -> None:
        with contextlib.closing(_connect("primary")) as p, contextlib.closing(_connect("replica")) as r:
            primary, replica = p.cursor(), r.cursor()
            while not self._stop.is_set():
                primary.execute("SELECT pg_current_wal_lsn()")
                (lsn,) = primary.fetchone()
                waited = _replayed_within(replica, lsn, timeout=30, poll=0.005)
                if waited is None:
                    self.timeouts += 1
                else:
                    self.ms.append(waited * 1000)
                self._stop.wait(0.25)

    def row(self, name: str, load: str) -> Row:
        self._stop.set()
        self._thread.join(60)
        window = settings.REPLICA_STICKY_SECONDS * 1000
        sample = Sample(ms=self.ms or [float("nan")])
        return Row.timed(
            name, sample,
            target=f"max < REPLICA_STICKY_SECONDS ({window / 1000:.0f} s)",
            met=bool(self.ms) and not self.timeouts and sample.max < window,
            how="primary's pg_current_wal_lsn() until the replica's pg_last_wal_replay_lsn() reaches it, every 0.25 s",
            notes=f"{load}; {len(self.ms)} samples, {self.timeouts} over 30 s; a writer reads the primary for "
            f"{window / 1000:.0f} s after writing, so a lag below that never hides a user's own write",
            timeouts=self.timeouts,
        )  # fmt: skip
