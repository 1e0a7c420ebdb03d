"""The metrics engine against figures worked out by hand (see the comments in ``week``)."""

import datetime

import pytest

from accounts.scope import Scope
from cases.choices import Level, Status
from cases.models import Case
from core.testing.factories import (
    CallbackFactory,
    CaseFactory,
    DiaryEntryFactory,
    DispatchFactory,
    FeedbackFactory,
    ProjectFactory,
    StationAssignmentFactory,
    TownshipFactory,
    UserFactory,
)
from core.testing.moments import at
from dashboards import facts, metrics
from dashboards.selection import Area, Selection, area_of
from dashboards.services.rollup import rollup_day
from demo.categories import seed_categories

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

NOW = at(11, 20, 10)  # a Friday; the period below is Tue 10 – Mon 16 November 2026
D = datetime.date


@pytest.fixture
def week(cast):
    cats = seed_categories()
    road, water = cats["infra.road"], cats["infra.water"]
    staff = cast.township_staff
    # c1: solved on site on the 10th, told and called back (satisfied).
    c1 = CaseFactory(cast=cast, category=road, raised=at(11, 10), level=Level.ONSITE, status=Status.CLOSED)
    FeedbackFactory(case=c1, given_by=cast.officer, given_at=at(11, 10, 10))
    CallbackFactory(case=c1, by=staff, at=at(11, 10, 11), solved=True, satisfaction="satisfied")
    # c2: dispatched to the township office, signed and replied in time: 15 working hours (Wed 10:00 → Fri 10:00).
    c2 = CaseFactory(
        cast=cast, category=road, raised=at(11, 11), status=Status.CLOSED, unit=cast.office, closed_at=at(11, 14)
    )
    DispatchFactory(case=c2, unit=cast.office, dispatched_at=at(11, 11, 10), sign_due=at(11, 12, 10),
                    handle_due=at(11, 18, 10), signed_at=at(11, 11, 15), replied_at=at(11, 13, 10),
                    approved_at=at(11, 13, 14))  # fmt: skip
    FeedbackFactory(case=c2, given_by=staff, given_at=at(11, 13, 16))
    CallbackFactory(case=c2, by=staff, at=at(11, 14), solved=True, satisfaction="basically_satisfied")
    # c3: water, signed late, replied late (approved on the 17th, after the period), closed without feedback.
    c3 = CaseFactory(
        cast=cast, category=water, raised=at(11, 12), status=Status.CLOSED, unit=cast.office, closed_at=at(11, 18)
    )
    DispatchFactory(case=c3, unit=cast.office, dispatched_at=at(11, 12), sign_due=at(11, 13), handle_due=at(11, 14),
                    signed_at=at(11, 13, 11), replied_at=at(11, 17, 10), approved_at=at(11, 17, 11))  # fmt: skip
    CallbackFactory(case=c3, by=staff, at=at(11, 18), solved=True, satisfaction="satisfied")
    # c4: township B, returned by office B in time, then with the department, overdue since the 15th.
    c4 = CaseFactory(cast=cast, category=road, raised=at(11, 13), township=cast.township_b, level=Level.CITY,
                     status=Status.IN_PROGRESS, unit=cast.department, due=at(11, 15))  # fmt: skip
    DispatchFactory(case=c4, unit=cast.office_b, dispatched_at=at(11, 13), sign_due=at(11, 14), handle_due=at(11, 20),
                    returned_at=at(11, 13, 16))  # fmt: skip
    DispatchFactory(case=c4, unit=cast.department, dispatched_at=at(11, 14), sign_due=at(11, 15), handle_due=at(11, 15),
                    signed_at=at(11, 14, 10), level=Level.CITY)  # fmt: skip
    # c5: township B, raised before the period; its reply (7.5 working hours) is approved and it is
    # called back inside the period: once unreached, once reached and not solved, without an answer.
    c5 = CaseFactory(cast=cast, category=road, raised=at(11, 9), township=cast.township_b, status=Status.CLOSED,
                     unit=cast.office_b, closed_at=at(11, 16))  # fmt: skip
    DispatchFactory(case=c5, unit=cast.office_b, dispatched_at=at(11, 9), sign_due=at(11, 10), handle_due=at(11, 16),
                    signed_at=at(11, 9, 10), replied_at=at(11, 10), approved_at=at(11, 12, 10))  # fmt: skip
    FeedbackFactory(case=c5, given_by=cast.township_staff_b, given_at=at(11, 12, 11))
    CallbackFactory(case=c5, by=cast.township_staff_b, at=at(11, 15), reached=False)
    CallbackFactory(case=c5, by=cast.township_staff_b, at=at(11, 16), solved=False)
    # c6: raised on the 16th, waiting for dispatch; merged into a project with c2 (still counts alone).
    project = ProjectFactory(cast=cast)
    c6 = CaseFactory(cast=cast, category=road, raised=at(11, 16, 17), project=project)
    c2.project = project
    c2.save(update_fields=["project"])
    # Diaries: two in township A, one in B, one after the period.
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=D(2026, 11, 10), household_visits=3)
    DiaryEntryFactory(
        officer=cast.officer, station=cast.village, visit_date=D(2026, 11, 12), household_visits=2, enterprise_visits=1
    )
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=D(2026, 11, 16), enterprise_visits=2)
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=D(2026, 11, 17), household_visits=5)
    # An officer whose assignment ended before the period's last day is not on duty.
    gone = UserFactory(username="officer_gone", roles=["officer"], org_unit=cast.department)
    StationAssignmentFactory(cast=cast, officer=gone, station=cast.community, end=D(2026, 11, 1))
    return {"cases": [c1, c2, c3, c4, c5, c6], "road": road, "water": water, "project": project}


def city(cast, **kw):
    return Selection(area=Area(scope=Scope(city_ids=frozenset({cast.city.pk}))), date_from=D(2026, 11, 10),
                     date_to=D(2026, 11, 16), **kw)  # fmt: skip


CITY_WEEK = {
    "date_from": "2026-11-10", "date_to": "2026-11-16",
    "diaries": 3, "household_visits": 5, "enterprise_visits": 3, "officers": 2, "active_officers": 2,
    "raised": 5, "solved_on_site": 1, "closed": 3, "completion_rate": 0.6, "on_time_rate": 0.6667,
    "response_rate": 0.75, "return_rate": 0.25, "feedback_rate": 0.6667, "resolution_rate": 0.6667,
    "satisfaction_rate": 1.0, "resident_rated": 0, "overdue_open": 1, "held": 0, "avg_handle_hours": 11.25,
    "dispatches": 4, "returned": 1, "replies_approved": 2,
    # No ledger in this world: no records, and coverage rates that do not exist.
    "households": 0, "households_visited": 0, "key_households": 0, "key_on_time": 0, "coverage_rate": None,
    "key_followup_rate": None,
    "overdue_by_clock": {"dispatch": 0, "sign": 0, "handle": 1, "review": 0, "feedback": 0, "callback": 0},
}  # fmt: skip


def test_city_week_by_hand(cast, week):
    assert metrics.overview(city(cast), now=NOW) == CITY_WEEK


def test_township_week_by_hand(cast, week):
    sel = Selection(area=area_of(cast.township_leader), date_from=D(2026, 11, 10), date_to=D(2026, 11, 16))
    figures = metrics.overview(sel, now=NOW)
    assert figures | {} == {
        **CITY_WEEK,
        "diaries": 2, "household_visits": 5, "enterprise_visits": 1, "officers": 1, "active_officers": 1,
        "raised": 4, "closed": 3, "completion_rate": 0.75, "response_rate": 0.5, "return_rate": 0.0,
        "resolution_rate": 1.0, "satisfaction_rate": 1.0, "resident_rated": 0, "overdue_open": 0, "held": 0, "avg_handle_hours": 15.0,
        "dispatches": 2, "returned": 0, "replies_approved": 1,
        "overdue_by_clock": dict.fromkeys(("dispatch", "sign", "handle", "review", "feedback", "callback"), 0),
    }  # fmt: skip


def test_rates_are_null_without_a_denominator(cast, week):
    empty = TownshipFactory(code="T3", name="三界镇", parent=cast.city)
    figures = metrics.overview(city(cast, township_id=empty.pk), now=NOW)
    assert figures["raised"] == 0 and figures["diaries"] == 0
    for key in metrics.RATES:
        assert figures[key] is None, key
    assert figures["avg_handle_hours"] is None


def test_cases_merged_into_a_project_still_count_one_by_one(cast, week):
    assert week["project"].cases.count() == 2
    assert metrics.overview(city(cast), now=NOW)["raised"] == 5


def test_unit_and_category_filters(cast, week):
    office = metrics.overview(city(cast, unit_id=cast.office.pk), now=NOW)
    assert (office["raised"], office["closed"], office["dispatches"], office["response_rate"]) == (2, 2, 2, 0.5)
    assert office["avg_handle_hours"] == 15.0
    water = metrics.overview(city(cast, category_id=week["water"].pk), now=NOW)
    assert (water["raised"], water["on_time_rate"], water["diaries"]) == (1, 0.0, None)


def test_officer_scope_is_counted_from_the_raw_rows(cast, week):
    figures = metrics.overview(Selection(area=area_of(cast.officer), date_from=D(2026, 11, 1),
                                         date_to=D(2026, 11, 30)), now=NOW)  # fmt: skip
    assert (figures["diaries"], figures["household_visits"], figures["active_officers"]) == (2, 5, 1)
    assert figures["raised"] == 0  # the week's cases were raised by desks, not by this officer


def _everything(sel):
    # The total alone (live part summed in SQL) and the total beside the groupings (summed from live rows).
    out = {"total": metrics.overview(sel, now=NOW), "total_from_rows": metrics.Metrics(sel, now=NOW).overview()}
    assert out["total"] == out["total_from_rows"]
    for by in ("township", "unit", "category", "officer", "day", "week", "month"):
        out[by] = metrics.breakdown(sel, by, now=NOW)
    return out


@pytest.mark.parametrize("rolled", [range(9, 20), range(9, 13), [11, 14, 15]])
def test_rollup_plus_live_part_equals_the_direct_count(cast, week, rolled):
    # Today (the 20th) has its own activity, counted live whatever was rolled up.
    CaseFactory(cast=cast, category=week["road"], raised=at(11, 20, 8), township=cast.township_b)
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=D(2026, 11, 20), household_visits=4)
    sel = city(cast).with_period(D(2026, 11, 1), D(2026, 11, 20))
    direct = _everything(sel)
    for day in rolled:
        rollup_day(D(2026, 11, day), now=NOW)
    assert _everything(sel) == direct
    assert direct["total"]["raised"] == 7 and direct["total"]["household_visits"] == 14


@pytest.mark.parametrize("rolled", [[], range(9, 20), [11, 14, 15]])
def test_left_out_cases_come_off_the_rolled_up_figures(cast, week, rolled):
    """A selection that leaves cases out (the scores) reads the roll-ups and takes the left-out cases'
    own counters away: the same as counting every other case from the raw tables."""
    sel = city(cast).with_period(D(2026, 11, 1), D(2026, 11, 20))
    two = list(Case.objects.filter(city=cast.city).order_by("pk").values_list("pk", flat=True)[:2])
    left = sel.narrowed(left_out=Case.objects.filter(pk__in=two).values("pk"))
    for day in rolled:
        rollup_day(D(2026, 11, day), now=NOW)
    # The raw tables with the two cases excluded in SQL: the reference.
    expected = facts.case_totals([(sel.date_from, NOW.date())], left.q)
    assert metrics.Metrics(left, now=NOW).collect()[None].cases == expected
    assert metrics.Metrics(left, now=NOW, total_only=True).collect()[None].cases == expected
    assert expected["raised"] == metrics.overview(sel, now=NOW)["raised"] - 2
    by_township = dict(metrics.breakdown(left, "township", now=NOW))
    assert sum(f["raised"] for f in by_township.values()) == expected["raised"]


def test_rollup_is_idempotent_and_refuses_today(cast, week):
    n = rollup_day(D(2026, 11, 12), now=NOW)
    assert rollup_day(D(2026, 11, 12), now=NOW) == n
    with pytest.raises(ValueError):
        rollup_day(D(2026, 11, 20), now=NOW)


def test_breakdown_by_township_and_week(cast, week):
    rows = dict(metrics.breakdown(city(cast), "township", now=NOW))
    assert rows[cast.township.pk]["raised"] == 4 and rows[cast.township_b.pk]["raised"] == 1
    assert rows[cast.township_b.pk]["overdue_open"] == 1 and rows[cast.township.pk]["officers"] == 1
    weeks = metrics.breakdown(city(cast), "week", now=NOW)
    assert [k for k, _ in weeks] == [D(2026, 11, 9), D(2026, 11, 16)]
    assert [f["raised"] for _, f in weeks] == [4, 1]
