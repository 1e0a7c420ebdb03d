"""The household picker row (QUALITY.md: typed prefix of a name or address, p95 ≤ 50 ms at ~9,000,000 records).

An officer types 1–3 characters of a head of household's name or of an address
at one of their stations. Measured through the test Client when the picker's API
(/api/v1/household-picker/, built with the visit form) is in this checkout, else as
the ORM query it runs — the row says which.
"""

import random

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


def household_picker(n: int = 200) -> Row:
    rng = random.Random(17)
    calls = _calls(n + 10, rng)
    through_api = _has_api()
    it = iter(calls)
    if through_api:
        from bench.inproc import api_client

        clients = {}

        def one():
            officer, station_id, typed = next(it)
            if officer.pk not in clients:
                clients[officer.pk] = api_client(officer.username)
            r = clients[officer.pk].get(URL, {"station": station_id, "q": typed})
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
        notes=f"{n} calls, 1–3 typed characters of a name or an address; {records:,} records", records=records,
        query=sql,
    )  # fmt: skip


def _query(officer, station_id: int, typed: str):
    rows = households_visible_to(officer).filter(station_id=station_id, status="active")
    return rows.filter(Q(name__startswith=typed) | Q(address__contains=typed))[:20]
