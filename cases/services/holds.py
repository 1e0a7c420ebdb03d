"""挂账: the desk asks to stop a case's clocks until a review date, the city office decides, and the desk,
the city office or the sweep on the review date releases it (OVERSIGHT.md "Pausing the clock").

While a hold is in force (``Case.held_since`` set) the case is neither overdue nor on time
(cases.overdue) and the sweep leaves it alone; on release every deadline still running moves
later by the working time it was held (``restart_clocks``, the one place that moves them).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.actions.definitions import HOLD, HOLD_DECISION, RELEASE
from cases.choices import Action, Clock
from cases.models import Case, CaseEvent, Dispatch, Hold
from cases.services.core import (
    action_service,
    decision_note,
    notify_events,
    now_or,
    optional_text,
    record,
    required_text,
)
from cases.transitions import TransitionNotAllowed
from core import workdays

PENDING, APPROVED = Hold.Decision.PENDING, Hold.Decision.APPROVED


def hold_history(case: Case) -> list[dict]:
    """Each approved hold of the case: why, from the day it was approved to the day it was released
    (or, still in force, its review date). The feedback form shows it and the feedback event keeps it,
    so the resident's record says the case waited on a plan or budget."""
    if not getattr(case, "has_holds", True):  # the locked row said it never had one approved
        return []
    rows = case.holds.filter(decision=APPROVED).order_by("decided_at", "id")
    return [
        {
            "reason": hold.reason,
            "from": timezone.localdate(hold.decided_at).isoformat(),
            "to": (timezone.localdate(hold.released_at) if hold.released_at else hold.review_on).isoformat(),
        }
        for hold in rows
    ]


def _open_hold(case: Case) -> Hold | None:
    """The hold waiting for a decision or in force (at most one: the ``hold_one_open`` constraint)."""
    return case.holds.filter(decision__in=[PENDING, APPROVED], released_at__isnull=True).first()


def restart_clocks(case: Case, *, now: datetime.datetime) -> tuple[float, dict]:
    """Move every deadline that ran when the hold began later by the working hours held; clear the hold.

    The running deadline (``due_at``) and the running clock's own field. Answers the working hours
    held and, for the handle clock, {old handle deadline: new one}: the current hand-over carries the
    same deadline (the sweep's supervision rule compares the two), and the caller moves it with
    ``move_dispatches``. The caller saves the case (HELD_FIELDS).
    """
    hours = workdays.working_hours_between(case.held_since, now) if case.held_since else 0.0
    moved = {}
    if hours > 0:
        if case.due_at is not None:
            case.due_at = workdays.add_working_hours(case.due_at, hours)
        field = f"{case.clock}_due" if case.clock else ""
        old = getattr(case, field) if field else None
        if old is not None:
            setattr(case, field, workdays.add_working_hours(old, hours))
            if case.clock == Clock.HANDLE:
                moved = {(case.pk, old): case.handle_due}
    case.held_since = None
    case.overdue = False  # the sweep flags it again if the moved deadline has passed too
    return hours, moved


def move_dispatches(moved: dict) -> None:
    """The hand-overs whose handle deadline moved with their case's (``restart_clocks``): two statements,
    or one for a single case (a release by hand)."""
    if not moved:
        return
    if len(moved) == 1:
        (((case_id, old), new),) = moved.items()
        Dispatch.objects.filter(case_id=case_id, handle_due=old).update(handle_due=new)
        return
    dispatches = list(Dispatch.objects.filter(case_id__in={case_id for case_id, _old in moved}))
    changed = [d for d in dispatches if (d.case_id, d.handle_due) in moved]
    for dispatch in changed:
        dispatch.handle_due = moved[(dispatch.case_id, dispatch.handle_due)]
    Dispatch.objects.bulk_update(changed, ["handle_due"])


HELD_FIELDS = ["held_since", "due_at", "overdue", *(f"{c}_due" for c in Clock.values), "updated_at"]


@action_service
def case_hold_request(
    *,
    case_id: int,
    by,
    reason: str = "",
    review_on: datetime.date | None = None,
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    now = now_or(now)
    case = HOLD.acquire(case_id=case_id, actor=by, locked=locked)
    reason = required_text(reason, field="reason", message=_("Say what plan or budget the case waits on."))
    if review_on is None:
        raise ValidationError({"review_on": _("Give the date the hold is to be reviewed.")})
    if review_on <= timezone.localdate(now):
        raise ValidationError({"review_on": _("The review date must be after today.")})
    if case.held_since is not None or _open_hold(case) is not None:
        raise TransitionNotAllowed(
            Action.HOLD_REQUEST, case.status, _("This case is already on hold or waiting for a hold decision.")
        )
    hold = Hold.objects.create(case=case, reason=reason, review_on=review_on, requested_by=by, requested_at=now)
    case.hold_pending = True
    record(case, action=Action.HOLD_REQUEST, actor=by, from_status=case.status, now=now, note=reason,
           unit=case.unit_id, data={"hold": hold.pk, "review_on": review_on.isoformat()})  # fmt: skip
    return case


@action_service
def case_hold_decide(
    *,
    case_id: int,
    by,
    approve: bool,
    note: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """Approved: the clocks stop now. Refused: the desk is told why, so a refusal carries a note."""
    now = now_or(now)
    case = HOLD_DECISION.acquire(case_id=case_id, actor=by, locked=locked)
    note = decision_note(note, approve=approve, refusal=_("Say why the hold is refused."))
    hold = case.holds.filter(decision=PENDING).first()
    if hold is None:
        raise TransitionNotAllowed(Action.HOLD_DECISION, case.status, _("No hold request is waiting."))
    hold.decide(APPROVED if approve else Hold.Decision.REFUSED, by=by, now=now, note=note)
    case.hold_pending = False
    if approve:
        case.held_since, case.overdue, case.has_holds = now, False, True
        case.save(update_fields=["held_since", "overdue", "updated_at"])
    data = {"hold": hold.pk, "approve": approve, "review_on": hold.review_on.isoformat()}
    record(case, action=Action.HOLD_DECISION, actor=by, from_status=case.status, now=now, note=note,
           unit=case.unit_id, data=data)  # fmt: skip
    return case


@action_service
def case_release(
    *, case_id: int, by, note: str = "", locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    now = now_or(now)
    case = RELEASE.acquire(case_id=case_id, actor=by, locked=locked)
    note = optional_text(note, field="note")
    hold = case.holds.filter(decision=APPROVED, released_at__isnull=True).first()
    if case.held_since is None or hold is None:
        raise TransitionNotAllowed(Action.RELEASE, case.status, _("This case is not on hold."))
    hours, moved = restart_clocks(case, now=now)
    case.save(update_fields=HELD_FIELDS)
    move_dispatches(moved)
    hold.released_at, hold.released_by, hold.released_how = now, by, Hold.ReleasedHow.BY_HAND
    hold.save(update_fields=["released_at", "released_by", "released_how"])
    record(case, action=Action.RELEASE, actor=by, from_status=case.status, now=now, note=note, unit=case.unit_id,
           data={"hold": hold.pk, "automatic": False, "hours": round(hours, 2)})  # fmt: skip
    return case


def release_due_holds(*, now: datetime.datetime) -> int:
    """The sweep's rule: every hold in force whose review date has come is released, once.

    A constant number of statements whatever the number of holds: the holds and their cases are
    locked in one query (a desk releasing one by hand at this moment either finishes first, and the
    row no longer matches, or waits), the deadlines moved in Python (the working-day calendar), the
    rows written back in bulk, and the events and their notices written together. The claim is the
    hold's own ``released_at``, set in the same transaction: a hold is released once.
    """
    today = timezone.localdate(now)
    holds = list(
        Hold.objects.select_for_update()
        .select_related("case")
        .filter(decision=APPROVED, released_at__isnull=True, review_on__lte=today, case__held_since__isnull=False)
        .order_by("case_id", "id")
    )
    if not holds:
        return 0
    events, moved = [], {}
    for hold in holds:
        case = hold.case
        hours, handle = restart_clocks(case, now=now)
        moved |= handle
        hold.released_at, hold.released_by, hold.released_how = now, None, Hold.ReleasedHow.REVIEW_DATE
        events.append(CaseEvent(
            case=case, action=Action.RELEASE, actor=None, from_status=case.status, to_status=case.status,
            level=case.level, unit_id=case.unit_id, note="", created_at=now,
            data={"hold": hold.pk, "automatic": True, "hours": round(hours, 2)},
        ))  # fmt: skip
    cases = [h.case for h in holds]
    for case in cases:
        case.updated_at = now
    Case.objects.bulk_update(cases, HELD_FIELDS)
    move_dispatches(moved)
    Hold.objects.bulk_update(holds, ["released_at", "released_by", "released_how"])
    CaseEvent.objects.bulk_create(events)
    notify_events(events)
    return len(holds)
