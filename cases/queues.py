"""Each role's work queues on /cases/: the tabs, their filters and their counts."""

import functools
import operator
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scope import scope_of
from cases import permissions
from cases.actions import CaseAction
from cases.actions.definitions import (
    CALLBACK,
    DISPATCH,
    EXTENSION_DECISION,
    FEEDBACK,
    HOLD_DECISION,
    REPLY,
    REVIEW,
    SIGN,
    UNREASONABLE_DECISION,
)
from cases.choices import OPEN_STATUSES, Status
from cases.filters import CaseFilter, narrows, whole_scope_count
from cases.models import Case
from cases.overdue import held_now, overdue_now
from cases.selectors import cases_for_list, cases_visible_to
from core.api.pagination import counted as count_or_estimate


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    q: Q
    # Work waiting on someone: only open cases can match, so it is counted among them alone.
    open_only: bool = True
    # The action the queue's cases wait for, when it is one (its definition says where that is).
    action: CaseAction | None = None


OPEN = ~Q(status=Status.CLOSED)


def _redo_q() -> Q:
    """Closed within the redo window with an unsolved or unsatisfied answer since: the desk decides on a redo."""
    from cases.services.closing import REDO_WINDOW, UNHAPPY_SINCE_CLOSE

    return Q(status=Status.CLOSED, closed_at__gte=timezone.now() - REDO_WINDOW) & Q(UNHAPPY_SINCE_CLOSE)


def _waiting(key: str, label: Promise, action: CaseAction, role: str, user) -> Queue:
    """The cases on which ``user`` in ``role`` may take ``action`` now: from the action's definition."""
    return Queue(key, label, action.waiting_for(role) & permissions.relation_q(role, user), action=action)


def queues_for(user) -> list[Queue]:
    """The tabs of the user's roles, most urgent work first; "all" is always last."""
    unit = user.org_unit
    roles = user.role_names
    tabs: list[Queue] = []
    overdue = overdue_now()
    if Role.TOWNSHIP_STAFF in roles and unit and unit.township_id:
        desk = Role.TOWNSHIP_STAFF
        tabs += [
            _waiting("to_dispatch", _("To dispatch"), DISPATCH, desk, user),
            _waiting("to_review", _("To review"), REVIEW, desk, user),
            _waiting("to_call_back", _("To call back"), CALLBACK, desk, user),
            Queue(
                "to_redo",
                _("Unhappy residents (redo?)"),
                permissions.relation_q(desk, user) & _redo_q(),
                open_only=False,
            ),
            _waiting("extensions", _("Extension requests"), EXTENSION_DECISION, desk, user),
            Queue("overdue", _("Overdue"), permissions.relation_q(desk, user) & overdue),
            Queue("held", _("On hold (挂账)"), permissions.relation_q(desk, user) & held_now()),
        ]
    if Role.UNIT_HANDLER in roles and unit:
        tabs += [
            _waiting("to_sign", _("To sign for"), SIGN, Role.UNIT_HANDLER, user),
            _waiting("in_progress", _("In progress"), REPLY, Role.UNIT_HANDLER, user),
        ]
    if Role.OFFICER in roles:
        tabs += [
            Queue("mine", _("Raised by me"), permissions.relation_q(Role.OFFICER, user), open_only=False),
            _waiting("to_feed_back", _("To give feedback"), FEEDBACK, Role.OFFICER, user),
        ]
    if Role.CITY_OFFICE in roles and unit and unit.city_id:
        office = Role.CITY_OFFICE
        city = permissions.relation_q(office, user)
        tabs += [
            _waiting("city_to_dispatch", _("City: to dispatch"), DISPATCH, office, user),
            _waiting("city_to_review", _("City: to review"), REVIEW, office, user),
            _waiting("city_extensions", _("Extension requests"), EXTENSION_DECISION, office, user),
            Queue("city_supervised", _("Supervised"), city & OPEN & Q(supervised=True)),
            Queue("city_overdue", _("City: overdue"), city & overdue),
            _waiting("city_hold_requests", _("Hold requests"), HOLD_DECISION, office, user),
            Queue("city_held", _("On hold (挂账)"), city & held_now()),
            _waiting("city_unreasonable", _("Unreasonable requests"), UNREASONABLE_DECISION, office, user),
        ]
    tabs.append(Queue("all", _("All"), Q(), open_only=False))
    return tabs


def tab_counts(
    user, tabs: list[Queue], cases: QuerySet[Case], *, estimated: set | None = None, known_all: int | None = None
) -> dict[str, int]:
    """Every tab's count among ``cases`` (the caller's scope, narrowed by the list's filters).

    One aggregate over a whole scope reads every row of it: 300 ms for a city
    of 335,000 cases, 28 ms for the 5,473 cases ever dispatched to a
    province's busiest unit (reached through the dispatches one at a time).
    So a tab is counted only among the rows it can hold, which an index finds:
    for a township or a city its work queues among the open cases (the status
    index), and otherwise, and for the tabs that also hold closed cases (the
    redo queue), among the rows some such tab's own condition selects (a
    unit's open cases). "All" is a plain COUNT(*) that the scope's indexes
    answer without reading rows, unless the caller knows it (``known_all``:
    cases.filters.whole_scope_count); for a city that still reads its
    index entries one by one, so there it is the database's estimate when
    core.api.pagination.counted says so, and its key is added to ``estimated``.
    """
    scope = scope_of(user)
    counts: dict[str, int] = {}
    among_own_rows = [t for t in tabs if t.q]
    if scope.everything or scope.city_ids or scope.township_ids:
        work = {t.key: Count("pk", filter=t.q) for t in tabs if t.open_only}
        counts = cases.filter(status__in=sorted(OPEN_STATUSES)).aggregate(**work) if work else {}
        among_own_rows = [t for t in among_own_rows if not t.open_only]
    for tab in (t for t in tabs if not t.q):  # "all": the scope as filtered
        counts[tab.key], estimate = (known_all, False) if known_all is not None else count_or_estimate(cases, user=user)
        if estimate and estimated is not None:
            estimated.add(tab.key)
    if not among_own_rows:
        return counts
    either = functools.reduce(operator.or_, (t.q for t in among_own_rows))
    return counts | cases.filter(either).aggregate(**{t.key: Count("pk", filter=t.q) for t in among_own_rows})


@dataclass
class Listing:
    """One view of the case list: the caller's tabs, the chosen one, the filters and what they leave."""

    tabs: list[Queue]
    tab: Queue
    filters: CaseFilter
    counts: dict[str, int]
    cases: QuerySet[Case]  # the chosen tab's rows, filtered and ordered, list joins included
    estimated: frozenset[str] = frozenset()  # the tabs whose count is the database's estimate

    @property
    def invalid(self) -> bool:
        return self.filters.is_bound and not self.filters.is_valid()

    @property
    def count(self) -> int:
        return self.counts[self.tab.key]

    @property
    def count_is_estimate(self) -> bool:
        return self.tab.key in self.estimated


def case_listing(user, params, *, request=None, counted: bool = True) -> Listing:
    """The case list for ``user`` with ``params`` (tab, filters, ordering): the page, its tab counts
    and the spreadsheet export all read it, so each shows the rows the others count.

    A filter it cannot read leaves an empty list with the filter's error, never every case.
    ``counted=False`` skips the tab counts (a caller that has them already).
    """
    tabs = queues_for(user)
    tab = next((t for t in tabs if t.key == params.get("tab")), tabs[0])
    request = request or SimpleNamespace(user=user)
    bound = narrows(params)
    filters = CaseFilter(params if bound else None, queryset=cases_visible_to(user), request=request)
    estimated: set[str] = set()
    if filters.is_bound and not filters.is_valid():
        cases = filters.queryset.none()
        counts = dict.fromkeys((t.key for t in tabs), 0)
    else:
        cases = filters.qs
        counts = {}
        if counted:
            known_all = whole_scope_count(user, params)
            counts = tab_counts(user, tabs, cases.order_by(), estimated=estimated, known_all=known_all)
    rows = cases_for_list(cases.filter(tab.q))
    if tab.open_only and not params.get("ordering"):
        # Work waits on a deadline: the one that runs out first comes first, the overdue at the top.
        rows = rows.order_by(F("due_at").asc(nulls_last=True), "id")
    return Listing(tabs=tabs, tab=tab, filters=filters, counts=counts, cases=rows, estimated=frozenset(estimated))
