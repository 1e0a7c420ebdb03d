"""What every case action shares: lock, check, write status and event together, notices in the same transaction."""

import datetime
import functools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from cases import deadlines
from cases.actions.base import ActionForbidden
from cases.choices import CLOCK_OF_STATUS, Clock, Status
from cases.models import Case, CaseEvent, Dispatch, Extension
from cases.selectors import cases_visible_to
from cases.transitions import check


def action_service(service: Callable[..., Case]) -> Callable[..., Case]:
    """The transaction of a case action's service.

    Called by ``perform`` with the case it ``locked``, the service runs in
    perform's transaction with no savepoint of its own: a refusal rolls the
    whole action back anyway, and two fewer statements is a fifth of a
    reply's round trips. Called directly, it is a transaction of its own.
    """

    @functools.wraps(service)
    def run(*args, **kwargs) -> Case:
        with transaction.atomic(savepoint=kwargs.get("locked") is None):
            return service(*args, **kwargs)

    return run


def lock_case(*, case_id: int, actor, action: str) -> Case:
    """Fetch the case for update through the actor's scope and check an event kind that has no
    action route of its own (linking to a project); the routes' actions lock with ``CaseAction.lock``."""
    case = cases_visible_to(actor).select_for_update(of=("self",)).get(pk=case_id)
    check(action, case.status)
    return case


def require(condition: bool, message: str = "") -> None:
    if not condition:
        raise ActionForbidden(message or "Your role may not take this action on this case.")


def after(kind: str) -> str:
    """The status an event of ``kind`` leaves the case in (its definition in cases.actions)."""
    from cases.actions import EVENTS

    return EVENTS[kind].to


def start_clock(
    case: Case, status: str, *, now: datetime.datetime, deadline_table: deadlines.Overrides | None = None
) -> None:
    """Move the case to ``status`` and start the clock that runs there."""
    case.status = status
    clock = CLOCK_OF_STATUS.get(status)
    case.overdue = False
    if clock is None:
        case.clock, case.due_at = "", None
        return
    # The handle clock keeps the deadline set at dispatch (and moved by
    # extensions); every other clock starts now.
    if clock == Clock.HANDLE and case.handle_due:
        due = case.handle_due
    else:
        due = deadlines.due(now, level=case.level, urgency=case.urgency, clock=clock, table=deadline_table)
        setattr(case, f"{clock}_due", due)
    case.clock, case.due_at = clock, due


def record(
    case: Case,
    *,
    action: str,
    actor,
    from_status: str,
    now: datetime.datetime,
    note: str = "",
    unit=None,
    data: dict | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=case.status,
        level=case.level,
        unit_id=getattr(unit, "pk", unit),  # a unit or its id: no need to load the unit to name it
        note=note,
        data=data or {},
        created_at=now,
    )
    _notify(event, case)
    _push([event], case)
    return event


def notify_events(events: list[CaseEvent]) -> None:
    """``_notify`` for several events of one action at once (a diary's cases): a few statements in all."""
    from cases.notices import notify_new_events

    notify_new_events(events)
    for event in events:
        _push([event], event.case)


def _push(events: list[CaseEvent], case: Case) -> None:
    """Queue the events for the platform the case came from (integrations.pushes), in this transaction.
    Read from the case row in hand: cases of our own channels cost no query."""
    from integrations.models import EXTERNAL_SOURCES

    if case.source in EXTERNAL_SOURCES:
        from integrations import pushes

        pushes.queue(events, case=case)


def push_written(events) -> None:
    """``_push`` for events the sweeps write in bulk (a CaseEvent queryset of them)."""
    from integrations import pushes

    pushes.queue_written(events)


def _notify(event: CaseEvent, case: Case) -> None:
    """Write the event's notices in the action's own transaction: the action, its event and its
    notices commit together or not at all; their delivery is queued on commit (notifications.outbox)."""
    from cases.notices import notify_event

    notify_event(event, case)


def code_for(case: Case) -> str:
    """SZ-2026-000123: readable, unique, and free of a counter row every writer would queue on."""
    return f"{settings.CASE_CODE_PREFIX}-{timezone.localtime(case.created_at).year}-{case.pk:06d}"


def assign_code(case: Case) -> None:
    case.code = code_for(case)
    Case.objects.filter(pk=case.pk).update(code=case.code)


def now_or(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def required_text(value: str | None, *, field: str, message: str) -> str:
    """The stripped text, or a 400 on ``field`` when there is none (reasons are never optional)."""
    text = optional_text(value, field=field)
    if not text:
        raise ValidationError({field: message})
    return text


def decision_note(note: str | None, *, approve: bool, refusal: str) -> str:
    """The note of a decision: optional with a yes, required with a no (the asker is told why)."""
    return optional_text(note, field="note") if approve else required_text(note, field="note", message=refusal)


def optional_text(value: str | None, *, field: str) -> str:
    """The stripped text; a 400 on ``field`` for NUL, which PostgreSQL cannot store."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: ProhibitNullCharactersValidator.message})
    return text


def _latest_dispatch(case: Case):
    return case.dispatches.order_by("-dispatched_at", "-id")


def current_dispatch(case: Case) -> Dispatch | None:
    """The latest hand-over of the case; the one the unit acts on now."""
    return _latest_dispatch(case).first()


def update_current_dispatch(case: Case, **fields) -> None:
    """Write ``fields`` on the current hand-over in one statement, without reading it first."""
    Dispatch.objects.filter(pk=Subquery(_latest_dispatch(case).values("pk")[:1])).update(**fields)


def withdraw_pending_extension(case: Case, *, now: datetime.datetime) -> None:
    """The case left the unit before anyone decided: the request no longer waits.

    ``extension_pending`` is annotated by ``CaseAction.lock``; without it, look."""
    if getattr(case, "extension_pending", True):
        Extension.objects.filter(case=case, decision=Extension.Decision.PENDING).update(
            decision=Extension.Decision.WITHDRAWN, decided_at=now
        )
        case.extension_pending = False


def release_unit(case: Case) -> None:
    """The case waits for a new dispatch: no unit holds it and its dispatch deadlines no longer run."""
    case.unit = None
    case.sign_due = case.handle_due = None
    # ``has_assisting`` is read with the locked row (CaseAction.lock); without it, clear anyway.
    if getattr(case, "has_assisting", True):
        case.assisting_units.clear()
        case.has_assisting = False


# Every field start_clock may touch, for save(update_fields=…).
CLOCK_FIELDS = ["status", "clock", "due_at", "overdue", *(f"{c}_due" for c in Clock.values), "updated_at"]


def save(case: Case, *extra: str) -> None:
    case.save(update_fields=[*CLOCK_FIELDS, *extra])


__all__ = [
    "CLOCK_FIELDS",
    "ActionForbidden",
    "Status",
    "action_service",
    "after",
    "assign_code",
    "code_for",
    "notify_events",
    "current_dispatch",
    "update_current_dispatch",
    "lock_case",
    "now_or",
    "optional_text",
    "push_written",
    "record",
    "release_unit",
    "require",
    "required_text",
    "save",
    "start_clock",
    "withdraw_pending_extension",
]
