"""cases.lifecycle_table says what the services do, so code that writes timelines without them
(demo.bulk) can take the lifecycle from it."""

import datetime

import pytest

from cases import deadlines, services
from cases.choices import APPEAL_EVENTS, ORDER_EVENTS, Action, Clock, Status
from cases.lifecycle_table import DEADLINE_FIXED_BY, STATUS_AFTER
from cases.models import CaseEvent
from cases.transitions import ALLOWED_FROM
from core.testing.factories import RaisedCaseFactory

pytestmark = pytest.mark.django_db


def test_every_action_has_a_landing_and_every_landing_is_a_status():
    assert set(STATUS_AFTER) == set(Action.values)
    assert {s for s in STATUS_AFTER.values() if s is not None} <= set(Status.values)
    assert set(DEADLINE_FIXED_BY) <= set(Clock.values) and set(DEADLINE_FIXED_BY.values()) <= set(ALLOWED_FROM)


def test_the_services_leave_each_case_where_the_table_says(cast, clock):
    def later():
        clock.shift(datetime.timedelta(hours=1))

    happy = RaisedCaseFactory(cast=cast, stage="closed_unhappy")  # raise … callback, through the services
    later()
    services.case_redo(case_id=happy.pk, by=cast.township_staff, reason="仍未修好")
    late = RaisedCaseFactory(cast=cast, stage="extension_pending")
    later()
    services.case_extension_decide(case_id=late.pk, by=cast.township_staff, approve=True)
    services.case_reply(case_id=late.pk, by=cast.office_handler, result="已修补", outcome="solved")
    later()
    services.case_review(case_id=late.pk, by=cast.township_staff, approve=False, reason="照片不清")
    services.case_return(case_id=late.pk, by=cast.office_handler, reason="不属本单位")
    city = RaisedCaseFactory(cast=cast, stage="city_dispatched")  # escalated first
    services.case_supervise(case_id=city.pk, by=cast.city_office)
    told = RaisedCaseFactory(cast=cast, stage="fed_back")
    services.case_callback(case_id=told.pk, by=cast.township_staff, reached=False, note="无人接听")
    services.case_instruction(case_id=told.pk, by=cast.township_leader, content="请跟进回访")
    written = told.instructions.get()
    services.case_instruction_report(case_id=told.pk, by=cast.township_staff, instruction=written.pk, content="已回访")
    held = RaisedCaseFactory(cast=cast, stage="held")  # asked and approved
    later()
    services.case_release(case_id=held.pk, by=cast.township_staff)
    claimed = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")  # marked unreasonable by the desk
    later()
    services.case_unreasonable_decide(case_id=claimed.pk, by=cast.city_office, approve=True)
    spam = RaisedCaseFactory(cast=cast)  # 无效: closed at once
    services.case_mark_invalid(case_id=spam.pk, by=cast.township_staff, kind="spam", reason="广告")

    events = list(CaseEvent.objects.order_by("id"))
    assert {e.action for e in events} == set(Action.values) - {
        Action.LINK_PROJECT,
        Action.PROJECT_UPDATE_DRAFTED,
        Action.OVERDUE,
        Action.HANDOVER,
        *ORDER_EVENTS,
        *APPEAL_EVENTS,
    }
    for e in events:
        after = STATUS_AFTER[e.action]
        assert e.to_status == (e.from_status if after is None else after), (e.action, e.from_status)


def test_a_case_solved_on_the_spot_is_raised_fed_back_and_called_back_at_once(cast):
    fields = {"solved_on_site": True, "resolution": "当场联系修补", "feedback": "已告知"}
    waiting = RaisedCaseFactory(cast=cast, **fields)
    answered = RaisedCaseFactory(cast=cast, satisfaction="satisfied", **fields)
    assert waiting.status == STATUS_AFTER[Action.FEEDBACK]
    assert answered.status == STATUS_AFTER[Action.CALLBACK]


def test_the_handle_deadline_is_fixed_at_dispatch_and_kept_at_sign_for(cast, clock):
    assert DEADLINE_FIXED_BY == {Clock.HANDLE: Action.DISPATCH}
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    dispatched_at = CaseEvent.objects.get(case=case, action=Action.DISPATCH).created_at
    fixed = deadlines.due(dispatched_at, level=case.level, urgency=case.urgency, clock=Clock.HANDLE)
    assert case.handle_due == fixed
    clock.shift(datetime.timedelta(hours=3))
    signed = services.case_sign(case_id=case.pk, by=cast.office_handler)
    assert (signed.clock, signed.due_at, signed.handle_due) == (Clock.HANDLE, fixed, fixed)
