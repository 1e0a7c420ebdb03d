"""python -m bench.run --scale S [--quick]: every row of QUALITY.md's performance table.

Run through scripts/bench.sh (make bench / make bench-quick), which provides
the database, Redis and production-like settings.
"""

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import django


def _ensure_rollups() -> str:
    """The nightly roll-up as beat would have left it: every past day of the last year rolled."""
    from django.utils import timezone

    from dashboards.models import RolledDay
    from dashboards.services.rollup import rollup_day

    today = timezone.localdate()
    days = [today - datetime.timedelta(days=i) for i in range(1, 366)]
    done = set(RolledDay.objects.filter(day__gte=days[-1]).values_list("day", flat=True))
    todo = [d for d in days if d not in done]
    # The bulk seed leaves the ledger's coverage unrolled (RolledDay.coverage off); last night's beat
    # would have rolled yesterday's snapshot, which the overview's year-to-date figures read.
    if days[0] in done and not RolledDay.objects.filter(day=days[0], coverage=True).exists():
        todo.append(days[0])
    t = time.perf_counter()
    for day in sorted(todo):
        rollup_day(day)
    return f"rolled up {len(todo)} missing day(s) in {time.perf_counter() - t:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province")
    parser.add_argument("--quick", action="store_true", help="fewer samples, a shorter load run")
    parser.add_argument("--only", default="", help="comma-separated row keys (soak runs only when named)")
    parser.add_argument("--soak-minutes", type=float, default=15, help="length of the 200-officer run")
    parser.add_argument("--soak-officers", type=int, default=200, help="officers at once in the soak")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")
    django.setup()

    from django.db import connection

    from bench import harness, inproc, load, picker, public, replica, soak, workers
    from cases.models import Case, CaseEvent
    from diaries.models import DiaryEntry

    n = 30 if args.quick else 100
    print(_ensure_rollups(), flush=True)
    with connection.cursor() as cursor:
        # The rows' rolled-back writes and deleted test requests leave the cases table's pages marked as not
        # all-visible, which autovacuum on a running server would have set again: until then every count
        # of a township reads the table as well as the index (13,600 buffers instead of ~200).
        cursor.execute("VACUUM (ANALYZE) cases_case")
        cursor.execute("ANALYZE")
    volume = {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "diaries": DiaryEntry.objects.count(),
        "open": Case.objects.exclude(status="closed").count(),
    }
    print(f"data ({args.scale}): {volume}", flush=True)
    steps = {
        "list": lambda: [inproc.case_list(n), inproc.unit_handler_list(n)],
        "detail": lambda: [inproc.case_detail(n)],
        "overview": lambda: inproc.overview(n, 3 if args.quick else 5),
        "coverage": lambda: inproc.coverage_overview(n),
        "scores": lambda: inproc.scores(n),
        "replica": lambda: replica.rows(n, 20 if args.quick else 60),
        "load": lambda: load.diary_submission(20 if args.quick else 60),
        "public": lambda: public.public_submissions(20 if args.quick else 60),
        "sweep": lambda: [workers.deadline_sweep()],
        "care": lambda: [workers.care_sweep()],
        "similar": lambda: [inproc.similar(n)],
        "actions": lambda: inproc.case_actions(n),
        "hotspots": lambda: [workers.hotspots()],
        "form": lambda: [workers.diary_form_bytes()],
        "picker": lambda: [picker.household_picker(60 if args.quick else 200)],
        # QUALITY.md's 15-minute load run: `make bench-soak`, not part of the table's usual run.
        "soak": lambda: [soak.soak(args.soak_minutes * 60, args.soak_officers)],
    }
    only = [k for k in args.only.split(",") if k] or [k for k in steps if k != "soak"]
    rows: list[harness.Row] = []
    for key in only:
        t = time.perf_counter()
        try:
            got = steps[key]()
        except Exception as exc:  # noqa: BLE001 - one broken row must not hide the others
            got = [harness.Row(key, "", False, notes=f"failed: {exc!r}"[:300])]
        rows += got
        for r in got:
            print(f"  {r.name}: p95 {r.p95} ms, queries {r.queries}, met {r.met}  ({time.perf_counter() - t:.0f} s)",
                  flush=True)  # fmt: skip
    rows += _peer(rows, volume["cases"])
    print()
    print(harness.table(rows))
    out = Path(__file__).resolve().parent / f"results-{args.scale}.json"
    meta = {"scale": args.scale, "quick": args.quick, "volume": volume, "at": datetime.datetime.now().isoformat(),
            "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}"}  # fmt: skip
    if args.only:
        rows = harness.merged(out, rows)  # a partial run updates its rows and keeps the others
    harness.write_json(out, rows, meta)
    print(f"\nwritten {out}")
    return 0


def _peer(rows, cases: int) -> list:
    """django-helpdesk 2.6.1 at 1,000,000 tickets on this machine: list p95 3.5 s, dashboard p95 20 s."""
    from bench.harness import Row

    by = {r.name: r for r in rows}
    out = []
    same = "" if cases >= 1_000_000 else f" (NB: we have {cases} cases, the peer figure is at 1,000,000)"
    lst = next((r for n, r in by.items() if n.startswith("case list") and r.p95), None)
    if lst:
        f = 3500 / lst.p95
        out.append(Row("peer: case list vs helpdesk 3.5 s", "≥ 50 × faster", f >= 50 and cases >= 1_000_000,
                       p95=lst.p95, how="from the case list row", notes=f"{f:.0f} ×{same}"))  # fmt: skip
    dash = by.get("city overview, 1 year, warm")
    if dash and dash.p95:
        f = 20000 / dash.p95
        out.append(Row("peer: dashboard vs helpdesk 20 s", "≥ 100 × faster", f >= 100 and cases >= 1_000_000,
                       p95=dash.p95, how="from the warm overview row", notes=f"{f:.0f} ×{same}"))  # fmt: skip
    return out


if __name__ == "__main__":
    sys.exit(main())
