"""Deactivating an officer leaves nothing without an owner (HOUSEHOLDS.md "Handover", 传帮带).

An officer who still holds stations or open cases is not simply switched off:
an officer of the same township takes over their stations (same kind and
dispatching unit, from today) and their open cases (each with a timeline
event), and only then is the officer deactivated — all in one transaction.

The same holds when a station changes hands without a deactivation: ending one
officer's assignment and beginning another's (in either order, or in one call,
``assignment_replace``) passes the predecessor's open cases AT THAT STATION to
the successor. The household ledger belongs to the station, so nothing of it
moves: an audit row records that it passed, and the predecessor's handover note
(households.HandoverNote) is what the successor reads on the station page.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import OrgUnit, StationAssignment, User
from accounts.roles import Role
from accounts.selectors import assignments_not_ended, officer_townships
from audit.services import audit_log
from cases.selectors import officer_open_cases
from cases.services import cases_hand_over
from households.models import Household


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
    ended, started, stations = [], [], set()
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
            # No station handover of its own: every open case of the officer passes below, in one go.
            started.append(services.assignment_save(successor_assignment, by=by, handover=False).pk)
        if assignment.start > today:
            # Booked for later and never begun: it goes, rather than end before it starts.
            assignment.delete()
        else:
            assignment.end = today
            assignment.save(update_fields=["end"])
        ended.append(assignment.pk)
        stations.add(assignment.station_id)
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
            # The ledger stays with the stations; these are the stations whose records passed.
            "ledger_stations": sorted(stations),
        },  # fmt: skip
    )
    return handover


# Stations changing hands (HOUSEHOLDS.md "Handover"): called by accounts.services.assignment_save.


def _stationed(station_id: int, *, on: datetime.date):
    """Assignments at the station with no end, or ending on or after ``on``."""
    return StationAssignment.objects.filter(station_id=station_id).filter(Q(end__isnull=True) | Q(end__gte=on))


def _successor_at(station_id: int, *, leaving: int) -> User | None:
    """Who takes the station over: the active officer whose open-ended period there began last (a tie: the
    later-made period), not the one leaving."""
    row = (
        StationAssignment.objects.filter(station_id=station_id, end__isnull=True, officer__is_active=True)
        .exclude(officer_id=leaving)
        .order_by("-start", "-pk")
        .select_related("officer")
        .first()
    )
    return row.officer if row else None


def _predecessors_at(station_id: int, *, arriving: int) -> list[User]:
    """Who left the station before ``arriving`` came: officers whose periods there have all ended; the one
    who left last, and any earlier one who still holds open cases of the station."""
    from cases.choices import Status
    from cases.models import Case

    still_there = StationAssignment.objects.filter(station_id=station_id, end__isnull=True).values("officer_id")
    gone = StationAssignment.objects.filter(station_id=station_id).exclude(officer_id=arriving)
    gone = gone.exclude(officer_id__in=still_there)
    # The ledger passes from the last to leave only when nobody else stayed: a second officer joining a
    # station that still has one takes over nothing.
    alone = not still_there.exclude(officer_id=arriving).exists()
    last = gone.order_by("-end", "-pk").values_list("officer_id", flat=True).first() if alone else None
    holders = (
        Case.objects.filter(station_id=station_id, officer_id__in=gone.values("officer_id"))
        .exclude(status=Status.CLOSED)
        .values_list("officer_id", flat=True)
    )
    ids = ({last} if last else set()) | set(holders)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def station_handover_after(
    assignment: StationAssignment, *, began: bool, ended: bool, by: User | None = None, now=None
) -> list[int]:
    """After ``assignment`` was saved: if it ended its officer's time at the station while another officer is
    stationed there, or began an officer's time after another's ended, hand the station over. The cases moved.

    It happens when the change is recorded, not on the end date: the cases carry their next officer's name
    from then on, and no sweep has to remember to move them later.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    pairs: list[tuple[User, User]] = []
    if ended:
        successor = _successor_at(assignment.station_id, leaving=assignment.officer_id)
        still = _stationed(assignment.station_id, on=today).filter(officer_id=assignment.officer_id, end__isnull=True)
        if successor is not None and not still.exists():
            pairs.append((assignment.officer, successor))
    elif began and assignment.officer.is_active:
        pairs += [
            (p, assignment.officer) for p in _predecessors_at(assignment.station_id, arriving=assignment.officer_id)
        ]
    moved: list[int] = []
    for predecessor, successor in pairs:
        moved += station_hand_over(
            station=assignment.station, predecessor=predecessor, successor=successor, by=by, now=now
        )
    return moved


@transaction.atomic
def station_hand_over(*, station: OrgUnit, predecessor: User, successor: User, by: User | None, now=None) -> list[int]:
    """The predecessor's open cases at ``station`` pass to the successor (each with a timeline event naming
    both); the ledger stays with the station, and one audit row says that it passed."""
    cases = cases_hand_over(officer=predecessor, successor=successor, by=by, station=station, now=now)
    audit_log(
        action="station_handover",
        user=by,
        obj=station,
        detail={
            "from": predecessor.pk,
            "to": successor.pk,
            "cases": [c.pk for c in cases],
            "households": Household.objects.filter(station=station).count(),
        },
    )
    return [c.pk for c in cases]


@transaction.atomic
def assignment_replace(
    *, assignment: StationAssignment, successor: User, on: datetime.date | None = None, by: User | None = None
) -> StationAssignment:
    """End ``assignment`` on ``on`` (today by default) and begin ``successor``'s period at the same station
    that day; the handover follows from the two saves."""
    on = on or timezone.localdate()
    if successor.pk == assignment.officer_id:
        raise ValidationError({"successor": _("An officer cannot hand over to themselves.")})
    if not successor.is_active or not successor.has_role(Role.OFFICER):
        raise ValidationError({"successor": _("%(name)s is not an active officer.") % {"name": successor}})
    if on < assignment.start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    new = StationAssignment(
        officer=successor, station=assignment.station, dispatching_unit_id=assignment.dispatching_unit_id, start=on
    )
    services.assignment_save(new, by=by, handover=False)
    assignment.end = on
    services.assignment_save(assignment, by=by)
    return new


# Who may deactivate whom (the admin's change form, and POST /api/v1/users/{id}/deactivate/).


def deactivation_scope(by: User, person: User) -> bool:
    """May ``by`` deactivate ``person``: admins anyone but themselves; a township's staff the officers whose
    work lies in their township alone. Anyone else is outside (the API answers 404)."""
    from accounts.scope import scope_of

    scope = scope_of(by)
    if person.pk == by.pk:
        return False
    if scope.everything:
        return True
    if not by.has_role(Role.TOWNSHIP_STAFF) or not person.has_role(Role.OFFICER):
        return False
    where = work_townships(person)
    return bool(where) and where <= set(scope.township_ids)


@transaction.atomic
def user_deactivate(*, person: User, successor: User | None, by: User, request=None) -> Handover:
    """Deactivate ``person``; one who holds stations or open cases needs a successor, and the handover and the
    deactivation happen together or not at all."""
    User.objects.select_for_update().filter(pk=person.pk).first()
    person.refresh_from_db(fields=["is_active"])
    if not person.is_active:
        raise ValidationError({"user": _("%(name)s is already deactivated.") % {"name": person}})
    held = officer_holdings(person)
    if held or successor is not None:
        if successor is None:
            raise ValidationError(
                {
                    "successor": _(
                        "%(name)s still holds %(cases)d open case(s) and %(assignments)d station assignment(s): "
                        "choose the officer who takes them over."
                    )
                    % {"name": person, "cases": held.open_cases, "assignments": held.assignments}
                }
            )
        return officer_handover(officer=person, successor=successor, by=by, request=request)
    person.is_active = False
    person.save(update_fields=["is_active"])
    audit_log(action="user_deactivate", user=by, obj=person, request=request)
    return Handover(cases=[], ended=[], started=[])
