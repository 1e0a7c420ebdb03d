"""The ledger's lists and the record's page take a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing.factories import DiaryEntryFactory, VisitFactory
from households.services import household_create

pytestmark = pytest.mark.django_db


def _grow(cast, n: int, start: int):
    record = None
    for i in range(start, start + n):
        record = household_create(
            by=cast.officer, station=cast.village, name=f"住户{i}", address=f"一组{i}号", tags=["独居老人", "低保户"]
        )
    return record


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/v1/households/", "/households/", "/households/stations/{station}/",
                                  "/households/{record}/", "/api/v1/households/{record}/timeline/"])  # fmt: skip
def test_counts_do_not_grow_with_rows(client, cast, path):
    client.force_login(cast.officer)
    record = _grow(cast, 2, 0)
    for _ in range(2):
        VisitFactory(entry=DiaryEntryFactory(officer=cast.officer, station=cast.village), household=record)
    url = path.format(station=cast.village.pk, record=record.pk)
    _count(client, url)  # warm the per-process table caches
    few = _count(client, url)
    _grow(cast, 20, 10)
    for _ in range(20):
        VisitFactory(entry=DiaryEntryFactory(officer=cast.officer, station=cast.village), household=record)
    assert _count(client, url) == few
    assert few <= 20
