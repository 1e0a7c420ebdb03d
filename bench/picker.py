"""The household picker row (QUALITY.md: typed prefix of a name or address, p95 ≤ 50 ms at ~9,000,000 records).

An officer types 1–3 characters of a head of household's name or of an address
at one of their stations. Measured through the test Client when the picker's API
(/api/v1/household-picker/, built with the visit form) is in this checkout, else as
the ORM query it runs — the row says which.
"""

import random
import time

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from accounts.models import StationAssignment, User
from bench.harness import Row, measure
from households.models import Household
from households.selectors import households_visible_to

URL = "/api/v1/household-picker/"
TARGET = "p95 ≤ 50 ms"


def _has_api() -> bool:
    try:
        resolve(URL)
    except Resolver404:
        return False
    return True


def _typed(rng: random.Random, record: Household) -> str:
    """What the officer has typed so far: 1–3 leading characters of the name or of the address's tail."""
    if rng.random() < 0.6 or not record.address:
        text = record.name
    else:  # the 组/门牌 part, as one types "3组" rather than the village's name
        text = record.address[len(record.station.name) :] or record.address
    return text[: rng.choice((1, 2, 2, 3))]


def _calls(n: int, rng: random.Random) -> list[tuple]:
    """(officer, station, typed) for ``n`` random stations that have records and an officer today."""
    stations = list(
        StationAssignment.objects.filter(end__isnull=True, station__households__isnull=False)
        .values_list("station_id", "officer_id")
        .distinct()[:5000]
    )
    if not stations:
        raise RuntimeError("no station with household records: seed the ledgers first")
    officers = {u.pk: u for u in User.objects.filter(pk__in={o for _s, o in stations})}
    out = []
    for station_id, officer_id in rng.choices(stations, k=n):
        records = Household.objects.select_related("station").filter(station_id=station_id, status="active")
        count = records.count()
        if count:
            out.append((officers[officer_id], station_id, _typed(rng, records.order_by("id")[rng.randrange(count)])))
    return out


def _prewarm() -> str:
    """Read the ledger's table and the indexes the picker walks into memory, as a database server that has
    served a working day holds them (24 GB here against ~2 GB); without it every call of this row would be
    the first read of its station's pages since the bench's restart, which is a disk's figure, not ours."""
    tables = (Household._meta.db_table, Household.tags.through._meta.db_table)
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except Exception as exc:  # an install without contrib: measured cold, and the row says so
            return f"not prewarmed ({exc.__class__.__name__})"
        t = time.perf_counter()
        cursor.execute(
            "SELECT sum(pg_prewarm(c.oid, 'read')) * current_setting('block_size')::bigint FROM pg_class c "
            "WHERE c.oid = ANY(%s::regclass[]) OR c.oid IN "
            "(SELECT indexrelid FROM pg_index WHERE indrelid = ANY(%s::regclass[]))",
            [list(tables), list(tables)],
        )
        size = cursor.fetchone()[0] or 0
    return f"prewarmed {size / 2**30:.1f} GB in {time.perf_counter() - t:.0f} s"


def household_picker(n: int = 200) -> Row:
    warmed = _prewarm()
    print(f"    picker: {warmed}", flush=True)
    rng = random.Random(17)
    calls = _calls(n + 10, rng)
    through_api = _has_api()
    it = iter(calls)
    if through_api:
        from django.test import Client

        from accounts.models import ApiToken

        # Signed in before the clock starts: an officer's phone holds its token. One Client for all of them,
        # as one gunicorn worker serves them all: a new Client builds the middleware stack again on its first
        # request (WhiteNoise indexes the static files), which is start-up, not the picker.
        officers = {o.pk: o for o, _s, _t in calls}.values()
        headers = {o.pk: f"Token {ApiToken.objects.create(user=o, device='bench')[1]}" for o in officers}
        client = Client()

        def one():
            officer, station_id, typed = next(it)
            r = client.get(URL, {"station": station_id, "q": typed}, HTTP_AUTHORIZATION=headers[officer.pk])
            if r.status_code != 200:
                raise RuntimeError(f"{r.status_code}: {r.content[:200]!r}")

        how = f"in-process (test Client, {URL})"
    else:

        def one():
            officer, station_id, typed = next(it)
            list(_query(officer, station_id, typed))

        how = "ORM query (the picker API is not in this checkout)"
    sample = measure(one, n, warmup=2)
    officer, station_id, typed = calls[0]
    with CaptureQueriesContext(connection) as ctx:
        list(_query(officer, station_id, typed))
    sql = ctx.captured_queries[-1]["sql"] if ctx.captured_queries else ""
    print(f"    picker p50 {sample.p50:.1f} ms, p95 {sample.p95:.1f} ms over {n} calls; query: {sql}", flush=True)
    records = Household.objects.count()
    return Row.timed(
        "household picker (typed prefix, random stations)", sample, target=TARGET, met=sample.p95 <= 50, how=how,
        notes=f"{n} calls, 1–3 typed characters of a name or an address; {records:,} records; {warmed}",
        records=records,
        query=sql,
    )  # fmt: skip


def _query(officer, station_id: int, typed: str):
    rows = households_visible_to(officer).filter(station_id=station_id, status="active")
    return rows.filter(Q(name__startswith=typed) | Q(address__contains=typed))[:20]
