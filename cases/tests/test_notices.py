"""Who hears about each case event (cases/notices.py)."""

import pytest

from cases.models import Case, CaseEvent
from cases.notices import notify_event
from cases.services import case_raise
from core.testing.factories import CaseEventFactory, CategoryFactory, VillageCaseFactory
from notifications.models import Delivery, Notification
from notifications.tests.support import received

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def event(case: Case, action: str, *, actor=None, to_status: str = "", note: str = "", data=None) -> CaseEvent:
    """A timeline event as a case service leaves it, with its notices."""
    row = CaseEventFactory(case=case, action=action, actor=actor, to_status=to_status or case.status, note=note,
                           data=data or {})  # fmt: skip
    notify_event(row, case)
    return row


def test_a_raised_case_reaches_the_township_desk_after_commit(cast, django_capture_on_commit_callbacks):
    cast.township_staff.email = "li@example.cn"
    cast.township_staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_raise(
            by=cast.officer, title="路灯不亮", description="", category=CategoryFactory(code="x", name="路灯"),
            urgency="normal", township=cast.township, station=cast.village,
        )  # fmt: skip
    notice = Notification.objects.get(case=case)
    assert (notice.recipient, notice.kind) == (cast.township_staff, "case.raise")
    assert notice.title == f"新事项 {case.code} 待派单" and notice.body == "路灯不亮"
    assert notice.deliveries.get().channel == "email"


def test_a_case_solved_on_the_spot_asks_the_desk_to_call_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_raise(
            by=cast.officer, title="路灯不亮", description="", category=CategoryFactory(code="x", name="路灯"),
            urgency="normal", township=cast.township, station=cast.village, solved_on_site=True,
            resolution="当场更换灯泡", feedback="已告知",
        )  # fmt: skip
    notice = Notification.objects.get(case=case)
    assert (notice.recipient, notice.title) == (cast.township_staff, f"事项 {case.code} 已现场解决，请回访群众")


def test_each_action_reaches_its_people(cast):
    case = VillageCaseFactory(cast=cast, status="pending_sign", due="2026-11-10 10:00", unit=cast.department)
    case.assisting_units.add(cast.office)
    event(case, "dispatch", actor=cast.township_staff)
    assert received("case.dispatch") == [("dept_handler", "case.dispatch"), ("office_handler", "case.dispatch")]
    event(case, "return", actor=cast.dept_handler, note="不属于本单位职责")
    assert received("case.return") == [("township_staff", "case.return")]
    assert "不属于本单位职责" in Notification.objects.get(kind="case.return").body
    event(case, "reply", actor=cast.dept_handler)
    assert received("case.reply") == [("township_staff", "case.reply")]
    event(case, "review_approve", actor=cast.township_staff)
    assert received("case.review_approve") == [("officer", "case.review_approve")]
    event(case, "review_reject", actor=cast.township_staff)
    assert received("case.review_reject") == [("dept_handler", "case.review_reject")]
    event(case, "supervise", actor=cast.city_office)
    assert received("case.supervise") == [("dept_handler", "case.supervise"), ("township_staff", "case.supervise")]
    event(case, "callback", actor=cast.township_staff, to_status="closed")
    assert received("case.callback") == [("officer", "case.callback")]
    event(case, "callback_attempt", actor=cast.township_staff)
    assert received("case.callback_attempt") == []


def test_city_level_cases_go_to_the_city_office_and_cases_without_officer_to_the_desk(cast):
    case = VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-11-10 10:00", level="city", officer=None)
    event(case, "escalate", actor=cast.township_staff)
    assert received("case.escalate") == [("city_office", "case.escalate")]
    event(case, "review_approve", actor=cast.dept_handler)
    assert received("case.review_approve") == [("city_office", "case.review_approve")]


def test_the_actor_is_not_told_about_their_own_action(cast):
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.department)
    event(case, "extension_request", actor=cast.township_staff)
    assert received() == []


def test_telling_twice_sends_once(cast):
    case = VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-11-10 10:00")
    cast.township_staff.email = "li@example.cn"
    cast.township_staff.save()
    row = event(case, "return", actor=cast.dept_handler, note="退回")
    notify_event(row, case)
    assert received() == [("township_staff", "case.return")]
    assert Delivery.objects.count() == 1


def test_an_extension_decision_says_approved_or_denied_and_the_days(cast):
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.department)
    event(case, "extension_decision", actor=cast.township_staff, note="同意",
          data={"approve": True, "days": 3, "handle_due": "2026-12-01T10:00:00+08:00"})  # fmt: skip
    event(case, "extension_decision", actor=cast.township_staff, note="材料不足",
          data={"approve": False, "days": 3})  # fmt: skip
    approved, denied = Notification.objects.filter(kind="case.extension_decision").order_by("id")
    assert approved.title == f"事项 {case.code} 延期申请已批准：延长 3 个工作日"
    assert "2026-12-01 10:00" in approved.body
    assert denied.title == f"事项 {case.code} 延期申请未获批准" and "材料不足" in denied.body


def test_an_approved_reply_asks_for_feedback_without_calling_the_case_closed(cast):
    case = VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-11-10 10:00", unit=cast.department)
    event(case, "review_approve", actor=cast.township_staff)
    notice = Notification.objects.get(kind="case.review_approve")
    assert notice.recipient == cast.officer
    assert "办结" not in notice.title and "反馈" in notice.title
