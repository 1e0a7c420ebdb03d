"""/api/v1/stats/…, hotspots, projects and similar cases through the HTTP API."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.models import CaseEvent, Project
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


def _alike(cast, cats, township_c, now):
    road = cats["infra.road"]
    t3, v3 = township_c
    return [
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=5),
                    title="东溪村通村公路坑洼不平，雨天积水严重", reporter_phone="13800000001"),
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=4), township=cast.township_b,
                    title="西山村村道路面坑洼，下雨积水出行难", reporter_phone="13800000002"),
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=3), township=t3,
                    title="南岭村公路路面破损坑洼积水", reporter_phone="13800000003"),
    ]  # fmt: skip


def test_hotspots_for_the_city_office_only(api, cast, cats, township_c):
    now = timezone.now()
    _alike(cast, cats, township_c, now)
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


def test_project_from_cases_links_each_one_on_its_timeline(api, cast, cats, township_c):
    cases = _alike(cast, cats, township_c, timezone.now())
    r = api.as_user(cast.city_office).post("/api/v1/projects/", {"title": "农村公路整治", "case_ids": [c.pk for c in cases]},
                                           format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["title"] == "农村公路整治" and body["case_ids"] == sorted(c.pk for c in cases)
    project = Project.objects.get(pk=body["id"])
    for c in cases:
        c.refresh_from_db()
        assert c.project == project and c.status == Status.PENDING_DISPATCH  # status untouched: still needs its loop
        assert CaseEvent.objects.filter(case=c, action="link_project").count() == 1
    listed = api.as_user(cast.township_staff_b).get("/api/v1/projects/").json()
    assert [p["id"] for p in listed["results"]] == [project.pk]
    assert listed["results"][0]["case_ids"] == [cases[1].pk]  # only the case of their own township
    assert api.as_user(cast.township_staff_b).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    r = api.as_user(cast.city_office).patch(f"/api/v1/projects/{project.pk}/", {"progress": "已完成设计", "is_done": False},
                                            format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["progress"] == "已完成设计"
    assert api.as_user(cast.township_staff).patch(f"/api/v1/projects/{project.pk}/", {"progress": "x", "is_done": True},
                                                  format="json").status_code == 403  # fmt: skip


def test_project_bad_input_writes_nothing(api, cast, cats, township_c):
    cases = _alike(cast, cats, township_c, timezone.now())
    client = api.as_user(cast.city_office)
    for body in ({"title": "", "case_ids": [cases[0].pk]}, {"title": "x", "case_ids": []},
                 {"title": "x", "case_ids": ["a"]}, {"title": "x", "case_ids": [cases[0].pk, 987654]},
                 {"title": "x"}, {"title": "x" * 300, "case_ids": [cases[0].pk]}):  # fmt: skip
        r = client.post("/api/v1/projects/", body, format="json")
        assert r.status_code == 400, (body, r.content)
    closed = CaseFactory(cast=cast, category=cats["infra.road"], raised=timezone.now(), status=Status.CLOSED)
    r = client.post("/api/v1/projects/", {"title": "x", "case_ids": [cases[0].pk, closed.pk]}, format="json")
    assert r.status_code == 409 and r.json()["status"] == "closed"
    assert Project.objects.count() == 0 and not CaseEvent.objects.filter(action="link_project").exists()


def test_only_the_city_office_creates_projects(api, cast, cats, township_c):
    cases = _alike(cast, cats, township_c, timezone.now())
    for who in ("township_staff", "leader", "officer"):
        r = api.as_user(getattr(cast, who)).post("/api/v1/projects/", {"title": "x", "case_ids": [cases[0].pk]},
                                                 format="json")  # fmt: skip
        assert r.status_code == 403, who
    # Another township's case is unknown to a township desk: nothing to probe.
    assert api.as_user(cast.township_staff_b).get("/api/v1/projects/").json()["count"] == 0


def test_similar_cases_best_first_within_what_the_caller_sees(api, cast, cats, township_c):
    cases = _alike(cast, cats, township_c, timezone.now())
    road = cats["infra.road"]
    twin = CaseFactory(cast=cast, category=road, raised=timezone.now(), title="东溪村通村公路坑洼不平，雨天积水很严重")
    CaseFactory(cast=cast, category=road, raised=timezone.now(), title="新桥社区路灯不亮")
    CaseFactory(
        cast=cast, category=cats["infra.water"], raised=timezone.now(), title="东溪村通村公路坑洼不平，雨天积水严重"
    )
    r = api.as_user(cast.city_office).get(f"/api/v1/cases/{cases[0].pk}/similar/")
    assert r.status_code == 200
    results = r.json()["results"]
    assert results[0]["id"] == twin.pk and results[0]["score"] > 0.7
    assert [x["score"] for x in results] == sorted((x["score"] for x in results), reverse=True)
    assert cases[0].pk not in {x["id"] for x in results}
    assert "新桥社区路灯不亮" not in {x["title"] for x in results}
    # Township A's desk never sees township B's alike case; B's case is not A's to ask about.
    mine = api.as_user(cast.township_staff).get(f"/api/v1/cases/{cases[0].pk}/similar/").json()["results"]
    assert {x["id"] for x in mine} <= {twin.pk} and twin.pk in {x["id"] for x in mine}
    assert api.as_user(cast.township_staff).get(f"/api/v1/cases/{cases[1].pk}/similar/").status_code == 404
    assert api.as_user(cast.city_office).get(f"/api/v1/cases/{cases[0].pk}/similar/", {"limit": "x"}).status_code == 400
    assert api.as_user(cast.city_office).get("/api/v1/cases/999999/similar/").status_code == 404
