"""Coverage figures (METRICS.md households .. key_followup_rate) against the hand-worked ledger of coverage_world."""

import pytest
from django.db.models import Q

from accounts.scope import Scope
from dashboards import metrics
from dashboards.selection import Area, Selection
from dashboards.services.rollup import rollup_day
from dashboards.tests.coverage_world import NOW, D
from households import coverage

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

KEYS = ("households", "key_households", "households_visited", "key_on_time", "coverage_rate", "key_followup_rate")


def city(cast, first, last, **kw) -> Selection:
    return Selection(area=Area(scope=Scope(city_ids=frozenset({cast.city.pk}))), date_from=first, date_to=last, **kw)


def figures(sel) -> dict:
    out = metrics.overview(sel, now=NOW)
    return {k: out[k] for k in KEYS}


def test_month_to_date_ending_today(cast, ledger):
    # Active on the 20th: h1 h2 h3 h4 h6 (h5 moved away), b1 b2. Visited in November: h1 h4 b1 b2.
    # Key on time: h1 (11-10 within 30 days), b1 (11-16 within 7); h2 (10-01) is overdue.
    assert figures(city(cast, D(2026, 11, 1), D(2026, 11, 20))) == {
        "households": 7, "key_households": 3, "households_visited": 4, "key_on_time": 2,
        "coverage_rate": 0.5714, "key_followup_rate": 0.6667,
    }  # fmt: skip


def test_year_to_date_counts_each_record_once(cast, ledger):
    # h2's October visit now counts; b2's two visits count one record.
    got = figures(city(cast, D(2026, 1, 1), D(2026, 11, 20)))
    assert got["households_visited"] == 5 and got["households"] == 7


def test_a_past_day_sees_the_records_of_that_day(cast, ledger):
    # On the 14th h5 was still active (moved on the 15th) and h6 did not exist yet; b1 had no visit yet.
    assert figures(city(cast, D(2026, 11, 1), D(2026, 11, 14))) == {
        "households": 7, "key_households": 3, "households_visited": 3, "key_on_time": 1,
        "coverage_rate": 0.4286, "key_followup_rate": 0.3333,
    }  # fmt: skip


def test_per_township_and_a_township_scope(cast, ledger):
    sel = city(cast, D(2026, 11, 1), D(2026, 11, 20))
    rows = dict(metrics.breakdown(sel, "township", now=NOW, diaries=False))
    a, b = rows[cast.township.pk], rows[cast.township_b.pk]
    assert (a["households"], a["households_visited"], a["key_households"], a["key_on_time"]) == (5, 2, 2, 1)
    assert (b["households"], b["households_visited"], b["key_households"], b["key_on_time"]) == (2, 2, 1, 1)
    own = Selection(area=Area(scope=Scope(township_ids=frozenset({cast.township_b.pk}))),
                    date_from=sel.date_from, date_to=sel.date_to)  # fmt: skip
    assert figures(own)["households"] == 2


def test_no_record_is_a_rate_that_does_not_exist(cast):
    got = figures(city(cast, D(2026, 11, 1), D(2026, 11, 20)))
    assert got["households"] == 0 and got["coverage_rate"] is None and got["key_followup_rate"] is None


def test_the_stored_schedule_fields_agree_with_the_visits(cast, ledger):
    for first in (D(2026, 1, 1), D(2026, 11, 1), D(2026, 11, 17)):
        for by in (None, "township", "station"):
            assert coverage.counts_now(Q(), first, D(2026, 11, 20), by=by) == coverage.counts(
                Q(), first, D(2026, 11, 20), by=by
            )


@pytest.mark.parametrize("rolled", [[], range(1, 20), [3, 14, 15, 19]])
def test_rolled_figures_equal_the_exact_count(cast, ledger, rolled):
    periods = [(D(2026, 11, 1), D(2026, 11, 14)), (D(2026, 1, 1), D(2026, 11, 14)), (D(2026, 11, 1), D(2026, 11, 19)),
               (D(2026, 1, 1), D(2026, 11, 19)), (D(2026, 11, 5), D(2026, 11, 15)), (D(2026, 11, 1), D(2026, 11, 3))]  # fmt: skip
    exact = {}
    for first, last in periods:
        exact[first, last] = coverage.counts(Q(city_id=cast.city.pk), first, last)[None]
    for day in rolled:
        rollup_day(D(2026, 11, day), now=NOW)
    for first, last in periods:
        sel = city(cast, first, last)
        got = metrics.coverage_counts(sel, now=NOW)[None]
        assert got == exact[first, last], (first, last)
        by_township = metrics.coverage_counts(sel, "township", now=NOW)
        assert sum(n["households_visited"] for n in by_township.values()) == got["households_visited"]


def test_a_backdated_visit_turns_later_snapshots_back_to_exact_counts(cast, ledger, clock):
    from core.testing.moments import at
    from dashboards.models import RolledDay, RollupRun
    from dashboards.services.rollup import rollup_nightly
    from dashboards.tests.coverage_world import _visit

    now = at(11, 26, 9)
    clock.move_to(now)
    for day in range(1, 26):
        rollup_day(D(2026, 11, day), now=now)
    RollupRun.objects.create(started_at=at(11, 26, 8), finished_at=at(11, 26, 8, 5))
    _visit(cast.officer, ledger["h3"], D(2026, 11, 8))  # written today for the 8th
    rollup_nightly(now=now)
    kept = dict(RolledDay.objects.values_list("day", "coverage"))
    assert kept[D(2026, 11, 5)] and kept[D(2026, 11, 8)] and kept[D(2026, 11, 25)]
    assert not kept[D(2026, 11, 14)]
    sel = city(cast, D(2026, 11, 1), D(2026, 11, 14))
    got = metrics.coverage_counts(sel, now=now)[None]
    assert got == coverage.counts(Q(city_id=cast.city.pk), sel.date_from, sel.date_to)[None]
    assert got["households_visited"] == 4  # h1, h5, b2 and now h3


def test_city_wide_counts_of_today_are_reused_for_a_while_a_township_is_counted_each_time(cast, ledger, settings):
    from django.core.cache import cache

    from dashboards.tests.coverage_world import _visit, visits_recorded

    settings.COVERAGE_CACHE_SECONDS = 300
    h3 = ledger["h3"]
    sel = city(cast, D(2026, 11, 1), D(2026, 11, 20))
    own = Selection(area=Area(scope=Scope(township_ids=frozenset({h3.township_id}))),
                    date_from=sel.date_from, date_to=sel.date_to)  # fmt: skip
    before_city = metrics.coverage_counts(sel, now=NOW)[None]["households_visited"]
    before_own = metrics.coverage_counts(own, now=NOW)[None]["households_visited"]
    _visit(cast.officer, h3, D(2026, 11, 20))
    visits_recorded([h3.pk], on=D(2026, 11, 20))
    assert metrics.coverage_counts(own, now=NOW)[None]["households_visited"] == before_own + 1
    assert metrics.coverage_counts(sel, now=NOW)[None]["households_visited"] == before_city
    cache.clear()  # the reuse window over
    assert metrics.coverage_counts(sel, now=NOW)[None]["households_visited"] == before_city + 1
