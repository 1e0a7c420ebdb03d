"""督办: the city office (or the deadline sweep) presses a late or sensitive case."""

import datetime

from cases.actions.definitions import SUPERVISE
from cases.choices import Action
from cases.models import Case
from cases.services.core import action_service, now_or, optional_text, record
from cases.transitions import check


@action_service
def case_supervise(
    *, case_id: int, by, note: str = "", locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """Flag the case supervised. ``by=None`` is the sweep acting on its own (5 working days past
    the handle deadline): no scope or role applies, the event names no actor."""
    now = now_or(now)
    if by is None:
        # The same lock the people take, so the sweep queues behind a desk acting now.
        case = Case.objects.select_for_update().get(pk=case_id)
        check(Action.SUPERVISE, case.status)
    else:
        case = SUPERVISE.acquire(case_id=case_id, actor=by, locked=locked)
    case.supervised = True
    case.save(update_fields=["supervised", "updated_at"])
    record(case, action=Action.SUPERVISE, actor=by, from_status=case.status, now=now, note=optional_text(note, field="note"),
           unit=case.unit_id, data={"automatic": by is None})  # fmt: skip
    return case
