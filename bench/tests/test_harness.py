"""The benchmark's own arithmetic: CPU accounting from /proc, merging partial runs, the soak's checks."""

import datetime
import subprocess
import sys
import time

import pytest

from bench import cpu, harness, soak


def test_a_process_trees_cpu_includes_children_reaped_during_the_run():
    # A parent that starts a child, lets it burn ~0.3 s of CPU, reaps it and sleeps: the child is gone
    # when we look, yet its time must count (PostgreSQL backends come and go like this).
    script = (
        "import subprocess, sys, time\n"
        "subprocess.run([sys.executable, '-c', 'import time\\nt=time.process_time()\\n"
        "while time.process_time()-t<0.3: pass'])\n"
        "time.sleep(30)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        before = cpu.tree_seconds(parent.pid)
        deadline = time.monotonic() + 20
        while cpu.tree_seconds(parent.pid) - before < 0.25 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert cpu.tree_seconds(parent.pid) - before >= 0.25
    finally:
        parent.kill()
        parent.wait()


def test_cpu_per_request_splits_the_machine_between_the_parts():
    before = cpu.Snapshot(app=10.0, db=5.0, clients=1.0, busy=100.0, total=200.0)
    after = cpu.Snapshot(app=13.7, db=6.4, clients=1.1, busy=105.4, total=206.0)
    assert cpu.per_request(before, after, 100) == {
        "app_ms": 37.0, "db_ms": 14.0, "clients_ms": 1.0, "other_ms": 2.0, "machine_busy": 0.9,
    }  # fmt: skip


def test_a_partial_run_updates_its_rows_and_keeps_the_others(tmp_path):
    path = tmp_path / "results.json"
    harness.write_json(path, [harness.Row("list", "t", True, p95=50.0), harness.Row("load", "t", False)], {})
    rows = harness.merged(path, [harness.Row("load", "t", True, p95=1.0), harness.Row("soak", "t", True)])
    assert [(r.name, r.met) for r in rows] == [("list", True), ("load", True), ("soak", True)]
    assert harness.merged(tmp_path / "missing.json", rows) == rows


def test_soak_groups_latencies_by_route():
    assert soak._kind("GET", "/api/v1/cases/12/?x=1") == "GET cases/{id}"
    assert soak._kind("POST", "/api/v1/diaries/") == "POST diaries"
    assert soak._kind("GET", "/api/v1/diaries/?page_size=20") == "GET diaries"


@pytest.mark.django_db
def test_soak_check_counts_lost_duplicated_and_wrong_cases(cast):
    from core.testing.factories import DiaryEntryFactory
    from diaries.models import DiaryEntry

    run = soak.Run(0, ["x"])
    kept = {"officer": cast.officer, "station": cast.village, "visit_date": datetime.date(2026, 11, 20)}
    DiaryEntryFactory(content=f"{run.marker}-0-0 走访", **kept)
    DiaryEntryFactory(content=f"{run.marker}-0-1 走访", **kept)
    DiaryEntryFactory(content=f"{run.marker}-0-1 走访", **kept)
    DiaryEntryFactory(content=f"{run.marker}-0-3 走访", **kept)
    run.acknowledge(f"{run.marker}-0-0", 0)
    run.acknowledge(f"{run.marker}-0-1", 0)
    run.acknowledge(f"{run.marker}-0-2", 0)  # acknowledged, never stored
    run.acknowledge(f"{run.marker}-0-3", 1)  # stored without its case
    assert soak._check(run) == {"lost": 1, "duplicated": 1, "stored_unacknowledged": 0, "wrong_cases": 1}
    assert not DiaryEntry.objects.filter(content__startswith=run.marker).exists()
