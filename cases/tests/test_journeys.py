"""The whole journeys of LIFECYCLE.md through the HTTP API, each person with their own token."""

import pytest

from accounts.roles import Role
from cases.models import Callback, Dispatch, Extension, Feedback
from core.testing.factories import RaisedCaseFactory, UserFactory
from core.testing.lifecycle import walk

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def act(api):
    def act(user, case_id, action, body=None, expect=200):
        r = api.as_user(user).post(f"/api/v1/cases/{case_id}/{action}/", body or {}, format="json")
        assert r.status_code == expect, (action, r.content)
        return r.json()

    return act


def timeline(api, user, case_id):
    body = api.as_user(user).get(f"/api/v1/cases/{case_id}/events/", {"page_size": 200}).json()
    return [(e["action"], e["to_status"]) for e in body["results"]]


def test_on_site_loop_closes_at_the_callback(api, act, cast):
    case = RaisedCaseFactory(cast=cast, solved_on_site=True, resolution="当场联系施工队修补", feedback="已当面告知")
    assert case.level == "onsite" and case.status == "pending_callback"
    body = act(cast.township_staff, case.pk, "callback", {"reached": True, "solved": True, "satisfaction": "satisfied"})
    assert body["status"] == "closed" and body["closed_at"]
    assert timeline(api, cast.officer, case.pk) == [("raise", "pending_callback"), ("callback", "closed")]


def test_township_loop_from_a_phone_call_to_the_close(api, act, cast, road):
    r = api.as_user(cast.township_staff).post(
        "/api/v1/cases/",
        {"title": "路灯不亮", "description": "东溪村口路灯坏了一周", "category": "infra.road", "urgency": "normal",
         "source": "phone", "station": cast.village.pk, "reporter_name": "王五", "reporter_phone": "13900001111"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    assert (r.json()["level"], r.json()["status"], r.json()["township"]["id"]) == ("township", "pending_dispatch",
                                                                                  cast.township.pk)  # fmt: skip
    act(cast.township_staff, case_id, "dispatch", {"unit": cast.office.pk})
    act(cast.office_handler, case_id, "sign")
    act(cast.office_handler, case_id, "reply", {"result": "已更换灯泡", "outcome": "solved"})
    act(cast.township_staff, case_id, "review", {"approve": True})
    # The desk raised it, so the desk tells the resident.
    act(
        cast.township_staff, case_id, "feedback", {"channel": "phone", "content": "已修好", "resident_response": "谢谢"}
    )
    body = act(cast.township_staff, case_id, "callback", {"reached": True, "solved": True,
                                                          "satisfaction": "satisfied"})  # fmt: skip
    assert body["status"] == "closed" and body["outcome"] == "solved"
    dispatch = Dispatch.objects.get(case_id=case_id)
    assert dispatch.signed_at and dispatch.replied_at and dispatch.approved_at and not dispatch.returned_at
    assert [a for a, _ in timeline(api, cast.township_staff, case_id)] == [
        "raise", "dispatch", "sign", "reply", "review_approve", "feedback", "callback"
    ]  # fmt: skip


def test_city_loop_with_a_return_and_a_re_dispatch(api, act, cast):
    case = RaisedCaseFactory(cast=cast)
    act(cast.township_staff, case.pk, "escalate", {"reason": "涉及市级道路，镇里无法处理"})
    act(cast.city_office, case.pk, "dispatch", {"unit": cast.department_2.pk})
    water = UserFactory(
        username="water_handler", roles=[Role.UNIT_HANDLER], org_unit=cast.department_2, name="水利局经办人"
    )
    # A handler of another unit cannot even see it.
    act(cast.dept_handler, case.pk, "sign", expect=404)
    body = act(water, case.pk, "return", {"reason": "道路问题不属于水利局职责"})
    assert (body["status"], body["level"], body["unit"]) == ("pending_dispatch", "city", None)
    # The returning unit still sees the case it once held, but may no longer act on it.
    act(water, case.pk, "sign", expect=409)
    act(cast.city_office, case.pk, "dispatch", {"unit": cast.department.pk, "note": "请交通运输局牵头"})
    act(cast.dept_handler, case.pk, "sign")
    act(cast.dept_handler, case.pk, "reply", {"result": "已列入修缮计划并完成", "outcome": "solved"})
    act(cast.city_office, case.pk, "review", {"approve": True})
    act(cast.officer, case.pk, "feedback", {"channel": "visit", "content": "上门告知已修好"})
    body = act(cast.city_office, case.pk, "callback", {"reached": True, "solved": True,
                                                       "satisfaction": "basically_satisfied"})  # fmt: skip
    assert body["status"] == "closed"
    dispatches = list(Dispatch.objects.filter(case=case).order_by("id"))
    assert [(d.level, d.returned_at is not None, d.approved_at is not None) for d in dispatches] == [
        ("city", True, False), ("city", False, True)
    ]  # fmt: skip
    assert [a for a, _ in timeline(api, cast.city_office, case.pk)] == [
        "raise", "escalate", "dispatch", "return", "dispatch", "sign", "reply", "review_approve", "feedback",
        "callback",
    ]  # fmt: skip


def test_extensions_approved_denied_and_capped(api, act, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    first_due = case.handle_due
    act(cast.office_handler, case.pk, "extension", {"days": 5, "reason": "需等待材料"})
    act(cast.office_handler, case.pk, "extension", {"days": 1, "reason": "再申请"}, expect=409)
    body = act(cast.township_staff, case.pk, "extension-decision", {"approve": True, "note": "同意"})
    assert body["handle_due"] > first_due.isoformat() and body["due_at"] == body["handle_due"]
    act(cast.office_handler, case.pk, "extension", {"days": 3, "reason": "施工队延误"})
    body = act(cast.city_office, case.pk, "extension-decision", {"approve": False, "note": "请按期完成"})
    detail = api.as_user(cast.office_handler).get(f"/api/v1/cases/{case.pk}/").json()
    assert [e["decision"] for e in detail["extensions"]] == ["approved", "denied"]
    act(cast.office_handler, case.pk, "extension", {"days": 16, "reason": "太多"}, expect=400)
    act(cast.office_handler, case.pk, "extension", {"days": 15, "reason": "最后一次"})
    act(cast.township_staff, case.pk, "extension-decision", {"approve": True})
    # Two approved at the township level: a third is refused.
    act(cast.office_handler, case.pk, "extension", {"days": 1, "reason": "第三次"}, expect=409)
    assert Dispatch.objects.get(case=case).extension_days == 20
    assert Extension.objects.filter(case=case, decision="approved").count() == 2


def test_rejected_reply_goes_back_to_the_unit(api, act, cast):
    case = RaisedCaseFactory(cast=cast, stage="replied")
    act(cast.township_staff, case.pk, "review", {"approve": False}, expect=400)
    body = act(cast.township_staff, case.pk, "review", {"approve": False, "reason": "缺少整改前后照片"})
    assert body["status"] == "in_progress"
    act(cast.office_handler, case.pk, "reply", {"result": "补充了照片", "outcome": "solved"})
    act(cast.township_staff, case.pk, "review", {"approve": True})
    events = api.as_user(cast.township_staff).get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    reject = next(e for e in events if e["action"] == "review_reject")
    assert reject["note"] == "缺少整改前后照片" and reject["actor"]["id"] == cast.township_staff.pk


def test_unsatisfied_callback_and_redo(api, act, cast):
    case = RaisedCaseFactory(cast=cast, stage="fed_back")
    act(cast.township_staff, case.pk, "callback", {"reached": True, "solved": False, "satisfaction": "unsatisfied",
                                                   "note": "路面又坏了"})  # fmt: skip
    body = act(cast.township_staff, case.pk, "redo", {"reason": "居民反映未解决"})
    assert (body["status"], body["level"], body["closed_at"]) == ("pending_dispatch", "township", None)
    walk(case, "fed_back", cast)
    body = act(cast.township_staff, case.pk, "callback", {"reached": True, "solved": True, "satisfaction": "satisfied"})
    assert body["status"] == "closed"
    assert Feedback.objects.filter(case=case).count() == 2
    # A satisfied close cannot be redone.
    act(cast.township_staff, case.pk, "redo", {"reason": "再办"}, expect=409)


def test_unreachable_resident_closes_after_three_attempts(api, act, cast):
    case = RaisedCaseFactory(cast=cast, stage="fed_back")
    unreached = {"reached": False, "note": "电话无人接听"}
    act(cast.township_staff, case.pk, "callback", {**unreached, "close": True}, expect=409)
    for _ in range(3):
        assert act(cast.township_staff, case.pk, "callback", unreached)["status"] == "pending_callback"
    body = act(cast.township_staff, case.pk, "callback", {**unreached, "close": True})
    assert body["status"] == "closed"
    closing = Callback.objects.get(case=case, closes=True)
    assert (closing.reached, closing.solved, closing.satisfaction) == (False, None, "")
