"""What the responsible unit does: sign for, return, reply."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.actions.definitions import REPLY, RETURN, SIGN
from cases.choices import Action, Outcome, Status
from cases.models import Case
from cases.services.core import (
    action_service,
    after,
    now_or,
    record,
    release_unit,
    required_text,
    save,
    start_clock,
    update_current_dispatch,
    withdraw_pending_extension,
)


@action_service
def case_sign(*, case_id: int, by, locked: Case | None = None, now: datetime.datetime | None = None) -> Case:
    now = now_or(now)
    case = SIGN.acquire(case_id=case_id, actor=by, locked=locked)
    update_current_dispatch(case, signed_at=now)
    start_clock(case, after(Action.SIGN), now=now)
    save(case)
    record(case, action=Action.SIGN, actor=by, from_status=Status.PENDING_SIGN, now=now, unit=case.unit_id)
    return case


@action_service
def case_return(
    *, case_id: int, by, reason: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """The unit refuses a wrongly dispatched case; it waits for the same desk again."""
    now = now_or(now)
    case = RETURN.acquire(case_id=case_id, actor=by, locked=locked)
    reason = required_text(reason, field="reason", message=_("Say why the case is returned."))
    from_status, unit = case.status, case.unit_id
    update_current_dispatch(case, returned_at=now)
    withdraw_pending_extension(case, now=now)
    release_unit(case)
    start_clock(case, after(Action.RETURN), now=now)
    save(case, "unit")
    record(case, action=Action.RETURN, actor=by, from_status=from_status, now=now, note=reason, unit=unit)
    return case


@action_service
def case_reply(
    *, case_id: int, by, result: str, outcome: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """The unit reports what it did; the dispatching desk reviews it next."""
    now = now_or(now)
    case = REPLY.acquire(case_id=case_id, actor=by, locked=locked)
    result = required_text(result, field="result", message=_("Say what was done."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose solved, partly solved or cannot be solved.")})
    update_current_dispatch(case, replied_at=now, result=result, outcome=outcome)
    withdraw_pending_extension(case, now=now)
    case.outcome = outcome
    start_clock(case, after(Action.REPLY), now=now)
    save(case, "outcome")
    record(case, action=Action.REPLY, actor=by, from_status=Status.IN_PROGRESS, now=now, note=result,
           unit=case.unit_id, data={"outcome": outcome})  # fmt: skip
    return case
