"""Closing the loop: review the reply, tell the resident, call them back, reopen when unsolved."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from cases.actions.definitions import CALLBACK, FEEDBACK, REDO, REVIEW
from cases.choices import Action, CallbackChannel, FeedbackChannel, Level, Satisfaction, Status
from cases.models import Callback, Case, CaseEvent, Feedback
from cases.services.core import (
    action_service,
    after,
    current_dispatch,
    now_or,
    optional_text,
    record,
    release_unit,
    required_text,
    save,
    start_clock,
)
from cases.services.holds import hold_history
from cases.transitions import TransitionNotAllowed
from core import workdays
from residents.messages import told_about_case

# A resident nobody could reach after this many recorded calls lets the desk close.
UNREACHED_ATTEMPTS_TO_CLOSE = 3
REDO_WINDOW = datetime.timedelta(days=30)


@action_service
def case_review(
    *,
    case_id: int,
    by,
    approve: bool,
    reason: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    now = now_or(now)
    action = Action.REVIEW_APPROVE if approve else Action.REVIEW_REJECT
    case = REVIEW.acquire(case_id=case_id, actor=by, locked=locked)
    dispatch = current_dispatch(case)
    if approve:
        dispatch.approved_at = now
        dispatch.handle_hours = workdays.working_hours_between(dispatch.dispatched_at, dispatch.replied_at or now)
        dispatch.save(update_fields=["approved_at", "handle_hours"])
        start_clock(case, after(Action.REVIEW_APPROVE), now=now)
        save(case)
        note = optional_text(reason, field="reason")
    else:
        note = required_text(reason, field="reason", message=_("Say what is missing from the reply."))
        # The next reply sets replied_at again, so the metrics time the reply that was accepted.
        dispatch.replied_at = None
        dispatch.save(update_fields=["replied_at"])
        case.outcome = ""
        start_clock(case, after(Action.REVIEW_REJECT), now=now)
        save(case, "outcome")
    record(case, action=action, actor=by, from_status=Status.PENDING_REVIEW, now=now, note=note, unit=case.unit_id)
    return case


@action_service
def case_feedback(
    *,
    case_id: int,
    by,
    channel: str,
    content: str,
    resident_response: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """反馈: what the resident was told. The record every close depends on."""
    now = now_or(now)
    case = FEEDBACK.acquire(case_id=case_id, actor=by, locked=locked)
    if channel not in FeedbackChannel.values:
        raise ValidationError({"channel": _("Choose how the resident was told.")})
    content = required_text(content, field="content", message=_("Say what the resident was told."))
    feedback = Feedback.objects.create(
        case=case, channel=channel, content=content, resident_response=optional_text(resident_response, field="resident_response"),
        given_by=by, given_at=now,
    )  # fmt: skip
    start_clock(case, after(Action.FEEDBACK), now=now)
    case.feedback_draft = ""  # a project's draft served its purpose once the resident was told
    save(case, "feedback_draft")
    data = {"feedback": feedback.pk, "channel": channel}
    holds = hold_history(case)
    if holds:  # the resident's record notes the case waited on a plan or budget (挂账)
        data["holds"] = holds
    record(case, action=Action.FEEDBACK, actor=by, from_status=Status.PENDING_FEEDBACK, now=now, note=content,
           data=data)  # fmt: skip
    told_about_case(case, "answered", feedback.pk)  # a resident's own request: "please rate" by SMS
    return case


def unreached_attempts(case: Case) -> int:
    """Unanswered calls since the resident was last told the result (a redo starts the count again)."""
    last = case.feedbacks.order_by("-given_at", "-id").values_list("given_at", flat=True).first()
    attempts = case.callbacks.filter(reached=False, closes=False)
    return attempts.filter(at__gte=last).count() if last else attempts.count()


@action_service
def case_callback(
    *,
    case_id: int,
    by,
    reached: bool,
    solved: bool | None = None,
    satisfaction: str = "",
    note: str = "",
    close: bool = False,
    channel: str = CallbackChannel.DESK,
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """回访. A reached resident's answer closes the case. An unreached call is recorded as an
    attempt; after three of them the desk may close with ``reached=False, close=True``.
    ``channel`` SELF is the resident's own rating (residents.rating): ``by`` is None then."""
    now = now_or(now)
    case = CALLBACK.acquire(case_id=case_id, actor=by, locked=locked)
    note = optional_text(note, field="note")
    if reached:
        errors = {}
        if solved is None:
            errors["solved"] = _("Say whether the resident finds the problem solved.")
        if satisfaction not in Satisfaction.values:
            errors["satisfaction"] = _("Choose how satisfied the resident is.")
        if errors:
            raise ValidationError(errors)
    elif not close:
        attempt = Callback.objects.create(case=case, reached=False, note=note, by=by, at=now)
        record(case, action=Action.CALLBACK_ATTEMPT, actor=by, from_status=case.status, now=now, note=note,
               data={"callback": attempt.pk, "attempt": unreached_attempts(case)})  # fmt: skip
        return case
    elif unreached_attempts(case) < UNREACHED_ATTEMPTS_TO_CLOSE:
        raise TransitionNotAllowed(
            Action.CALLBACK,
            case.status,
            _("Record %(n)d unanswered calls before closing without reaching the resident.")
            % {"n": UNREACHED_ATTEMPTS_TO_CLOSE},
        )
    # 反映必反馈: whatever path led here, the resident must have been told.
    if not case.feedbacks.exists():
        raise TransitionNotAllowed(Action.CALLBACK, case.status, _("No feedback was given to the resident yet."))
    callback = Callback.objects.create(
        case=case, reached=reached, solved=solved if reached else None, satisfaction=satisfaction if reached else "",
        note=note, closes=True, channel=channel, by=by, at=now,
    )  # fmt: skip
    case.closed_at = now
    start_clock(case, after(Action.CALLBACK), now=now)
    save(case, "closed_at")
    record(case, action=Action.CALLBACK, actor=by, from_status=Status.PENDING_CALLBACK, now=now, note=note,
           data={"callback": callback.pk, "reached": reached, "solved": callback.solved,
                 "satisfaction": callback.satisfaction})  # fmt: skip
    return case


def callback_beside(
    case: Case, *, by, channel: str, solved: bool, satisfaction: str, note: str = "", now: datetime.datetime
) -> Callback:
    """A callback on a case already closed (the resident rating it after the desk's call): recorded
    beside the one that closed it, on the timeline, closing nothing. The caller holds the case's lock."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose how satisfied the resident is.")})
    note = optional_text(note, field="note")
    callback = Callback.objects.create(case=case, reached=True, solved=solved, satisfaction=satisfaction, note=note,
                                       closes=False, channel=channel, by=by, at=now)  # fmt: skip
    # No notice: the status does not change; an unhappy answer shows on the desk's redo queue (UNHAPPY_SINCE_CLOSE).
    CaseEvent.objects.create(case=case, action=Action.CALLBACK, actor=by, from_status=case.status,
                             to_status=case.status, level=case.level, note=note, created_at=now,
                             data={"callback": callback.pk, "reached": True, "solved": solved,
                                   "satisfaction": satisfaction, "beside": True})  # fmt: skip
    return callback


def _unhappy(callback: Callback | None) -> bool:
    return bool(callback and callback.reached and (callback.solved is False or callback.satisfaction == "unsatisfied"))


# Closed cases a reached callback since closing (the closing one or one beside it) found unsolved or
# unsatisfactory: what the desk may redo (the redo queue, cases.queues).
UNHAPPY_SINCE_CLOSE = Exists(
    Callback.objects.filter(case=OuterRef("pk"), reached=True, at__gte=OuterRef("closed_at")).filter(
        Q(solved=False) | Q(satisfaction=Satisfaction.UNSATISFIED)
    )
)


def redo_refusal(case: Case, *, now: datetime.datetime) -> str:
    """Why the case cannot be reopened now, or "" when it can."""
    callback = case.callbacks.filter(closes=True).order_by("-at", "-id").first()
    beside = case.callbacks.filter(closes=False, at__gte=case.closed_at) if case.closed_at else []
    unhappy = _unhappy(callback) or any(_unhappy(c) for c in beside)
    if not unhappy:
        return _("Only a case the resident called unsolved or unsatisfactory can be redone.")
    if case.closed_at is None or now - case.closed_at > REDO_WINDOW:
        return _("A case can be redone only within 30 days of closing.")
    return ""


@action_service
def case_redo(
    *, case_id: int, by, reason: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """重办: back to the desk of the same level. An on-site case has no desk of its own: the township's takes it."""
    now = now_or(now)
    case = REDO.acquire(case_id=case_id, actor=by, locked=locked)
    refusal = redo_refusal(case, now=now)
    if refusal:
        raise TransitionNotAllowed(Action.REDO, case.status, refusal)
    reason = required_text(reason, field="reason", message=_("Say what the resident still needs."))
    if case.level == Level.ONSITE:
        case.level = Level.TOWNSHIP
    release_unit(case)
    case.closed_at, case.outcome = None, ""
    case.review_due = case.feedback_due = case.callback_due = None
    start_clock(case, after(Action.REDO), now=now)
    save(case, "unit", "level", "closed_at", "outcome")
    event = record(case, action=Action.REDO, actor=by, from_status=Status.CLOSED, now=now, note=reason)
    told_about_case(case, "redo", event.pk)
    return case
