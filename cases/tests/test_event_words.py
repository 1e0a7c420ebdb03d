"""Timeline events and notices say what was decided (LIFECYCLE.md), and a denial says why."""

import pytest

from core.testing.factories import RaisedCaseFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def events(api, user, case) -> list[tuple[str, str]]:
    r = api.as_user(user).get(f"/api/v1/cases/{case.pk}/events/")
    return [(e["action"], e["says"]) for e in r.json()["results"]]


def test_an_extension_request_and_its_approval_say_the_days_and_the_new_deadline(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    r = api.as_user(cast.office_handler).post(
        f"/api/v1/cases/{case.pk}/extension/", {"days": 3, "reason": "材料未到"}, format="json"
    )
    assert r.status_code == 200, r.content
    r = api.as_user(cast.township_staff).post(
        f"/api/v1/cases/{case.pk}/extension-decision/", {"approve": True, "note": "同意"}, format="json"
    )
    assert r.status_code == 200, r.content
    said = dict(events(api, cast.township_staff, case))
    assert said["extension_request"] == "申请延期 3 个工作日"
    assert said["extension_decision"].startswith("已批准：延长 3 个工作日，办理期限延至 ")
    notice = Notification.objects.get(kind="case.extension_decision", recipient=cast.office_handler)
    assert "已批准" in notice.title and "3 个工作日" in notice.title
    # The timeline page shows the same words.
    page = api.as_user(cast.township_staff)
    page.force_login(cast.township_staff)
    html = page.get(f"/cases/{case.pk}/").content.decode()
    assert "申请延期 3 个工作日" in html and "已批准：延长 3 个工作日" in html


def test_a_denial_needs_a_note_and_says_denied(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="extension_pending")
    desk = api.as_user(cast.township_staff)
    r = desk.post(f"/api/v1/cases/{case.pk}/extension-decision/", {"approve": False, "note": "  "}, format="json")
    assert r.status_code == 400 and "note" in r.json()
    assert not Notification.objects.filter(kind="case.extension_decision").exists()
    r = desk.post(f"/api/v1/cases/{case.pk}/extension-decision/", {"approve": False, "note": "材料不足"}, format="json")
    assert r.status_code == 200, r.content
    assert dict(events(api, cast.township_staff, case))["extension_decision"] == "未批准"
    notice = Notification.objects.get(kind="case.extension_decision", recipient=cast.office_handler)
    assert notice.title.endswith("延期申请未获批准") and "材料不足" in notice.body


def test_a_reply_says_its_outcome(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    api.as_user(cast.office_handler).post(
        f"/api/v1/cases/{case.pk}/reply/", {"result": "已修补", "outcome": "partly_solved"}, format="json"
    )
    assert dict(events(api, cast.township_staff, case))["reply"] == "办理结果：部分解决"
