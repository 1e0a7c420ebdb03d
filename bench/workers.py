"""Rows of background work, run as the worker runs them (the task's body, in this process)."""

import datetime
import re
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from bench.harness import Row, Sample
from cases.choices import OPEN_STATUSES
from cases.models import Case
from cases.sweep import sweep

HOW = "in-process, the task body as the worker runs it"


class _Rollback(Exception):
    pass


def deadline_sweep(target_new: int = 1000) -> Row:
    """In one transaction that is rolled back, so a second run sees the same data: a sweep at
    the present catches up, then a sweep at the moment when ``target_new`` more clocks have run out."""
    now = timezone.now()
    open_cases = Case.objects.exclude(status="closed").filter(due_at__isnull=False)
    upcoming = list(open_cases.filter(due_at__gt=now).order_by("due_at").values_list("due_at", flat=True)[:target_new])
    later = (upcoming[-1] if upcoming else now) + datetime.timedelta(seconds=1)
    sample, counts = Sample(), {}
    try:
        with transaction.atomic():
            sweep(now=now)
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                counts = sweep(now=later)
                sample.ms.append((time.perf_counter() - t) * 1000)
            sample.queries.append(len(ctx.captured_queries))
            raise _Rollback
    except _Rollback:
        pass
    n_open = Case.objects.filter(status__in=OPEN_STATUSES).count()
    return Row.timed(
        "deadline sweep", sample, target="≤ 2 s; queries independent of cases", met=sample.max <= 2000, how=HOW,
        notes=f"{n_open} open cases, {len(upcoming)} newly overdue; claims {counts}; rolled back",
        open_cases=n_open, newly_overdue=len(upcoming), counts=counts,
    )  # fmt: skip


def hotspots(concurrency: int = 2) -> Row:
    """The nightly detection as it runs: the task queues one detection per city and a real Celery worker
    (``concurrency`` processes, one per core here) detects them side by side. Timed from the queueing to
    the last city's recorded run; the query count of each city is constant (dashboards' tests)."""
    from dashboards.models import DetectionRun
    from dashboards.tasks import detect_hotspots

    since = timezone.now() - datetime.timedelta(days=90)
    window = Case.objects.filter(created_at__gte=since).count()
    worker = _start_worker(concurrency)
    try:
        sample, started = Sample(), timezone.now()
        t = time.perf_counter()
        detect_hotspots.delay()
        cities = _cities()
        runs = DetectionRun.objects.filter(started_at__gte=started)
        while runs.count() < cities:
            if time.perf_counter() - t > 900 or worker.poll() is not None:
                raise RuntimeError("hotspot detection: the worker did not finish every city")
            time.sleep(0.2)
        sample.ms.append((time.perf_counter() - t) * 1000)
        per_run = [(r.finished_at - r.started_at).total_seconds() for r in runs]
    finally:
        worker.terminate()
        worker.wait(30)
    per_city = _hotspots_per_city()
    worst = max(per_city.values(), default=0)
    listed = ", ".join(f"{code} {n}" for code, n in sorted(per_city.items()))
    return Row.timed(
        "hotspot detection, 90 days (all cities)", sample, target="≤ 30 s in a worker; a few dozen per city",
        met=sample.max <= 30000 and worst <= 50,
        how=f"a Celery worker of {concurrency} processes, one task per city",
        notes=f"{window} cases in the window; {sum(per_city.values())} hotspots, per city: {listed or 'none'}; "
        f"each city {min(per_run):.1f}–{max(per_run):.1f} s",
        window_cases=window, hotspots_per_city=per_city, seconds_per_city=per_run,
    )  # fmt: skip


def _cities() -> int:
    from accounts.models import OrgKind, OrgUnit

    return OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True).count()


def _start_worker(concurrency: int):
    """A worker process on this machine's broker, ready to take tasks."""
    import os
    import subprocess
    import sys

    from celery import current_app

    command = [sys.executable, "-m", "celery", "-A", "minqing", "worker", "-c", str(concurrency), "-l", "warning",
               "--without-gossip", "--without-mingle", "-n", f"bench-{os.getpid()}@%h"]  # fmt: skip
    worker = subprocess.Popen(command, env=os.environ.copy())
    deadline = time.perf_counter() + 60
    while not current_app.control.ping(timeout=0.5):
        if time.perf_counter() > deadline or worker.poll() is not None:
            worker.terminate()
            raise RuntimeError("the bench's Celery worker did not start")
    return worker


def _hotspots_per_city() -> dict[str, int]:
    from django.db.models import Count

    from dashboards.models import Hotspot, HotspotKind

    rows = Hotspot.objects.filter(kind=HotspotKind.HOTSPOT).values_list("city__code").annotate(n=Count("id"))
    return dict(rows.order_by())


ASSET = re.compile(r"""<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)""")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def diary_form_bytes() -> Row:
    """The officer's diary form as served: the HTML, and its CSS/JS as WhiteNoise sends them to a gzip client."""
    import gzip

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.force_login(User.objects.get(username="officer_village"))
    page = client.get("/diaries/new/")
    if page.status_code != 200:
        raise RuntimeError(f"diary form: {page.status_code}")
    html = _body(page)
    sent_html = len(html)
    gz_html = len(gzip.compress(html))
    assets = {}
    for url in dict.fromkeys(ASSET.findall(html.decode())):
        r = client.get(url)
        assets[url] = (len(_body(r)), r.headers.get("Content-Encoding", ""))
    static = sum(size for size, _ in assets.values())
    total = sent_html + static
    return Row(
        "officer diary form page, bytes", "≤ 150 KB transferred", total <= 150 * 1024,
        queries="", how="test Client + WhiteNoise (gzip where it has a .gz)",
        notes=f"{total / 1024:.1f} KB = HTML {sent_html / 1024:.1f} KB (gzip would be {gz_html / 1024:.1f}) "
        f"+ {len(assets)} assets {static / 1024:.1f} KB",
        extra={"bytes": total, "html": sent_html, "html_gzip": gz_html, "assets": assets},
    )  # fmt: skip


def care_sweep(runs: int = 3) -> Row:
    """The sweep's care-schedule rules (households.care) over the whole ledger, in one transaction that is
    rolled back: a first run catches up (every reminder the seeded year left unwritten), then ``runs`` runs
    as the sweep makes them every few minutes. The query count is a constant whatever the number of records
    (households' tests pin one statement per rule); this row shows it at province scale."""
    from households import care
    from households.models import Household, RecordStatus

    key = Household.objects.filter(status=RecordStatus.ACTIVE, interval_days__isnull=False).count()
    sample, first = Sample(), Sample()
    now = timezone.now()
    written = {}
    try:
        with transaction.atomic():
            for i in range(runs + 1):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    counts = {"soon": care.remind_due_soon(now), "overdue": care.tell_overdue(now)}
                    ms = (time.perf_counter() - t) * 1000
                target = first if i == 0 else sample
                target.ms.append(ms)
                target.queries.append(len(ctx.captured_queries))
                written = written or counts
            raise _Rollback
    except _Rollback:
        pass
    return Row.timed(
        "care-schedule sweep", sample, target="queries independent of records",
        met=len(set(sample.queries + first.queries)) == 1, how=HOW,
        notes=f"{key} key records; the catch-up run wrote {written} notices in {first.max:.0f} ms "
              f"({first.queries[0]} queries); later runs write none; rolled back",
        key_records=key, catch_up_ms=round(first.max, 1),
    )  # fmt: skip
