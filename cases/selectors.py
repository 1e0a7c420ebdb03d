"""Reads of cases; every list, detail, count, dashboard and export starts from cases_visible_to."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects

from accounts.models import RESPONSIBLE_KINDS, TOWNSHIP_KINDS, OrgUnit, StationAssignment
from accounts.scope import Scope, scope_of
from cases.choices import Level, Status
from cases.models import Case, CaseEvent, Category, Dispatch, Extension, Hold, Instruction, Unreasonable
from cases.overdue import is_overdue


def categories_active() -> QuerySet[Category]:
    """Categories are shared reference data: every signed-in user may read them."""
    return Category.objects.filter(is_active=True).select_related("parent").order_by("sort_order", "code")


def cases_visible_to(user) -> QuerySet[Case]:
    """DOMAIN.md's scope for cases: every list, detail and export starts here."""
    scope = scope_of(user)
    if scope.everything:
        return Case.objects.all()
    return Case.objects.filter(case_scope_q(scope, station_ids=officer_station_ids(user)))


def case_scope_q(scope: Scope, prefix: str = "", *, station_ids=()) -> Q:
    """The one rule of which cases a scope sees, as a condition on a case reached through ``prefix``
    (``""`` on cases, ``"case__"`` on dispatches and callbacks): lists and figures share it."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.city_ids:
        q |= Q(**{f"{prefix}city_id__in": scope.city_ids})
    if scope.township_ids:
        q |= Q(**{f"{prefix}township_id__in": scope.township_ids})
    if scope.unit_ids:
        outer = OuterRef(f"{prefix[:-2]}_id" if prefix else "pk")
        q |= Exists(unit_case_ids(scope.unit_ids).filter(case=outer))
    if scope.officer_id:
        # The station ids as values, not a subquery: "officer = x OR station IN (subquery)" makes
        # PostgreSQL read every case (160 ms at a million); with values it ORs two index scans (<1 ms).
        q |= Q(**{f"{prefix}officer_id": scope.officer_id}) | Q(**{f"{prefix}station_id__in": list(station_ids)})
    return q


def unit_case_ids(unit_ids) -> QuerySet:
    """The cases a unit sees: those ever dispatched to it, including ones since returned (as case_id rows)."""
    return Dispatch.objects.filter(unit_id__in=unit_ids).values("case_id")


def count_visible(user) -> int | None:
    """How many cases ``user`` sees, where an index alone answers it; None where it does not.

    A unit's cases counted through the cases table probe it once per case
    (11 ms for the 5,473 of a province's busiest unit); their ids in the
    dispatches' (unit, case) index count without reading a case (1.5 ms).
    """
    scope = scope_of(user)
    if scope.units_only:
        return unit_case_ids(scope.unit_ids).distinct().count()
    return None


def dispatch_scope_q(scope: Scope, *, station_ids=()) -> Q:
    """Dispatches a scope's figures count: those of the cases it sees, and for a unit only its own
    (a case it returned may have gone on to another unit, whose response is not the unit's)."""
    q = case_scope_q(scope, "case__", station_ids=station_ids)
    if scope.units_only:
        q &= Q(unit_id__in=scope.unit_ids)
    return q


def officer_station_ids(user) -> list[int]:
    """The officer's stations, looked up once per request (a page asks for the scope more than once)."""
    scope = scope_of(user)
    if not scope.officer_id:
        return []
    cached = getattr(user, "_station_ids", None)
    if cached is None:
        rows = StationAssignment.objects.filter(officer_id=scope.officer_id).values_list("station_id", flat=True)
        cached = user._station_ids = sorted(set(rows))
    return cached


def officer_open_cases(officer) -> QuerySet[Case]:
    """Open cases the officer raised: theirs to tell the resident about (cases.permissions keys the
    feedback on ``Case.officer``), and what passes to a successor when they leave."""
    return Case.objects.filter(officer=officer).exclude(status=Status.CLOSED)


def cases_for_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, joined in one query (the parent category names the category);
    ``is_overdue`` is METRICS.md's predicate, not the sweep's stored flag."""
    return cases.select_related("category__parent", "township", "station", "unit", "officer").annotate(
        is_overdue=is_overdue()
    )


def instruction_flags() -> dict:
    """Annotations read with the case row: whether it has instructions (批示) at all, and whether one
    waits for its report. Most cases have none, so their detail skips the list's query."""
    instructions = Instruction.objects.filter(case=OuterRef("pk"))
    return {
        "has_instructions": Exists(instructions),
        "instruction_open": Exists(instructions.filter(carried_out_at__isnull=True)),
    }


def unreasonable_approved(case_ref: str = "pk") -> Exists:
    """Whether the city office found the case's request unreasonable (不合理诉求 approved): the one definition
    the scores use to leave such cases out (``.exclude(unreasonable_approved())`` on cases, or
    ``unreasonable_approved("case_id")`` on rows that point at one). The volumes keep them."""
    approved = Unreasonable.objects.filter(case=OuterRef(case_ref), decision=Unreasonable.Decision.APPROVED)
    return Exists(approved)


def unreasonable_flag() -> dict:
    """The case's open 不合理诉求 claim read with its row: ``"pending"``, ``"approved"`` or None.
    The actions offered and the case page's facts depend on it."""
    open_claims = Unreasonable.objects.filter(
        case=OuterRef("pk"), decision__in=[Unreasonable.Decision.PENDING, Unreasonable.Decision.APPROVED]
    )
    return {"unreasonable_state": Subquery(open_claims.values("decision")[:1])}


def _detail_lists(names=("assisting_units", "extensions", "instructions")) -> list:
    lists = {
        "assisting_units": "assisting_units",
        "extensions": Prefetch("extensions", queryset=Extension.objects.order_by("id")),
        "instructions": Prefetch(
            "instructions", queryset=Instruction.objects.select_related("author", "carried_out_by").order_by("id")
        ),
    }
    return [lists[name] for name in names]


def case_for_detail(user, pk: int) -> Case:
    """One case as its page and the API show it: the list row's joins, its assisting units and extensions,
    and its instructions when the row says it has any."""
    # Whether a hold waits for the city office: the actions offered depend on it (cases.actions).
    pending = Exists(Hold.objects.filter(case=OuterRef("pk"), decision=Hold.Decision.PENDING))
    case = (
        cases_for_list(cases_visible_to(user))
        .annotate(hold_pending=pending, **instruction_flags(), **unreasonable_flag())
        .prefetch_related(*_detail_lists(("assisting_units", "extensions")))
        .get(pk=pk)
    )
    _instructions_of(case)
    return case


def _instructions_of(case: Case) -> None:
    if case.has_instructions:
        prefetch_related_objects([case], *_detail_lists(("instructions",)))
    else:
        case._prefetched_objects_cache = {**getattr(case, "_prefetched_objects_cache", {}), "instructions": []}


def case_detail_lists(case: Case) -> None:
    """The detail's lists for a case an action just wrote: only those the locked row said exist
    (``has_assisting`` / ``has_extensions`` / ``has_instructions``, read by CaseAction.lock and kept true
    by the services); the others are empty without a query."""
    there = {
        "assisting_units": case.has_assisting,
        "extensions": case.has_extensions,
        "instructions": getattr(case, "has_instructions", True),
    }
    cache = getattr(case, "_prefetched_objects_cache", {})
    case._prefetched_objects_cache = {**cache, **{name: [] for name, found in there.items() if not found}}
    prefetch_related_objects([case], *_detail_lists([name for name, found in there.items() if found]))


def dispatchable_units(case: Case) -> QuerySet[OrgUnit]:
    """Units a case may be handed to: responsible units of its city, either city-wide
    (departments, dispatching and co-building units) or inside its own township.
    The city loop may also hand a case down to the township itself."""
    kinds = set(RESPONSIBLE_KINDS)
    if case.level != Level.CITY:
        kinds -= TOWNSHIP_KINDS
    return (
        OrgUnit.objects.filter(is_active=True, kind__in=kinds, city_id=case.city_id)
        .filter(Q(township__isnull=True) | Q(township_id=case.township_id))
        .order_by("township_id", "sort_order", "code")
    )


def may_dispatch_to(case: Case, unit: OrgUnit) -> bool:
    """``dispatchable_units(case)`` asked of a unit already loaded: the same rules, without a query."""
    kinds = set(RESPONSIBLE_KINDS)
    if case.level != Level.CITY:
        kinds -= TOWNSHIP_KINDS
    return (
        unit.is_active
        and unit.kind in kinds
        and unit.city_id == case.city_id
        and unit.township_id in (None, case.township_id)
    )


def station_backer_id(case: Case) -> int | None:
    """The dispatching unit (派出单位) that stationed the case's officer where it was raised: it backs the case."""
    if not (case.station_id and case.officer_id):
        return None
    return (
        StationAssignment.objects.filter(station_id=case.station_id, officer_id=case.officer_id)
        .order_by("-start")
        .values_list("dispatching_unit_id", flat=True)
        .first()
    )


def case_events(case: Case) -> QuerySet[CaseEvent]:
    """The timeline, oldest first."""
    return case.events.select_related("actor", "unit").order_by("created_at", "id")
