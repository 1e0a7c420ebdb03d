"""延期: the unit asks for more working days; the dispatching desk (or the city office) decides."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from cases.actions.definitions import EXTENSION, EXTENSION_DECISION
from cases.choices import Action, Clock, Status
from cases.deadlines import MAX_EXTENSION_DAYS, MAX_EXTENSIONS_PER_LEVEL
from cases.models import Case, Extension
from cases.services.core import (
    action_service,
    current_dispatch,
    decision_note,
    now_or,
    record,
    required_text,
)
from cases.transitions import TransitionNotAllowed
from core import workdays

APPROVED = Extension.Decision.APPROVED
PENDING = Extension.Decision.PENDING


def _check_caps(case: Case, days: int, *, every: list[Extension] | None = None) -> None:
    """LIFECYCLE.md: at most two approved per case per level, twenty working days in all.
    ``every``: the case's extensions when the caller has them all in hand (no query then)."""
    if every is not None:
        approved = [e for e in every if e.decision == APPROVED]
        used = {"at_level": sum(e.level == case.level for e in approved), "days": sum(e.days for e in approved)}
    else:
        used = case.extensions.filter(decision=APPROVED).aggregate(
            at_level=Count("pk", filter=Q(level=case.level)), days=Sum("days")
        )
    if used["at_level"] >= MAX_EXTENSIONS_PER_LEVEL:
        raise TransitionNotAllowed(
            Action.EXTENSION_REQUEST,
            case.status,
            _("This case already had %(n)d extensions at this level.") % {"n": MAX_EXTENSIONS_PER_LEVEL},
        )
    left = MAX_EXTENSION_DAYS - (used["days"] or 0)
    if days > left:
        raise ValidationError(
            {"days": _("At most %(left)d more working days can be granted to this case.") % {"left": left}}
        )


@action_service
def case_extension_request(
    *, case_id: int, by, days: int, reason: str, locked: Case | None = None, now: datetime.datetime | None = None
) -> Case:
    now = now_or(now)
    case = EXTENSION.acquire(case_id=case_id, actor=by, locked=locked)
    reason = required_text(reason, field="reason", message=_("Say why more time is needed."))
    if not isinstance(days, int) or days < 1:
        raise ValidationError({"days": _("Ask for at least one working day.")})
    if case.extension_pending:
        raise TransitionNotAllowed(
            Action.EXTENSION_REQUEST, case.status, _("An extension request is already waiting for a decision.")
        )
    _check_caps(case, days)
    extension = Extension.objects.create(
        case=case, dispatch=current_dispatch(case), level=case.level, days=days, reason=reason,
        requested_by=by, requested_at=now,
    )  # fmt: skip
    case.extension_pending = case.has_extensions = True
    record(case, action=Action.EXTENSION_REQUEST, actor=by, from_status=case.status, now=now, note=reason,
           unit=case.unit_id, data={"extension": extension.pk, "days": days})  # fmt: skip
    return case


@action_service
def case_extension_decide(
    *,
    case_id: int,
    by,
    approve: bool,
    note: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    """Approved: the handle deadline moves on by the working days asked for, on the dispatch and the case.
    Denied: the unit is told why, so a denial always carries a note."""
    now = now_or(now)
    case = EXTENSION_DECISION.acquire(case_id=case_id, actor=by, locked=locked)
    note = decision_note(note, approve=approve, refusal=_("Say why the extension is denied."))
    # Every extension of the case in one read (a handful): the pending one, the caps, and the answer's list.
    every = list(case.extensions.select_related("dispatch").order_by("id"))
    extension = next((e for e in every if e.decision == PENDING), None)
    if extension is None:
        raise TransitionNotAllowed(Action.EXTENSION_DECISION, case.status, _("No extension request is waiting."))
    data = {"extension": extension.pk, "days": extension.days, "approve": approve}
    if approve:
        _check_caps(case, extension.days, every=every)
        dispatch = extension.dispatch
        dispatch.handle_due = workdays.add_working_days(dispatch.handle_due, extension.days)
        dispatch.extension_days += extension.days
        dispatch.save(update_fields=["handle_due", "extension_days"])
        case.handle_due = dispatch.handle_due
        if case.status == Status.IN_PROGRESS and case.clock == Clock.HANDLE:
            case.due_at = case.handle_due
            case.overdue = case.handle_due <= now
        case.save(update_fields=["handle_due", "due_at", "overdue", "updated_at"])
        data["handle_due"] = case.handle_due.isoformat()
    extension.decide(APPROVED if approve else Extension.Decision.DENIED, by=by, now=now, note=note)
    case.extension_pending = False
    case._prefetched_objects_cache = {**getattr(case, "_prefetched_objects_cache", {}), "extensions": every}
    record(case, action=Action.EXTENSION_DECISION, actor=by, from_status=case.status, now=now, note=note,
           unit=case.unit_id, data=data)  # fmt: skip
    return case
