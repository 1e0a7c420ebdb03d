"""Active officers over a period come from OfficerMonth's day bits: exact at any period edge, equal to raw counts."""

import datetime

import pytest

from accounts.scope import Scope
from core.testing.factories import DiaryEntryFactory
from core.testing.moments import at
from dashboards import metrics
from dashboards.models import OfficerMonth
from dashboards.selection import Area, Selection
from dashboards.services.rollup import rollup_day
from diaries.models import DiaryEntry

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

NOW = at(11, 20, 10)
D = datetime.date


@pytest.fixture
def diaries(cast):
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=D(2026, 10, 30))
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=D(2026, 10, 31))
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=D(2026, 11, 2))
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=D(2026, 11, 19))
    day = D(2026, 10, 25)
    while day < NOW.date():
        rollup_day(day, now=NOW)
        day += datetime.timedelta(days=1)


def test_the_roll_up_keeps_one_row_per_officer_and_month_with_a_bit_per_active_day(cast, diaries):
    rows = OfficerMonth.objects.values_list("month", "officer_id", "days")
    assert sorted(rows) == sorted([
        (D(2026, 10, 1), cast.officer.pk, (1 << 29) | (1 << 30)),
        (D(2026, 11, 1), cast.officer.pk, 1 << 18),
        (D(2026, 11, 1), cast.officer_b.pk, 1 << 1),
    ])  # fmt: skip
    # Rolling a day again rebuilds its month to the same rows.
    rollup_day(D(2026, 11, 3), now=NOW)
    assert sorted(rows.all()) == sorted(rows)


@pytest.mark.parametrize(
    "first,last",
    [
        ((10, 1), (11, 20)),  # whole months plus the live day
        ((10, 31), (11, 1)),  # the last day of one month and the first of the next
        ((11, 1), (11, 1)),  # one day, nobody wrote
        ((10, 30), (10, 30)),  # one day inside a month
        ((10, 31), (11, 2)),
        ((11, 3), (11, 18)),  # inside one month, between the active days
        ((11, 3), (11, 19)),
        ((9, 1), (10, 29)),
    ],
)
def test_active_officers_equal_the_raw_count(cast, diaries, first, last):
    start, end = D(2026, *first), D(2026, *last)
    sel = Selection(area=Area(scope=Scope(city_ids=frozenset({cast.city.pk}))), date_from=start, date_to=end)
    raw = DiaryEntry.objects.filter(visit_date__gte=start, visit_date__lte=end).values("officer_id").distinct().count()
    assert metrics.overview(sel, now=NOW)["active_officers"] == raw
    by_township = metrics.breakdown(sel, "township", now=NOW)
    assert sum(f["active_officers"] for _, f in by_township) == raw  # each officer writes in one township here
