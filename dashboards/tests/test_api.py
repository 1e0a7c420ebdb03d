"""/api/v1/stats/… and hotspots through the HTTP API (projects and similar cases: cases/tests/test_projects_api.py)."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.tests.test_projects_api import alike_cases
from core.testing.factories import CaseFactory, DispatchFactory
from core.testing.moments import MONDAY, at
from dashboards.metrics import METRIC_KEYS
from dashboards.services.hotspots import hotspots_detect

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


def test_overview_answers_every_metric_key(api, cast, recent):
    r = api.as_user(cast.city_office).get("/api/v1/stats/overview/", period())
    assert r.status_code == 200
    body = r.json()
    assert set(METRIC_KEYS) | {"date_from", "date_to"} <= set(body)
    assert body["raised"] == 3 and body["household_visits"] == 10 and body["overdue_open"] == 1
    assert body["date_from"] == period()["date_from"]


def test_overview_is_bounded_by_the_callers_township(api, cast, recent):
    mine = api.as_user(cast.township_leader).get("/api/v1/stats/overview/", period()).json()
    assert (mine["raised"], mine["household_visits"], mine["overdue_open"]) == (2, 3, 0)
    other = api.as_user(cast.township_leader).get(
        "/api/v1/stats/overview/", {**period(), "township": cast.township_b.pk}
    )
    assert other.status_code == 400 and "township" in other.json()
    staff_b = api.as_user(cast.township_staff_b).get("/api/v1/stats/overview/", period()).json()
    assert (staff_b["raised"], staff_b["household_visits"]) == (1, 7)


def test_overview_for_a_unit_and_for_an_officer(api, cast, recent):
    unit = api.as_user(cast.city_office).get("/api/v1/stats/overview/", {**period(), "unit": cast.office_b.pk})
    assert unit.status_code == 200 and unit.json()["raised"] == 1
    own = api.as_user(cast.officer).get("/api/v1/stats/overview/", period()).json()
    assert own["diaries"] == 1 and own["household_visits"] == 3


@pytest.mark.parametrize("params", [
    {"date_from": "yesterday"}, {"date_to": "2026-02-30"}, {"date_from": "2026-06-01", "date_to": "2026-01-01"},
    {"township": "abc"}, {"township": "99999999999999999999"}, {"unit": "-1"}, {"date_from": "1900-01-01"},
])  # fmt: skip
def test_overview_bad_params_are_400(api, cast, params):
    r = api.as_user(cast.city_office).get("/api/v1/stats/overview/", params)
    assert r.status_code == 400, r.content
    assert set(r.json()) & {"date_from", "date_to", "township", "unit"}


def test_overview_needs_a_login(api):
    assert api.get("/api/v1/stats/overview/").status_code == 401


def test_rankings_by_month(api, cast, cats, clock):
    clock.move_to(MONDAY)  # October's figures are read in November, whichever moment the suite is pinned to
    road = cats["infra.road"]
    month = at(10, 1).date()
    # Department: 6 dispatches, all signed in time, replies in time; office: 5, one returned.
    for i in range(6):
        c = CaseFactory(cast=cast, category=road, raised=at(10, 5 + i), status=Status.CLOSED, unit=cast.department)
        DispatchFactory(case=c, unit=cast.department, dispatched_at=at(10, 5 + i, 10), sign_due=at(10, 6 + i, 10),
                        handle_due=at(10, 20, 10), signed_at=at(10, 5 + i, 11), replied_at=at(10, 6 + i, 10),
                        approved_at=at(10, 6 + i, 11))  # fmt: skip
    for i in range(5):
        c = CaseFactory(cast=cast, category=road, raised=at(10, 5 + i), status=Status.CLOSED, unit=cast.office)
        if i == 0:  # returned in time: no handle deadline to miss, one return in five
            DispatchFactory(case=c, unit=cast.office, dispatched_at=at(10, 5, 10), sign_due=at(10, 6, 10),
                            handle_due=at(10, 7, 10), returned_at=at(10, 5, 12))  # fmt: skip
            continue
        DispatchFactory(case=c, unit=cast.office, dispatched_at=at(10, 5 + i, 10), sign_due=at(10, 6 + i, 10),
                        handle_due=at(10, 7 + i, 10), signed_at=at(10, 5 + i, 11), replied_at=at(10, 8 + i, 10),
                        approved_at=at(10, 8 + i, 11))  # fmt: skip
    # Office B has 4 dispatches: not ranked.
    for i in range(4):
        c = CaseFactory(cast=cast, category=road, raised=at(10, 5 + i), township=cast.township_b, unit=cast.office_b)
        DispatchFactory(
            case=c, unit=cast.office_b, dispatched_at=at(10, 5 + i), sign_due=at(10, 6 + i), handle_due=at(10, 20)
        )
    r = api.as_user(cast.city_office).get("/api/v1/stats/rankings/", {"month": month.strftime("%Y-%m")})
    assert r.status_code == 200
    body = r.json()
    assert [u["name"] for u in body["all"]] == ["交通运输局", "甘霖镇 · 综合治理办公室"]
    assert body["all"][0]["on_time_rate"] == 1.0 and body["all"][1]["on_time_rate"] == 0.2
    assert body["all"][1]["return_rate"] == 0.2 and body["all"][1]["dispatches"] == 5
    assert [u["rank"] for u in body["running"]] == [1, 2] and body["snail"] == []
    # A township leader ranks only the units that handled their township's cases.
    mine = api.as_user(cast.township_leader).get("/api/v1/stats/rankings/", {"month": "2026-10"}).json()
    assert {u["name"] for u in mine["all"]} == {"交通运输局", "甘霖镇 · 综合治理办公室"}
    staff_b = api.as_user(cast.township_staff_b).get("/api/v1/stats/rankings/", {"month": "2026-10"}).json()
    assert staff_b["all"] == []


@pytest.mark.parametrize("month", ["2026-13", "26-01", "2026-1", "abcd-ef", "9999-01"])
def test_rankings_bad_month_is_400(api, cast, month):
    r = api.as_user(cast.city_office).get("/api/v1/stats/rankings/", {"month": month})
    assert r.status_code == 400 and "month" in r.json()


def test_rankings_refused_to_unit_handlers(api, cast):
    assert api.as_user(cast.dept_handler).get("/api/v1/stats/rankings/").status_code == 403


def test_hotspots_for_the_city_office_only(api, cast, cats, township_c):
    now = timezone.now()
    alike_cases(cast, cats, township_c, now)
    hotspots_detect(city=cast.city, now=now)
    r = api.as_user(cast.city_office).get("/api/v1/hotspots/")
    assert r.status_code == 200 and r.json()["count"] == 1
    spot = r.json()["results"][0]
    assert spot["townships"] == 3 and spot["residents"] == 3 and len(spot["cases"]) == 3
    assert sorted(spot["township_names"]) == sorted(["甘霖镇", "长乐镇", "三界镇"])
    assert all(0 < c["similarity"] <= 1 for c in spot["cases"])
    assert api.as_user(cast.leader).get("/api/v1/hotspots/").status_code == 200
    for who in ("township_staff", "township_leader", "officer", "dept_handler"):
        assert api.as_user(getattr(cast, who)).get("/api/v1/hotspots/").status_code == 403, who
