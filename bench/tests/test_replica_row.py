"""The replica rows' own parts (bench/replica.py): the answer comparison and the lag sampler on `make test`'s replica."""

import os

import pytest

from bench import replica
from core.testing.factories.diaries import DiaryEntryFactory


def test_differences_name_the_paths_where_two_answers_differ():
    a = {"figures": {"closed": 3, "open": 1}, "rows": [["镇A", 100], ["镇B", 80]]}
    b = {"figures": {"closed": 3, "open": 2}, "rows": [["镇A", 101], ["镇B", 80]], "extra": 1}
    assert replica._differences(a, a) == []
    assert replica._differences(a, b) == [".extra: None ≠ 1", ".figures.open: 1 ≠ 2", ".rows[0][1]: 100 ≠ 101"]
    assert replica._differences([1, 2], [1]) == [": [1, 2] ≠ [1]"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("TEST_REPLICA_URL"), reason="needs the replica `make test` starts")
def test_the_lag_sampler_times_writes_reaching_the_replica(monkeypatch, cast):
    monkeypatch.setenv("BENCH_REPLICA_URL", os.environ["TEST_REPLICA_URL"])
    sampler = replica.LagSampler.start()
    for i in range(20):
        DiaryEntryFactory(officer=cast.officer, station=cast.village, content=f"lag {i}")
    while len(sampler.ms) < 3:
        sampler._stop.wait(0.05)
    row = sampler.row("replica lag", "20 diaries")
    assert row.met is True and row.extra["n"] >= 3 and row.max < 10_000
    assert "20 diaries" in row.notes and row.extra["timeouts"] == 0
