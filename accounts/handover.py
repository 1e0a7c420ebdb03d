"""Deactivating an officer leaves nothing without an owner (HOUSEHOLDS.md "Handover", 传帮带).

An officer who still holds stations or open cases is not simply switched off:
an officer of the same township takes over their stations (same kind and
dispatching unit, from today) and their open cases (each with a timeline
event), and only then is the officer deactivated — all in one transaction.
The household ledger of HOUSEHOLDS.md does not exist yet; when it does, its
records pass here too.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import OrgUnit, StationAssignment, User
from accounts.roles import Role
from accounts.selectors import assignments_not_ended, officer_townships
from audit.services import audit_log
from cases.selectors import officer_open_cases
from cases.services import cases_hand_over


@dataclass(frozen=True)
class Holdings:
    """What an officer still holds: what a handover would move."""

    open_cases: int
    assignments: int

    def __bool__(self) -> bool:
        return bool(self.open_cases or self.assignments)


def officer_holdings(officer: User, *, on: datetime.date | None = None) -> Holdings:
    return Holdings(
        open_cases=officer_open_cases(officer).count(),
        assignments=assignments_not_ended(officer, on=on).count(),
    )


def work_townships(officer: User, *, on: datetime.date | None = None) -> set[int]:
    """Where the officer's work lies: the townships of their stations and unit, and of their open cases."""
    cases = officer_open_cases(officer).exclude(township__isnull=True).values_list("township_id", flat=True)
    return officer_townships(officer, on=on) | set(cases.distinct())


def officer_handover_validate(*, officer: User, successor: User | None, on: datetime.date | None = None) -> None:
    """Refuse a successor who cannot take the officer's work: not an active officer, or of another township."""
    if successor is None:
        raise ValidationError({"successor": _("Choose the officer who takes over.")})
    if successor.pk == officer.pk:
        raise ValidationError({"successor": _("An officer cannot hand over to themselves.")})
    if not successor.is_active or not successor.has_role(Role.OFFICER):
        raise ValidationError({"successor": _("%(name)s is not an active officer.") % {"name": successor}})
    missing = work_townships(officer, on=on) - officer_townships(successor, on=on)
    if missing:
        names = "、".join(
            OrgUnit.objects.filter(pk__in=missing).order_by("sort_order", "code").values_list("name", flat=True)
        )
        raise ValidationError(
            {
                "successor": _("%(name)s does not work in %(townships)s: choose an officer of the same township.")
                % {"name": successor, "townships": names}
            }
        )


@dataclass(frozen=True)
class Handover:
    cases: list[int]
    ended: list[int]
    started: list[int]


@transaction.atomic
def officer_handover(
    *, officer: User, successor: User, by: User, request=None, now: datetime.datetime | None = None
) -> Handover:
    """Hand ``officer``'s stations and open cases to ``successor`` and deactivate ``officer``, all or nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Both officers locked in id order: two admins handing over at once (or over each other) queue up,
    # and the second sees what the first left.
    User.objects.select_for_update().filter(pk__in=[officer.pk, successor.pk]).order_by("pk").first()
    officer_handover_validate(officer=officer, successor=successor, on=today)
    ended, started = [], []
    taken = set(
        StationAssignment.objects.filter(officer=successor, end__isnull=True).values_list("station_id", flat=True)
    )
    for assignment in assignments_not_ended(officer, on=today).select_related("station").order_by("pk"):
        if assignment.station_id not in taken:
            successor_assignment = StationAssignment(
                officer=successor,
                station=assignment.station,
                dispatching_unit_id=assignment.dispatching_unit_id,
                start=max(today, assignment.start),
            )
            started.append(services.assignment_save(successor_assignment).pk)
        if assignment.start > today:
            # Booked for later and never begun: it goes, rather than end before it starts.
            assignment.delete()
        else:
            assignment.end = today
            assignment.save(update_fields=["end"])
        ended.append(assignment.pk)
    cases = cases_hand_over(officer=officer, successor=successor, by=by, now=now)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    handover = Handover(cases=[c.pk for c in cases], ended=ended, started=started)
    audit_log(
        action="officer_handover",
        user=by,
        obj=officer,
        request=request,
        detail={
            "successor": successor.pk,
            "cases": handover.cases,
            "assignments_ended": ended,
            "assignments_started": started,
        },  # fmt: skip
    )
    return handover
