"""One test per transition of LIFECYCLE.md, through the services, with the facts each leaves behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.choices import Level, Status
from cases.models import Callback, CaseEvent, Dispatch, Extension
from cases.transitions import TransitionNotAllowed
from core import workdays
from core.testing.factories import RaisedCaseFactory
from core.testing.lifecycle import step

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def events(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", "from_status", "to_status"))


def test_dispatch_hands_the_case_to_a_unit_with_both_deadlines(cast):
    case = RaisedCaseFactory(cast=cast)
    case = services.case_dispatch(
        case_id=case.pk, by=cast.township_staff, unit=cast.office, assisting_units=[cast.department], note="尽快处理"
    )
    assert (case.status, case.clock, case.unit) == (Status.PENDING_SIGN, "sign", cast.office)
    assert list(case.assisting_units.all()) == [cast.department]
    dispatch = Dispatch.objects.get(case=case)
    assert (dispatch.level, dispatch.unit, dispatch.dispatched_by) == (Level.TOWNSHIP, cast.office, cast.township_staff)
    assert dispatch.sign_due == case.sign_due == case.due_at and dispatch.handle_due == case.handle_due
    assert dispatch.sign_due < dispatch.handle_due
    assert events(case)[-1] == ("dispatch", "pending_dispatch", "pending_sign")


def test_dispatch_refuses_a_unit_of_another_township(cast):
    case = RaisedCaseFactory(cast=cast)
    with pytest.raises(ValidationError) as err:
        services.case_dispatch(case_id=case.pk, by=cast.township_staff, unit=cast.office_b)
    assert "unit" in err.value.message_dict
    assert not Dispatch.objects.exists()


def test_escalate_from_pending_dispatch_goes_to_the_city_desk(cast):
    case = RaisedCaseFactory(cast=cast, stage="escalated")
    assert (case.level, case.status, case.clock) == (Level.CITY, Status.PENDING_DISPATCH, "dispatch")
    assert events(case)[-1] == ("escalate", "pending_dispatch", "pending_dispatch")


def test_escalate_from_in_progress_ends_the_township_dispatch(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    case = services.case_escalate(case_id=case.pk, by=cast.township_staff, reason="涉及市级道路")
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.ended_at is not None and dispatch.returned_at is None
    assert (case.level, case.status, case.unit, case.handle_due) == (Level.CITY, Status.PENDING_DISPATCH, None, None)


def test_escalate_twice_is_refused(cast):
    case = RaisedCaseFactory(cast=cast, stage="escalated")
    with pytest.raises(TransitionNotAllowed):
        services.case_escalate(case_id=case.pk, by=cast.township_staff, reason="再次上报")


def test_sign_starts_the_handle_clock_set_at_dispatch(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    dispatch = Dispatch.objects.get(case=case)
    assert (case.status, case.clock, case.due_at) == (Status.IN_PROGRESS, "handle", dispatch.handle_due)
    assert dispatch.signed_at is not None


@pytest.mark.parametrize("stage", ["dispatched", "signed"])
def test_return_sends_the_case_back_to_the_same_desk(cast, stage):
    case = RaisedCaseFactory(cast=cast, stage=stage)
    case = services.case_return(case_id=case.pk, by=cast.office_handler, reason="不属于本单位职责")
    assert (case.status, case.level, case.unit, case.clock) == (
        Status.PENDING_DISPATCH,
        Level.TOWNSHIP,
        None,
        "dispatch",
    )
    assert Dispatch.objects.get(case=case).returned_at is not None
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.action, event.actor, event.note, event.unit) == (
        "return",
        cast.office_handler,
        "不属于本单位职责",
        cast.office,
    )


def test_return_needs_a_reason(cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    with pytest.raises(ValidationError) as err:
        services.case_return(case_id=case.pk, by=cast.office_handler, reason="  ")
    assert "reason" in err.value.message_dict


def test_extension_request_and_approval_move_the_handle_deadline(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    before = case.handle_due
    services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=3, reason="需采购材料")
    assert Extension.objects.get(case=case).decision == "pending"
    case = services.case_extension_decide(case_id=case.pk, by=cast.township_staff, approve=True, note="同意")
    dispatch = Dispatch.objects.get(case=case)
    assert case.handle_due == dispatch.handle_due == case.due_at > before
    assert dispatch.extension_days == 3
    assert Extension.objects.get(case=case).decision == "approved"


def test_extension_denied_leaves_the_deadline(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    before = case.handle_due
    services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=2, reason="人手不足")
    case = services.case_extension_decide(case_id=case.pk, by=cast.city_office, approve=False, note="请按期办结")
    assert case.handle_due == before and Dispatch.objects.get(case=case).extension_days == 0
    assert Extension.objects.get(case=case).decision == "denied"


def test_a_second_request_waits_for_the_first_decision(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=2, reason="人手不足")
    with pytest.raises(TransitionNotAllowed):
        services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=2, reason="再申请")


def test_extension_caps_two_per_level_and_twenty_days(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    with pytest.raises(ValidationError):
        services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=21, reason="太久")
    for days in (10, 5):
        services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=days, reason="材料未到")
        services.case_extension_decide(case_id=case.pk, by=cast.township_staff, approve=True)
    with pytest.raises(TransitionNotAllowed):
        services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=1, reason="第三次")
    # At the city level the count starts again, but the 20 days are for the whole case.
    case = services.case_escalate(case_id=case.pk, by=cast.township_staff, reason="需市级协调")
    case = step(case, "city_dispatched", cast)
    services.case_sign(case_id=case.pk, by=cast.dept_handler)
    with pytest.raises(ValidationError) as err:
        services.case_extension_request(case_id=case.pk, by=cast.dept_handler, days=6, reason="仍需时间")
    assert "5" in err.value.message_dict["days"][0]
    services.case_extension_request(case_id=case.pk, by=cast.dept_handler, days=5, reason="仍需时间")
    services.case_extension_decide(case_id=case.pk, by=cast.city_office, approve=True)
    assert Dispatch.objects.filter(case=case).order_by("id").last().extension_days == 5


def test_decision_without_a_request_is_a_conflict(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    with pytest.raises(TransitionNotAllowed):
        services.case_extension_decide(case_id=case.pk, by=cast.township_staff, approve=True)


def test_reply_sets_the_dispatch_facts_and_the_outcome(cast):
    case = step(RaisedCaseFactory(cast=cast, stage="signed"), "replied", cast, outcome="partly_solved")
    dispatch = Dispatch.objects.get(case=case)
    assert (case.status, case.clock, case.outcome) == (Status.PENDING_REVIEW, "review", "partly_solved")
    assert dispatch.replied_at and (dispatch.result, dispatch.outcome) == ("已修补路面", "partly_solved")


def test_reply_withdraws_a_pending_extension(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=2, reason="人手不足")
    step(case, "replied", cast)
    assert Extension.objects.get(case=case).decision == "withdrawn"


def test_review_approve_starts_the_feedback_clock(cast):
    case = RaisedCaseFactory(cast=cast, stage="approved")
    assert (case.status, case.clock) == (Status.PENDING_FEEDBACK, "feedback") and case.feedback_due
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.approved_at is not None
    # The dashboards sum this column: the working hours from dispatch to the accepted reply.
    assert dispatch.handle_hours == workdays.working_hours_between(dispatch.dispatched_at, dispatch.replied_at)


def test_review_reject_sends_it_back_and_clears_replied_at(cast):
    case = RaisedCaseFactory(cast=cast, stage="replied")
    case = services.case_review(case_id=case.pk, by=cast.township_staff, approve=False, reason="未附现场照片")
    dispatch = Dispatch.objects.get(case=case)
    assert (case.status, case.clock, case.due_at) == (Status.IN_PROGRESS, "handle", dispatch.handle_due)
    assert dispatch.replied_at is None and case.outcome == ""
    step(case, "replied", cast)
    assert Dispatch.objects.get(case=case).replied_at is not None


def test_review_reject_needs_a_reason(cast):
    case = RaisedCaseFactory(cast=cast, stage="replied")
    with pytest.raises(ValidationError):
        services.case_review(case_id=case.pk, by=cast.township_staff, approve=False, reason="")


def test_feedback_writes_the_record_and_waits_for_callback(cast):
    case = RaisedCaseFactory(cast=cast, stage="fed_back")
    assert (case.status, case.clock) == (Status.PENDING_CALLBACK, "callback") and case.callback_due
    feedback = case.feedbacks.get()
    assert (feedback.channel, feedback.content, feedback.given_by) == ("visit", "已修好", cast.officer)


def test_the_desk_may_give_feedback_too(cast):
    case = RaisedCaseFactory(cast=cast, stage="approved")
    case = services.case_feedback(case_id=case.pk, by=cast.township_staff, channel="phone", content="电话告知")
    assert case.status == Status.PENDING_CALLBACK


def test_callback_closes_with_the_residents_answer(cast):
    case = RaisedCaseFactory(cast=cast, stage="closed")
    assert (case.status, case.clock, case.due_at) == (Status.CLOSED, "", None) and case.closed_at
    callback = Callback.objects.get(case=case)
    assert (callback.reached, callback.solved, callback.satisfaction, callback.closes) == (
        True,
        True,
        "satisfied",
        True,
    )


def test_callback_needs_solved_and_satisfaction_when_reached(cast):
    case = RaisedCaseFactory(cast=cast, stage="fed_back")
    with pytest.raises(ValidationError) as err:
        services.case_callback(case_id=case.pk, by=cast.township_staff, reached=True)
    assert set(err.value.message_dict) == {"solved", "satisfaction"}


def test_unreached_resident_closes_only_after_three_recorded_attempts(cast):
    case = RaisedCaseFactory(cast=cast, stage="fed_back")
    with pytest.raises(TransitionNotAllowed):
        services.case_callback(case_id=case.pk, by=cast.township_staff, reached=False, close=True)
    for n in range(3):
        case = services.case_callback(case_id=case.pk, by=cast.township_staff, reached=False, note=f"第{n + 1}次未接通")
        assert case.status == Status.PENDING_CALLBACK
    case = services.case_callback(case_id=case.pk, by=cast.township_staff, reached=False, close=True, note="三次未接通")
    assert case.status == Status.CLOSED
    assert Callback.objects.filter(case=case, reached=False).count() == 4
    assert [a for a, *_ in events(case)][-4:] == ["callback_attempt"] * 3 + ["callback"]


def test_no_path_closes_without_feedback(cast):
    """反映必反馈: even a case forced into pending_callback cannot close without a feedback record."""
    case = RaisedCaseFactory(cast=cast, stage="approved")
    type(case).objects.filter(pk=case.pk).update(status=Status.PENDING_CALLBACK)
    with pytest.raises(TransitionNotAllowed):
        services.case_callback(case_id=case.pk, by=cast.township_staff, reached=True, solved=True,
                               satisfaction="satisfied")  # fmt: skip
    assert not Callback.objects.filter(case=case).exists()


def test_redo_after_an_unsatisfied_callback(cast):
    case = RaisedCaseFactory(cast=cast, stage="closed_unhappy")
    case = services.case_redo(case_id=case.pk, by=cast.township_staff, reason="路面再次破损")
    assert (case.status, case.level, case.closed_at, case.unit) == (Status.PENDING_DISPATCH, Level.TOWNSHIP, None, None)
    assert events(case)[-1] == ("redo", "closed", "pending_dispatch")


def test_redo_refused_after_a_satisfied_callback(cast):
    case = RaisedCaseFactory(cast=cast, stage="closed")
    with pytest.raises(TransitionNotAllowed):
        services.case_redo(case_id=case.pk, by=cast.township_staff, reason="想重办")


def test_redo_refused_after_thirty_days(cast):
    case = step(RaisedCaseFactory(cast=cast, stage="fed_back"), "closed", cast, satisfaction="unsatisfied")
    later = case.closed_at + datetime.timedelta(days=31)
    with pytest.raises(TransitionNotAllowed):
        services.case_redo(case_id=case.pk, by=cast.township_staff, reason="晚了", now=later)


def test_redo_needs_a_reason(cast):
    case = step(
        RaisedCaseFactory(cast=cast, stage="fed_back"), "closed", cast, solved=False, satisfaction="basically_satisfied"
    )
    with pytest.raises(ValidationError):
        services.case_redo(case_id=case.pk, by=cast.township_staff, reason="")


def test_redo_of_an_on_site_case_goes_to_the_township_desk(cast):
    case = RaisedCaseFactory(
        cast=cast, solved_on_site=True, resolution="当场修补", feedback="已告知", satisfaction="unsatisfied"
    )
    assert case.status == Status.CLOSED
    type(case).objects.filter(pk=case.pk).update(closed_at=datetime.datetime.now(tz=datetime.UTC))
    # The on-site answer was "solved" but unsatisfied: redo is allowed.
    case = services.case_redo(case_id=case.pk, by=cast.township_staff, reason="居民不满意")
    assert (case.level, case.status) == (Level.TOWNSHIP, Status.PENDING_DISPATCH)


def test_supervise_flags_an_open_case(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    case = services.case_supervise(case_id=case.pk, by=cast.city_office, note="群众反映强烈")
    assert case.supervised and case.status == Status.IN_PROGRESS
    assert events(case)[-1] == ("supervise", "in_progress", "in_progress")


def test_the_sweep_supervises_without_an_actor(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    case = services.case_supervise(case_id=case.pk, by=None, note="超期5个工作日")
    event = CaseEvent.objects.filter(case=case).last()
    assert case.supervised and event.actor is None and event.data["automatic"]


def test_supervise_a_closed_case_is_refused(cast):
    case = RaisedCaseFactory(cast=cast, stage="closed")
    with pytest.raises(TransitionNotAllowed):
        services.case_supervise(case_id=case.pk, by=cast.city_office)
