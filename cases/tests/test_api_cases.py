"""/api/v1/cases/: list with filters and ordering, detail with masking and audit, raising from another channel."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case
from core.testing.factories import RaisedCaseFactory, RoutingRuleFactory
from core.testing.lifecycle import step

pytestmark = pytest.mark.django_db

FIELDS = {
    "id", "code", "title", "description", "category", "difficulty", "urgency", "source", "level", "status",
    "township", "station", "unit", "officer", "reporter_name", "reporter_phone", "sign_due", "handle_due",
    "feedback_due", "callback_due", "overdue", "supervised", "project", "created_at", "closed_at", "suggested_unit",
}  # fmt: skip


def test_list_and_detail_carry_the_fields_of_api_md(api, cast):
    case = RaisedCaseFactory(cast=cast)
    client = api.as_user(cast.township_staff)
    row = client.get("/api/v1/cases/").json()["results"][0]
    assert set(row) >= FIELDS and row["id"] == case.pk
    detail = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert set(detail) >= FIELDS and detail["remaining"]
    assert detail["actions"] == ["dispatch", "escalate", "hold", "unreasonable", "invalid"]


def test_list_is_scoped(api, cast):
    case = RaisedCaseFactory(cast=cast)
    assert api.as_user(cast.township_staff_b).get("/api/v1/cases/").json()["count"] == 0
    assert api.as_user(cast.officer_b).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api.as_user(cast.township_staff_b).get(f"/api/v1/cases/{case.pk}/events/").status_code == 404
    # A unit sees a case only once it was dispatched to it.
    assert api.as_user(cast.office_handler).get("/api/v1/cases/").json()["count"] == 0
    step(case, "dispatched", cast)
    assert api.as_user(cast.office_handler).get("/api/v1/cases/").json()["count"] == 1


def test_phone_is_masked_in_lists_and_for_roles_that_do_not_need_it(api, cast):
    case = RaisedCaseFactory(cast=cast)
    row = api.as_user(cast.township_staff).get("/api/v1/cases/").json()["results"][0]
    assert row["reporter_phone"] == "138****5678"
    leader = api.as_user(cast.leader).get(f"/api/v1/cases/{case.pk}/").json()
    assert (leader["reporter_phone"], leader["reporter_address"], leader["reporter_name"]) == ("138****5678", "", "张*")
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()


@pytest.mark.parametrize("who", ["township_staff", "city_office", "officer"])
def test_roles_that_need_the_contact_see_it_and_each_view_is_logged(api, cast, who):
    case = RaisedCaseFactory(cast=cast)
    user = getattr(cast, who)
    body = api.as_user(user).get(f"/api/v1/cases/{case.pk}/").json()
    assert (body["reporter_phone"], body["reporter_address"]) == ("13812345678", "东溪村 3 组 12 号")
    api.as_user(user).get(f"/api/v1/cases/{case.pk}/")
    views = AuditEvent.objects.filter(action="view_personal_data", user=user, object_id=str(case.pk))
    assert views.count() == 2
    assert all("13812345678" not in str(v.detail) for v in views)


def test_the_unit_sees_the_contact_only_while_it_holds_the_case(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    assert api.as_user(cast.office_handler).get(f"/api/v1/cases/{case.pk}/").json()["reporter_phone"] == "13812345678"
    services.case_return(case_id=case.pk, by=cast.office_handler, reason="非本单位")
    assert api.as_user(cast.office_handler).get(f"/api/v1/cases/{case.pk}/").json()["reporter_phone"] == "138****5678"


def test_filters(api, cast, categories):
    a = RaisedCaseFactory(cast=cast)
    # A minute later, the same local day at any of the suite's clocks (the latest is 23:30).
    b = RaisedCaseFactory(cast=cast, title="企业融资难", category=categories["enterprise.finance"], urgency="urgent",
                          now=timezone.now() + datetime.timedelta(minutes=1))  # fmt: skip
    today = timezone.localdate(a.created_at)
    step(a, "dispatched", cast)
    # b waits for dispatch past its dispatch deadline: overdue now, whatever the sweep has flagged yet.
    late = timezone.now() - datetime.timedelta(minutes=1)
    Case.objects.filter(pk=b.pk).update(dispatch_due=late, due_at=late, supervised=True)
    client = api.as_user(cast.township_staff)

    def ids(**params):
        r = client.get("/api/v1/cases/", params)
        assert r.status_code == 200, r.content
        return [row["id"] for row in r.json()["results"]]

    assert ids(status="pending_sign") == [a.pk]
    assert ids(level="township", urgency="urgent") == [b.pk]
    assert ids(category="enterprise") == [b.pk]  # a parent category finds its children's cases
    assert ids(category="infra.road") == [a.pk]
    # A figure's link asks for a category's own cases only (dashboards.tables.figure_links).
    assert ids(category_exact="enterprise") == [] and ids(category_exact="enterprise.finance") == [b.pk]
    assert ids(invalid="false") == [b.pk, a.pk] and ids(invalid="true") == []
    assert ids(unit=cast.office.pk) == [a.pk]
    assert ids(township=cast.township.pk) == [b.pk, a.pk]
    assert ids(overdue="true") == [b.pk] and ids(supervised="false") == [a.pk]
    assert ids(q="融资") == [b.pk] and ids(q=a.code) == [a.pk]
    assert ids(date_from=today.isoformat(), date_to=today.isoformat()) == [b.pk, a.pk]
    assert ids(date_from=(today + datetime.timedelta(days=1)).isoformat()) == []
    assert ids(ordering="created_at") == [a.pk, b.pk]
    assert ids(ordering="-created_at") == [b.pk, a.pk]
    assert ids(ordering="handle_due")[0] == a.pk  # b has no handle deadline yet: nulls sort last


@pytest.mark.parametrize(
    "params",
    [{"status": "lost"}, {"category": "nope"}, {"township": "x"}, {"date_from": "yesterday"},
     {"unit": 999999}, {"ordering": "title"}, {"category_exact": "nope"}, {"invalid": "maybe"}],
)  # fmt: skip
def test_bad_filters_are_400(api, cast, params):
    RaisedCaseFactory(cast=cast)
    assert api.as_user(cast.township_staff).get("/api/v1/cases/", params).status_code == 400


def test_township_filter_only_offers_visible_townships(api, cast):
    RaisedCaseFactory(cast=cast)
    r = api.as_user(cast.township_staff_b).get("/api/v1/cases/", {"township": cast.township.pk})
    assert r.status_code == 400


def test_list_queries_do_not_grow_with_the_page(api, cast, road, django_assert_max_num_queries):
    RoutingRuleFactory(category=road, township=cast.township, unit=cast.office)
    for i in range(3):
        RaisedCaseFactory(cast=cast, title=f"问题{i}")
    client = api.as_user(cast.township_staff)
    with django_assert_max_num_queries(8):
        small = client.get("/api/v1/cases/", {"page_size": 3, "township": cast.township.pk}).json()
    for i in range(12):
        case = RaisedCaseFactory(cast=cast, title=f"更多问题{i}")
        if i % 2:
            step(case, "dispatched", cast)
    client = api.as_user(cast.township_staff)
    with django_assert_max_num_queries(8):
        big = client.get("/api/v1/cases/", {"page_size": 15, "township": cast.township.pk}).json()
    assert len(small["results"]) == 3 and len(big["results"]) == 15
    assert {r["suggested_unit"]["id"] for r in big["results"] if r["status"] == "pending_dispatch"} == {cast.office.pk}


def test_desk_raises_from_another_channel(api, cast, road):
    body = {"title": "市长直通车：菜场噪音", "category": "infra.road", "source": "mayor_hotline",
            "township": cast.township.pk, "reporter_phone": "13700001234"}  # fmt: skip
    r = api.as_user(cast.city_office).post("/api/v1/cases/", body, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["level"], r.json()["source"], r.json()["officer"]) == ("city", "mayor_hotline", None)
    assert r.json()["code"].startswith("SZ-")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "infra.road", "source": "phone"}, "title"),
        ({"title": "x", "category": "nope", "source": "phone"}, "category"),
        ({"title": "x", "category": "infra.road", "source": "diary"}, "source"),
        ({"title": "x", "category": "infra.road", "source": "phone", "reporter_phone": "12345"}, "reporter_phone"),
    ],
)
def test_raise_with_bad_input_is_400_and_writes_nothing(api, cast, road, body, field):
    r = api.as_user(cast.township_staff).post("/api/v1/cases/", body, format="json")
    assert r.status_code == 400 and field in r.json()
    assert not Case.objects.exists()


def test_township_staff_raise_only_in_their_township(api, cast, road):
    body = {"title": "x", "category": "infra.road", "source": "phone", "township": cast.township_b.pk}
    r = api.as_user(cast.township_staff).post("/api/v1/cases/", body, format="json")
    assert r.status_code == 400 and "township" in r.json()
    body["station"] = cast.village_b.pk
    body["township"] = cast.township.pk
    r = api.as_user(cast.township_staff).post("/api/v1/cases/", body, format="json")
    assert r.status_code == 400 and "station" in r.json()


@pytest.mark.parametrize("who", ["officer", "office_handler", "leader"])
def test_other_roles_may_not_raise_from_other_channels(api, cast, road, who):
    body = {"title": "x", "category": "infra.road", "source": "phone", "township": cast.township.pk}
    assert api.as_user(getattr(cast, who)).post("/api/v1/cases/", body, format="json").status_code == 403


def test_events_oldest_first_with_actor_and_note(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    services.case_return(case_id=case.pk, by=cast.office_handler, reason="不属于本单位")
    events = api.as_user(cast.township_staff).get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    assert [e["action"] for e in events] == ["raise", "dispatch", "return"]
    assert events[-1]["actor"] == {"id": cast.office_handler.pk, "name": "赵海燕"}
    assert events[-1]["unit"]["id"] == cast.office.pk and events[-1]["note"] == "不属于本单位"


def test_schema_lists_every_action_route(client, cast):
    client.force_login(cast.officer)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for action in ["dispatch", "escalate", "sign", "return", "extension", "extension-decision", "reply", "review",
                   "feedback", "callback", "redo", "supervise"]:  # fmt: skip
        assert f"/api/v1/cases/{{id}}/{action}/" in paths or f"/api/v1/cases/{{pk}}/{action}/" in paths, action
