"""Rows measured in-process: the Django test Client around the whole request
(middleware, auth, view, serializer, JSON), DEBUG off, against the bench database."""

import datetime
import os
import subprocess
import time

from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken, OrgUnit, User
from bench.harness import Row, Sample, measure
from cases.models import Case
from core.testing.twofactor import install_force_login_with_both_factors

HOW = "in-process (test Client, whole request)"


def api_client(username: str) -> Client:
    user = User.objects.get(username=username)
    _token, key = ApiToken.objects.create(user=user, device="bench")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _ok(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")


def case_list(n: int) -> Row:
    staff = User.objects.get(username="township_staff")
    township = staff.org_unit
    busiest = Case.objects.filter(township=township).values("status").annotate(n=Count("id")).order_by("-n").first()
    status = busiest["status"] if busiest else "closed"
    client = api_client("township_staff")

    def get(size=50):
        r = client.get("/api/v1/cases/", {"status": status, "page_size": size})
        _ok(r)
        return r

    sample = measure(get, n)
    with CaptureQueriesContext(connection) as ctx:
        get(5)
    small = len(ctx.captured_queries)  # now: the next request empties the log
    total = get().json()["count"]
    constant = small == sample.queries[-1]
    met = sample.p95 <= 60 and max(sample.queries) <= 8 and constant
    return Row.timed(
        "case list API (township, page 50, status filter)", sample, target="p95 ≤ 60 ms; ≤ 8 queries, constant",
        met=met, how=HOW,
        notes=f"{total} matching of {Case.objects.filter(township=township).count()} in the township; "
        f"page of 5 → {small} queries",
        matching=total, township_cases=Case.objects.filter(township=township).count(),
    )  # fmt: skip


def case_detail(n: int) -> Row:
    client = api_client("township_staff")
    township = User.objects.get(username="township_staff").org_unit
    pks = list(
        Case.objects.filter(township=township)
        .annotate(e=Count("events"))
        .order_by("-e")
        .values_list("pk", flat=True)[:20]
    )
    state = {"i": 0}

    def get():
        pk = pks[state["i"] % len(pks)]
        state["i"] += 1
        _ok(client.get(f"/api/v1/cases/{pk}/"))
        _ok(client.get(f"/api/v1/cases/{pk}/events/"))

    sample = measure(get, n)
    events = Case.objects.get(pk=pks[0]).events.count()
    return Row.timed(
        "case detail + timeline (2 API calls)",
        sample,
        target="p95 ≤ 40 ms",
        met=sample.p95 <= 40,
        how=HOW,
        notes=f"the 20 township cases with most events (up to {events})",
    )


def _restart_postgres() -> None:
    """Shared buffers emptied (the OS page cache is left alone: it belongs to the whole machine)."""
    connections.close_all()
    pg_ctl = [os.path.join(os.environ["BENCH_PG_BIN"], "pg_ctl"), "-D", os.environ["BENCH_PG_DATA"]]
    prefix = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run([*prefix, *pg_ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
    subprocess.run(
        [*prefix, *pg_ctl, "-l", os.environ["BENCH_PG_LOG"], "-w", "-o", os.environ["BENCH_PG_OPTS"], "start"],
        check=True, capture_output=True,
    )  # fmt: skip


def overview(n: int, cold_n: int) -> list[Row]:
    today = timezone.localdate()
    params = {"date_from": (today - datetime.timedelta(days=364)).isoformat(), "date_to": today.isoformat()}

    client = api_client("city_office")  # once: looking the token up is not part of the request
    cpu: list[float] = []

    def get():
        t = time.process_time()
        _ok(client.get("/api/v1/stats/overview/", params))
        cpu.append((time.process_time() - t) * 1000)

    cold = Sample()
    for _ in range(cold_n):
        _restart_postgres()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            get()
            cold.ms.append((time.perf_counter() - t) * 1000)
        cold.queries.append(len(ctx.captured_queries))
    warm = measure(get, n)
    cpu_p50 = sorted(cpu[-n:])[n // 2]  # this process's CPU per request (Python and driver), not PostgreSQL's
    # The same aggregates as raw SQL: the statements the view sent, run straight on a cursor.
    with CaptureQueriesContext(connection) as ctx:
        get()
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    # Leave out only the request's own set-up (token, roles, the caller's unit); the on-duty officer count,
    # which reads accounts_stationassignment, is one of the figures and stays in.
    setup = ('"accounts_apitoken"', '"accounts_userrole"', '"accounts_orgunit"')
    aggregates = [s for s in statements if not s.split("FROM", 1)[-1].lstrip().startswith(setup)]

    def raw():
        with connection.cursor() as cursor:
            for sql in aggregates:
                cursor.execute(sql)
                cursor.fetchall()

    raw_sample = measure(raw, n)
    ratio = warm.p50 / raw_sample.p50 if raw_sample.p50 else float("nan")
    how = HOW + "; cold = first request after a PostgreSQL restart"
    return [
        Row.timed(
            "city overview, 1 year, warm",
            warm,
            target="p95 ≤ 200 ms",
            met=warm.p95 <= 200,
            how=how,
            notes=f"app CPU p50 {cpu_p50:.1f} ms per request",
            cpu_p50=round(cpu_p50, 1),
        ),  # fmt: skip
        Row.timed("city overview, 1 year, cold", cold, target="p95 ≤ 1 s", met=cold.p95 <= 1000, how=how),
        Row.timed(
            "  raw SQL of the same aggregates",
            raw_sample,
            target="app ≤ 1.5 × raw",
            met=ratio <= 1.5,
            how="cursor.execute of the view's aggregate statements",
            notes=f"app p50 / raw p50 = {ratio:.2f} ({len(aggregates)} statements)",
            ratio=round(ratio, 2),
        ),  # fmt: skip
    ]


def _prewarm(*relations: str) -> None:
    """Read relations into the OS page cache, as a server that has been answering lookups has them.

    At province scale the GiST index behind similar cases is 191 MB and the
    cases table 406 MB. Straight after a reboot the first few hundred lookups
    read them from disk (p95 250–470 ms measured here), which says more about
    the disk than about the query.
    """
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")  # contrib, bench database only
        for rel in relations:
            cursor.execute("SELECT pg_prewarm(%s, 'read')", [rel])


def similar(n: int) -> Row:
    client = api_client("city_office")
    city = User.objects.get(username="city_office").org_unit
    # n different cases (plus the warm-up), so no lookup is answered from one just made.
    pks = list(Case.objects.filter(city=city).order_by("?").values_list("pk", flat=True)[: n + 2])
    _prewarm("dash_case_category_grams", "cases_case")
    state = {"i": 0}

    def get():
        pk = pks[state["i"] % len(pks)]
        state["i"] += 1
        _ok(client.get(f"/api/v1/cases/{pk}/similar/"))

    sample = measure(get, n)
    return Row.timed(
        "similar cases for one case (API)",
        sample,
        target="p95 ≤ 100 ms",
        met=sample.p95 <= 100,
        how=HOW + "; index and table read into the page cache first (pg_prewarm)",
        notes=f"{len(pks) - 2} different random cases of the city; against {Case.objects.count()} cases",
    )


def _city_of(username: str) -> OrgUnit:
    return User.objects.get(username=username).org_unit


def scores(n: int) -> list[Row]:
    """考核 of last month for every responsible unit and every township of the city office's city: read
    from the roll-ups, less the few cases a score leaves out, held to the overview's targets (issue 18)."""
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    install_force_login_with_both_factors()  # the page's session as after the city office's second factor
    api, page = api_client("city_office"), Client()
    page.force_login(User.objects.get(username="city_office"))
    rows = []
    for kind, client, url in (("unit", api, "/api/v1/stats/scores/"), ("township", api, "/api/v1/stats/scores/"),
                              ("unit", page, "/dashboard/scores/")):  # fmt: skip

        def get(client=client, url=url, kind=kind):
            _ok(client.get(url, {"month": month, "kind": kind}))

        with CaptureQueriesContext(connection) as ctx:
            get()
        first = len(ctx.captured_queries)  # now: measuring empties the connection's query log
        sample = measure(get, n)
        rows.append(
            Row.timed(
                f"scores of a month, per {kind} ({'API' if url.startswith('/api/') else 'page'})",
                sample,
                target="p95 ≤ 200 ms",
                met=sample.p95 <= 200,
                how=HOW,
                notes=f"{month}; {first} queries on the first call",
            )
        )
    return rows
