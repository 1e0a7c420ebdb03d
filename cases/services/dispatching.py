"""Handing a case to a unit, and lifting a township case to the city loop."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from cases import deadlines
from cases.actions.definitions import DISPATCH, ESCALATE
from cases.choices import Action, Clock, Level, Status
from cases.models import Case, Dispatch
from cases.selectors import may_dispatch_to
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
    withdraw_pending_extension,
)


@action_service
def case_dispatch(
    *,
    case_id: int,
    by,
    unit: OrgUnit,
    assisting_units: Iterable[OrgUnit] = (),
    note: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    now = now_or(now)
    case = DISPATCH.acquire(case_id=case_id, actor=by, locked=locked)
    assisting = [u for u in {a.pk: a for a in assisting_units}.values() if u.pk != unit.pk]
    # The units came loaded with the body: the rules of dispatchable_units are asked of them in hand.
    if not may_dispatch_to(case, unit):
        raise ValidationError({"unit": _("This unit cannot take cases of this level and township.")})
    if not all(may_dispatch_to(case, a) for a in assisting):
        raise ValidationError({"assisting_units": _("An assisting unit cannot take cases of this level and township.")})
    dispatch_to(case, unit=unit, assisting_units=assisting, by=by, note=optional_text(note, field="note"), now=now)
    return case


def dispatch_to(
    case: Case, *, unit: OrgUnit, assisting_units: list[OrgUnit], by, note: str, now: datetime.datetime
) -> Dispatch:
    """Write the hand-over on a case the caller holds (locked, or created in this transaction).

    Both deadlines are fixed now, at dispatch: the unit's sign-for and handle
    clocks start together (LIFECYCLE.md "Deadlines").
    """
    from_status = case.status
    case.unit = unit
    # Both clocks' policies in one read (the sign and the handle clock start together).
    table = deadlines.overrides(level=case.level, urgency=case.urgency)
    case.handle_due = deadlines.due(now, level=case.level, urgency=case.urgency, clock=Clock.HANDLE, table=table)
    start_clock(case, after(Action.DISPATCH), now=now, deadline_table=table)
    save(case, "unit")
    if assisting_units or getattr(case, "has_assisting", True):  # the lock read whether there were any
        case.assisting_units.set(assisting_units)
    case.has_assisting = bool(assisting_units)
    dispatch = Dispatch.objects.create(
        case=case,
        level=case.level,
        unit=unit,
        dispatched_by=by,
        dispatched_at=now,
        sign_due=case.sign_due,
        handle_due=case.handle_due,
    )
    record(
        case,
        action=Action.DISPATCH,
        actor=by,
        from_status=from_status,
        now=now,
        note=note,
        unit=unit,
        data={
            "dispatch": dispatch.pk,
            "assisting_units": [u.pk for u in assisting_units],
            "automatic": by is None,
        },
    )
    return dispatch


@action_service
def case_escalate(
    *, case_id: int, by, reason: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    """Township → city: the city office dispatches it next. A unit working on it stops."""
    now = now_or(now)
    case = ESCALATE.acquire(case_id=case_id, actor=by, locked=locked)
    reason = required_text(reason, field="reason", message=_("Say why the case needs the city."))
    from_status, from_unit = case.status, case.unit_id
    if from_status == Status.IN_PROGRESS:
        dispatch = current_dispatch(case)
        dispatch.ended_at = now
        dispatch.save(update_fields=["ended_at"])
        withdraw_pending_extension(case, now=now)
    release_unit(case)
    case.level = Level.CITY
    start_clock(case, after(Action.ESCALATE), now=now)
    save(case, "unit", "level")
    record(case, action=Action.ESCALATE, actor=by, from_status=from_status, now=now, note=reason, unit=from_unit,
           data={"from_level": Level.TOWNSHIP})  # fmt: skip
    return case
