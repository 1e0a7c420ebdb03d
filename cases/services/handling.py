"""What the responsible unit does: sign for, return, reply."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import permissions
from cases.choices import Action, Outcome, Status
from cases.models import Case
from cases.services.core import (
    current_dispatch,
    lock_case,
    now_or,
    record,
    release_unit,
    require,
    required_text,
    save,
    start_clock,
    withdraw_pending_extension,
)


def require_handler(by, case: Case) -> None:
    require(permissions.is_handler(by, case), _("Only a handler of the unit the case was dispatched to may do this."))


@transaction.atomic
def case_sign(*, case_id: int, by, now: datetime.datetime | None = None) -> Case:
    now = now_or(now)
    case = lock_case(case_id=case_id, actor=by, action=Action.SIGN)
    require_handler(by, case)
    dispatch = current_dispatch(case)
    dispatch.signed_at = now
    dispatch.save(update_fields=["signed_at"])
    start_clock(case, Status.IN_PROGRESS, now=now)
    save(case)
    record(case, action=Action.SIGN, actor=by, from_status=Status.PENDING_SIGN, now=now, unit=case.unit)
    return case


@transaction.atomic
def case_return(*, case_id: int, by, reason: str, now: datetime.datetime | None = None) -> Case:
    """The unit refuses a wrongly dispatched case; it waits for the same desk again."""
    now = now_or(now)
    case = lock_case(case_id=case_id, actor=by, action=Action.RETURN)
    require_handler(by, case)
    reason = required_text(reason, field="reason", message=_("Say why the case is returned."))
    from_status, unit = case.status, case.unit
    dispatch = current_dispatch(case)
    dispatch.returned_at = now
    dispatch.save(update_fields=["returned_at"])
    withdraw_pending_extension(case, now=now)
    release_unit(case)
    start_clock(case, Status.PENDING_DISPATCH, now=now)
    save(case, "unit")
    record(case, action=Action.RETURN, actor=by, from_status=from_status, now=now, note=reason, unit=unit)
    return case


@transaction.atomic
def case_reply(*, case_id: int, by, result: str, outcome: str, now: datetime.datetime | None = None) -> Case:
    """The unit reports what it did; the dispatching desk reviews it next."""
    now = now_or(now)
    case = lock_case(case_id=case_id, actor=by, action=Action.REPLY)
    require_handler(by, case)
    result = required_text(result, field="result", message=_("Say what was done."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose solved, partly solved or cannot be solved.")})
    dispatch = current_dispatch(case)
    dispatch.replied_at, dispatch.result, dispatch.outcome = now, result, outcome
    dispatch.save(update_fields=["replied_at", "result", "outcome"])
    withdraw_pending_extension(case, now=now)
    case.outcome = outcome
    start_clock(case, Status.PENDING_REVIEW, now=now)
    save(case, "outcome")
    record(case, action=Action.REPLY, actor=by, from_status=Status.IN_PROGRESS, now=now, note=result,
           unit=case.unit, data={"outcome": outcome})  # fmt: skip
    return case
