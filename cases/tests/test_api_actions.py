"""Every action route of API.md: the answer when allowed, and each refusal (409, 403, 404, 400)."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import CaseEvent
from core.testing.factories import RaisedCaseFactory

pytestmark = pytest.mark.django_db


def _in_a_month() -> str:
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


# action, stage it runs from, who may, body, a stage where it may not run, a role that may not
ACTIONS = [
    ("dispatch", "raised", "township_staff", lambda c: {"unit": c.office.pk, "assisting_units": [c.department.pk],
                                                        "note": "请尽快处理"}, "dispatched", "officer"),
    ("escalate", "raised", "township_staff", lambda c: {"reason": "需市级协调"}, "dispatched", "officer"),
    ("sign", "dispatched", "office_handler", lambda c: {}, "signed", "township_staff"),
    ("return", "dispatched", "office_handler", lambda c: {"reason": "非本单位职责"}, "replied", "township_staff"),
    ("extension", "signed", "office_handler", lambda c: {"days": 2, "reason": "材料未到"}, "dispatched",
     "township_staff"),
    ("extension-decision", "extension_pending", "township_staff", lambda c: {"approve": True, "note": "同意"},
     "signed", "office_handler"),
    ("reply", "signed", "office_handler", lambda c: {"result": "已修补", "outcome": "solved"}, "dispatched",
     "township_staff"),
    ("review", "replied", "township_staff", lambda c: {"approve": True}, "signed", "office_handler"),
    ("feedback", "approved", "officer", lambda c: {"channel": "phone", "content": "已告知", "resident_response": "好"},
     "replied", "office_handler"),
    ("callback", "fed_back", "township_staff", lambda c: {"reached": True, "solved": True,
                                                          "satisfaction": "satisfied", "note": "满意"},
     "approved", "officer"),
    ("redo", "closed_unhappy", "township_staff", lambda c: {"reason": "仍未解决"}, "fed_back", "officer"),
    ("supervise", "signed", "city_office", lambda c: {"note": "加快办理"}, "closed", "township_staff"),
    ("hold", "raised", "township_staff", lambda c: {"reason": "纳入明年计划", "review_on": _in_a_month()}, "replied",
     "officer"),
    ("hold-decision", "hold_pending", "city_office", lambda c: {"approve": True}, "closed", "township_staff"),
    ("release", "held", "township_staff", lambda c: {}, "closed", "office_handler"),
    ("unreasonable", "signed", "township_staff", lambda c: {"reason": "要求承担私人装修费用"}, "closed", "officer"),
    ("unreasonable-decision", "unreasonable_pending", "city_office", lambda c: {"approve": True}, "signed",
     "township_staff"),
]  # fmt: skip
EXPECTED_STATUS = {
    "dispatch": "pending_sign", "escalate": "pending_dispatch", "sign": "in_progress", "return": "pending_dispatch",
    "extension": "in_progress", "extension-decision": "in_progress", "reply": "pending_review",
    "review": "pending_feedback", "feedback": "pending_callback", "callback": "closed", "redo": "pending_dispatch",
    "supervise": "in_progress", "hold": "pending_dispatch", "hold-decision": "in_progress", "release": "in_progress",
    "unreasonable": "in_progress", "unreasonable-decision": "in_progress",
}  # fmt: skip
IDS = [a[0] for a in ACTIONS]


def url(case, action):
    return f"/api/v1/cases/{case.pk}/{action}/"


@pytest.mark.parametrize(("action", "start", "role", "body", "wrong_stage", "wrong_role"), ACTIONS, ids=IDS)
def test_allowed_action_answers_200_with_the_case(api, cast, action, start, role, body, wrong_stage,
                                                  wrong_role):  # fmt: skip
    case = RaisedCaseFactory(cast=cast, stage=start)
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(getattr(cast, role)).post(url(case, action), body(cast), format="json")
    assert r.status_code == 200, r.content
    assert r.json()["id"] == case.pk and r.json()["status"] == EXPECTED_STATUS[action]
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    assert AuditEvent.objects.filter(action=f"case_{action.replace('-', '_')}", outcome="ok").count() == 1


@pytest.mark.parametrize(("action", "start", "role", "body", "wrong_stage", "wrong_role"), ACTIONS, ids=IDS)
def test_wrong_status_is_409_with_the_current_status(api, cast, action, start, role, body, wrong_stage,
                                                     wrong_role):  # fmt: skip
    case = RaisedCaseFactory(cast=cast, stage=wrong_stage)
    case.refresh_from_db()
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(getattr(cast, role)).post(url(case, action), body(cast), format="json")
    assert r.status_code == 409, r.content
    assert set(r.json()) == {"detail", "status"} and r.json()["status"] == case.status
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize(("action", "start", "role", "body", "wrong_stage", "wrong_role"), ACTIONS, ids=IDS)
def test_wrong_role_is_403(api, cast, action, start, role, body, wrong_stage, wrong_role):
    case = RaisedCaseFactory(cast=cast, stage=start)
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(getattr(cast, wrong_role)).post(url(case, action), body(cast), format="json")
    assert r.status_code == 403, r.content
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize("outsider", ["township_staff_b", "officer_b"])
@pytest.mark.parametrize(("action", "start", "role", "body", "wrong_stage", "wrong_role"), ACTIONS, ids=IDS)
def test_outside_scope_is_404(api, cast, outsider, action, start, role, body, wrong_stage, wrong_role):
    case = RaisedCaseFactory(cast=cast, stage=start)
    r = api.as_user(getattr(cast, outsider)).post(url(case, action), body(cast), format="json")
    assert r.status_code == 404, r.content


@pytest.mark.parametrize(
    ("action", "start", "role", "body", "field"),
    [
        ("escalate", "raised", "township_staff", {"reason": " "}, "reason"),
        ("return", "dispatched", "office_handler", {}, "reason"),
        ("review", "replied", "township_staff", {"approve": False, "reason": ""}, "reason"),
        ("redo", "closed_unhappy", "township_staff", {"reason": ""}, "reason"),
        ("extension", "signed", "office_handler", {"days": 2}, "reason"),
        ("reply", "signed", "office_handler", {"result": "", "outcome": "solved"}, "result"),
        ("feedback", "approved", "officer", {"channel": "phone", "content": ""}, "content"),
    ],
)
def test_missing_reason_is_400_on_the_field(api, cast, action, start, role, body, field):
    case = RaisedCaseFactory(cast=cast, stage=start)
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(getattr(cast, role)).post(url(case, action), body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert CaseEvent.objects.filter(case=case).count() == before


@pytest.mark.parametrize(
    ("action", "start", "role", "body", "field"),
    [
        ("dispatch", "raised", "township_staff", {"unit": 999999}, "unit"),
        ("dispatch", "raised", "township_staff", {"unit": "x"}, "unit"),
        ("extension", "signed", "office_handler", {"days": 0, "reason": "x"}, "days"),
        ("extension", "signed", "office_handler", {"days": "many", "reason": "x"}, "days"),
        ("reply", "signed", "office_handler", {"result": "好", "outcome": "maybe"}, "outcome"),
        ("review", "replied", "township_staff", {}, "approve"),
        ("feedback", "approved", "officer", {"channel": "pigeon", "content": "x"}, "channel"),
        ("callback", "fed_back", "township_staff", {"reached": True}, "solved"),
        ("callback", "fed_back", "township_staff", {"reached": "perhaps"}, "reached"),
    ],
)
def test_bad_bodies_are_400_never_500(api, cast, action, start, role, body, field):
    case = RaisedCaseFactory(cast=cast, stage=start)
    r = api.as_user(getattr(cast, role)).post(url(case, action), body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()


def test_dispatch_to_a_unit_of_another_township_is_400(api, cast):
    case = RaisedCaseFactory(cast=cast)
    r = api.as_user(cast.township_staff).post(url(case, "dispatch"), {"unit": cast.office_b.pk}, format="json")
    assert r.status_code == 400 and "unit" in r.json()


def test_actions_need_credentials(api, cast):
    case = RaisedCaseFactory(cast=cast)
    assert api.post(url(case, "dispatch"), {"unit": cast.office.pk}, format="json").status_code == 401


def test_the_leader_reads_but_may_not_act(api, cast):
    case = RaisedCaseFactory(cast=cast)
    client = api.as_user(cast.leader)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert client.post(url(case, "dispatch"), {"unit": cast.office.pk}, format="json").status_code == 403
