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


def hotspots() -> Row:
    from dashboards.tasks import detect_hotspots

    since = timezone.now() - datetime.timedelta(days=90)
    window = Case.objects.filter(created_at__gte=since).count()
    sample = Sample()
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        found = detect_hotspots.apply().get()
        sample.ms.append((time.perf_counter() - t) * 1000)
    sample.queries.append(len(ctx.captured_queries))
    per_city = _hotspots_per_city()
    worst = max(per_city.values(), default=0)
    listed = ", ".join(f"{code} {n}" for code, n in sorted(per_city.items()))
    return Row.timed(
        "hotspot detection, 90 days (all cities)", sample, target="≤ 30 s in a worker; a few dozen per city",
        met=sample.max <= 30000 and worst <= 50, how=HOW,
        notes=f"{window} cases in the window; {found} hotspots, per city: {listed or 'none'}",
        window_cases=window, hotspots_per_city=per_city,
    )  # fmt: skip


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
