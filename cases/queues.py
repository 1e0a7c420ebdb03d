"""Each role's work queues on /cases/: the tabs, their filters and their counts."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scope import scope_of
from cases.choices import OPEN_STATUSES, Level, Status
from cases.models import Extension
from cases.overdue import overdue_now
from cases.selectors import cases_visible_to


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    q: Q
    # Work waiting on someone: only open cases can match, so it is counted among them alone.
    open_only: bool = True


OPEN = ~Q(status=Status.CLOSED)


def queues_for(user) -> list[Queue]:
    """The tabs of the user's roles, most urgent work first; "all" is always last."""
    unit = user.org_unit
    roles = user.role_names
    tabs: list[Queue] = []
    overdue = overdue_now()
    if Role.TOWNSHIP_STAFF in roles and unit and unit.township_id:
        mine = Q(township_id=unit.township_id)
        tabs += [
            Queue("to_dispatch", _("To dispatch"), mine & Q(level=Level.TOWNSHIP, status=Status.PENDING_DISPATCH)),
            Queue("to_review", _("To review"), mine & Q(level=Level.TOWNSHIP, status=Status.PENDING_REVIEW)),
            Queue("to_call_back", _("To call back"), mine & Q(status=Status.PENDING_CALLBACK)),
            Queue("overdue", _("Overdue"), mine & overdue),
        ]
    if Role.UNIT_HANDLER in roles and unit:
        held = Q(unit_id=unit.pk)
        tabs += [
            Queue("to_sign", _("To sign for"), held & Q(status=Status.PENDING_SIGN)),
            Queue("in_progress", _("In progress"), held & Q(status=Status.IN_PROGRESS)),
        ]
    if Role.OFFICER in roles:
        tabs += [
            Queue("mine", _("Raised by me"), Q(officer_id=user.pk), open_only=False),
            Queue("to_feed_back", _("To give feedback"), Q(officer_id=user.pk, status=Status.PENDING_FEEDBACK)),
        ]
    if Role.CITY_OFFICE in roles and unit and unit.city_id:
        city = Q(city_id=unit.city_id)
        pending = Exists(Extension.objects.filter(case=OuterRef("pk"), decision=Extension.Decision.PENDING))
        tabs += [
            Queue(
                "city_to_dispatch", _("City: to dispatch"), city & Q(level=Level.CITY, status=Status.PENDING_DISPATCH)
            ),
            Queue("city_to_review", _("City: to review"), city & Q(level=Level.CITY, status=Status.PENDING_REVIEW)),
            Queue("city_extensions", _("Extension requests"), city & Q(status=Status.IN_PROGRESS) & pending),
            Queue("city_supervised", _("Supervised"), city & OPEN & Q(supervised=True)),
            Queue("city_overdue", _("City: overdue"), city & overdue),
        ]
    tabs.append(Queue("all", _("All"), Q(), open_only=False))
    return tabs


def queue_counts(user, tabs: list[Queue]) -> dict[str, int]:
    """Every tab's count over the user's scope.

    A township's or a city's scope holds tens of thousands of cases, and one
    aggregate over all of them read every row (300 ms for a city of 335,000).
    There the work queues are counted among open cases only, which the status
    index finds directly, and "all" is a plain COUNT(*) that the scope's index
    answers without reading rows. A unit's or an officer's scope is small: one
    pass over it is cheaper than two.
    """
    visible = cases_visible_to(user)
    scope = scope_of(user)
    if not (scope.everything or scope.city_ids or scope.township_ids):
        return visible.aggregate(**{t.key: Count("pk", filter=t.q) for t in tabs})
    work = {t.key: Count("pk", filter=t.q) for t in tabs if t.open_only}
    rest = {t.key: Count("pk", filter=t.q) if t.q else Count("*") for t in tabs if not t.open_only}
    counts = visible.filter(status__in=sorted(OPEN_STATUSES)).aggregate(**work) if work else {}
    return counts | (visible.aggregate(**rest) if rest else {})
