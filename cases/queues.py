"""Each role's work queues on /cases/: the tabs, their filters and their counts."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.scope import scope_of
from cases.choices import OPEN_STATUSES, Level, Status
from cases.filters import CaseFilter
from cases.models import Case, Extension
from cases.overdue import overdue_now
from cases.selectors import cases_for_list, cases_visible_to


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


def tab_counts(user, tabs: list[Queue], cases: QuerySet[Case]) -> dict[str, int]:
    """Every tab's count among ``cases`` (the caller's scope, narrowed by the list's filters).

    A township's or a city's scope holds tens of thousands of cases, and one
    aggregate over all of them read every row (300 ms for a city of 335,000).
    There the work queues are counted among open cases only, which the status
    index finds directly, and "all" is a plain COUNT(*) that the scope's index
    answers without reading rows. A unit's or an officer's scope is small: one
    pass over it is cheaper than two.
    """
    scope = scope_of(user)
    if not (scope.everything or scope.city_ids or scope.township_ids):
        return cases.aggregate(**{t.key: Count("pk", filter=t.q) for t in tabs})
    work = {t.key: Count("pk", filter=t.q) for t in tabs if t.open_only}
    rest = {t.key: Count("pk", filter=t.q) if t.q else Count("*") for t in tabs if not t.open_only}
    counts = cases.filter(status__in=sorted(OPEN_STATUSES)).aggregate(**work) if work else {}
    return counts | (cases.aggregate(**rest) if rest else {})


@dataclass
class Listing:
    """One view of the case list: the caller's tabs, the chosen one, the filters and what they leave."""

    tabs: list[Queue]
    tab: Queue
    filters: CaseFilter
    counts: dict[str, int]
    cases: QuerySet[Case]  # the chosen tab's rows, filtered and ordered, list joins included

    @property
    def invalid(self) -> bool:
        return self.filters.is_bound and not self.filters.is_valid()

    @property
    def count(self) -> int:
        return self.counts[self.tab.key]


def case_listing(user, params, *, request=None) -> Listing:
    """The case list for ``user`` with ``params`` (tab, filters, ordering): the page, its tab counts
    and the spreadsheet export all read it, so each shows the rows the others count.

    A filter it cannot read leaves an empty list with the filter's error, never every case.
    """
    tabs = queues_for(user)
    tab = next((t for t in tabs if t.key == params.get("tab")), tabs[0])
    request = request or SimpleNamespace(user=user)
    bound = any(params.get(name) not in (None, "") for name in CaseFilter.base_filters)
    filters = CaseFilter(params if bound else None, queryset=cases_visible_to(user), request=request)
    if filters.is_bound and not filters.is_valid():
        cases = filters.queryset.none()
        counts = dict.fromkeys((t.key for t in tabs), 0)
    else:
        cases = filters.qs
        counts = tab_counts(user, tabs, cases.order_by())
    return Listing(tabs=tabs, tab=tab, filters=filters, counts=counts, cases=cases_for_list(cases.filter(tab.q)))
