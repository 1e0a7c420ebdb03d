"""Which unit a case waiting for dispatch should go to (DOMAIN.md "Categories and routing").

A rule matches a case when its level is the case's level, its category is
the case's category (or that category's parent), and its difficulty and
township are either the case's or empty. The most specific rule wins:
exact category before parent, then a township rule before a city-wide
one, then an exact difficulty before "any".
"""

from collections.abc import Iterable

from django.db.models import Q

from cases.choices import Status
from cases.models import Case, RoutingRule
from core import tablecache


def _rank(rule: RoutingRule, case: Case) -> tuple[int, int, int]:
    return (rule.category_id == case.category_id, rule.township_id is not None, rule.difficulty != "")


def _matches(rule: RoutingRule, case: Case, parent_id: int | None) -> bool:
    return (
        rule.level == case.level
        and rule.category_id in (case.category_id, parent_id)
        and rule.difficulty in ("", case.difficulty)
        and rule.township_id in (None, case.township_id)
    )


def _candidates(cases: list[Case]) -> list[RoutingRule]:
    category_ids = {c.category_id for c in cases} | {c.category.parent_id for c in cases if c.category.parent_id}
    return list(
        RoutingRule.objects.filter(is_active=True, unit__is_active=True, category_id__in=category_ids)
        .filter(Q(township__isnull=True) | Q(township_id__in={c.township_id for c in cases}))
        .select_related("unit")
    )


def rules_for(cases: Iterable[Case]) -> dict[int, RoutingRule]:
    """The best matching rule of each case waiting for dispatch, in one query for all of them.

    Callers pass cases with ``category`` loaded (select_related) so the
    parent category costs nothing.
    """
    waiting = [c for c in cases if c.status == Status.PENDING_DISPATCH]
    if not waiting:
        return {}
    rules = _candidates(waiting)
    best: dict[int, RoutingRule] = {}
    for case in waiting:
        parent_id = case.category.parent_id
        matching = [r for r in rules if _matches(r, case, parent_id)]
        if matching:
            best[case.pk] = max(matching, key=lambda r: (_rank(r, case), -r.pk))
    return best


def auto_dispatch_categories() -> frozenset[int]:
    """Categories named by some active automatic rule. A case whose category (and parent) is not among
    them cannot have an automatic best rule, so raising it needs no look at the rules at all."""
    return tablecache.cached(
        "auto_dispatch",
        lambda: frozenset(
            RoutingRule.objects.filter(is_active=True, auto_dispatch=True).values_list("category_id", flat=True)
        ),
    )


tablecache.invalidated_by("auto_dispatch", RoutingRule)


def rule_for(case: Case) -> RoutingRule | None:
    return rules_for([case]).get(case.pk)


def suggested_unit(case: Case):
    rule = rule_for(case)
    return rule.unit if rule else None
