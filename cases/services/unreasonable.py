"""不合理诉求: the desk of the case's level says the resident's request is unreasonable, the city office
decides (OVERSIGHT.md "Scores"). An approved claim takes the case out of its unit's score
(``cases.selectors.unreasonable_approved``); the case keeps its status, clocks and place in the volumes.
"""

import datetime

from django.utils.translation import gettext as _

from cases.actions.definitions import UNREASONABLE, UNREASONABLE_DECISION
from cases.choices import Action
from cases.models import Case, Unreasonable
from cases.services.core import action_service, decision_note, now_or, record, required_text
from cases.transitions import TransitionNotAllowed

PENDING, APPROVED = Unreasonable.Decision.PENDING, Unreasonable.Decision.APPROVED


@action_service
def case_unreasonable_request(
    *, case_id: int, by, reason: str = "", locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    now = now_or(now)
    case = UNREASONABLE.acquire(case_id=case_id, actor=by, locked=locked)
    reason = required_text(reason, field="reason", message=_("Say why the request is unreasonable."))
    # One claim waiting or approved per case (the ``unreasonable_one_open`` constraint); a refused one may be
    # made again, with new grounds.
    if case.unreasonable_claims.filter(decision__in=[PENDING, APPROVED]).exists():
        raise TransitionNotAllowed(
            Action.UNREASONABLE_REQUEST,
            case.status,
            _("This case is already marked unreasonable or waits for that decision."),
        )
    claim = Unreasonable.objects.create(case=case, reason=reason, requested_by=by, requested_at=now)
    case.unreasonable_state = PENDING
    record(case, action=Action.UNREASONABLE_REQUEST, actor=by, from_status=case.status, now=now, note=reason,
           unit=case.unit_id, data={"unreasonable": claim.pk})  # fmt: skip
    return case


@action_service
def case_unreasonable_decide(
    *,
    case_id: int,
    by,
    approve: bool,
    note: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """Approved: the case leaves its unit's score. Refused: the desk is told why, so a refusal carries a note."""
    now = now_or(now)
    case = UNREASONABLE_DECISION.acquire(case_id=case_id, actor=by, locked=locked)
    note = decision_note(note, approve=approve, refusal=_("Say why the request is not unreasonable."))
    claim = case.unreasonable_claims.filter(decision=PENDING).first()
    if claim is None:
        raise TransitionNotAllowed(
            Action.UNREASONABLE_DECISION, case.status, _("No unreasonable request claim is waiting.")
        )
    claim.decide(APPROVED if approve else Unreasonable.Decision.REFUSED, by=by, now=now, note=note)
    case.unreasonable_state = APPROVED if approve else None
    record(case, action=Action.UNREASONABLE_DECISION, actor=by, from_status=case.status, now=now, note=note,
           unit=case.unit_id, data={"unreasonable": claim.pk, "approve": approve})  # fmt: skip
    return case
