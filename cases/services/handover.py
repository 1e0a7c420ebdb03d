"""An officer's open cases pass to the officer who takes over their stations (HOUSEHOLDS.md "Handover").

Only the ownership moves: status, clocks and deadlines stay as they are, and the
new officer owes the resident the feedback the old one did (反映必反馈). Called
by accounts.handover inside its transaction, with the officers already checked.
"""

import datetime

from django.db import transaction

from cases.choices import Action
from cases.models import Case, CaseEvent
from cases.selectors import officer_open_cases
from cases.services.core import notify_events, now_or
from cases.transitions import check


@transaction.atomic
def cases_hand_over(
    *, officer, successor, by, station=None, note: str = "", now: datetime.datetime | None = None
) -> list[Case]:
    """Give the open cases ``officer`` raised to ``successor``, each with a timeline event; the cases moved.

    With ``station``, only that station's cases move: an officer who leaves one village keeps the cases of
    the villages they still serve.
    """
    now = now_or(now)
    rows = officer_open_cases(officer)
    if station is not None:
        rows = rows.filter(station=station)
    # Locked in id order like every write to several cases: an action on one of them right now either
    # commits first (and a case it closed stays with its officer) or waits for the handover.
    cases = list(rows.select_for_update(of=("self",)).order_by("pk"))
    if not cases:
        return []
    for case in cases:
        check(Action.HANDOVER, case.status)
        case.officer = successor
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(officer=successor, updated_at=now)
    names = {"from": officer.pk, "from_name": str(officer), "to": successor.pk, "to_name": str(successor)}
    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                action=Action.HANDOVER,
                actor=by,
                from_status=case.status,
                to_status=case.status,
                level=case.level,
                unit_id=case.unit_id,
                note=note,
                data=names,
                created_at=now,
            )  # fmt: skip
            for case in cases
        ]
    )
    notify_events(events)
    return cases
