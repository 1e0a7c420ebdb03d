"""/api/v1/projects/ and /api/v1/cases/{id}/similar/ through the HTTP API."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.models import CaseEvent, Project
from core.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db


def alike_cases(cast, categories, township_c, now) -> list:
    """One road complaint worded three ways, in townships A, B and C (the hotspot tests use them too)."""
    road = categories["infra.road"]
    t3, _v3 = township_c
    return [
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=5),
                    title="东溪村通村公路坑洼不平，雨天积水严重", reporter_phone="13800000001"),
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=4), township=cast.township_b,
                    title="西山村村道路面坑洼，下雨积水出行难", reporter_phone="13800000002"),
        CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=3), township=t3,
                    title="南岭村公路路面破损坑洼积水", reporter_phone="13800000003"),
    ]  # fmt: skip


def test_project_from_cases_links_each_one_on_its_timeline(api, cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
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
    r = api.as_user(cast.city_office).patch(f"/api/v1/projects/{project.pk}/", {"progress": "已完成设计", "status": "under_way"},
                                            format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["progress"] == "已完成设计"
    assert api.as_user(cast.township_staff).patch(f"/api/v1/projects/{project.pk}/", {"progress": "x", "status": "done"},
                                                  format="json").status_code == 403  # fmt: skip


def test_project_bad_input_writes_nothing(api, cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
    client = api.as_user(cast.city_office)
    for body in ({"title": "", "case_ids": [cases[0].pk]}, {"title": "x", "case_ids": []},
                 {"title": "x", "case_ids": ["a"]}, {"title": "x", "case_ids": [cases[0].pk, 987654]},
                 {"title": "x"}, {"title": "x" * 300, "case_ids": [cases[0].pk]}):  # fmt: skip
        r = client.post("/api/v1/projects/", body, format="json")
        assert r.status_code == 400, (body, r.content)
    closed = CaseFactory(cast=cast, category=categories["infra.road"], raised=timezone.now(), status=Status.CLOSED)
    r = client.post("/api/v1/projects/", {"title": "x", "case_ids": [cases[0].pk, closed.pk]}, format="json")
    assert r.status_code == 409 and r.json()["status"] == "closed"
    assert Project.objects.count() == 0 and not CaseEvent.objects.filter(action="link_project").exists()


def test_only_the_city_office_creates_projects(api, cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
    for who in ("township_staff", "leader", "officer"):
        r = api.as_user(getattr(cast, who)).post("/api/v1/projects/", {"title": "x", "case_ids": [cases[0].pk]},
                                                 format="json")  # fmt: skip
        assert r.status_code == 403, who
    # Another township's case is unknown to a township desk: nothing to probe.
    assert api.as_user(cast.township_staff_b).get("/api/v1/projects/").json()["count"] == 0


def test_similar_cases_best_first_within_what_the_caller_sees(api, cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
    road = categories["infra.road"]
    twin = CaseFactory(cast=cast, category=road, raised=timezone.now(), title="东溪村通村公路坑洼不平，雨天积水很严重")
    CaseFactory(cast=cast, category=road, raised=timezone.now(), title="新桥社区路灯不亮")
    CaseFactory(
        cast=cast,
        category=categories["infra.water"],
        raised=timezone.now(),
        title="东溪村通村公路坑洼不平，雨天积水严重",
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
