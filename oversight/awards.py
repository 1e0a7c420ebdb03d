"""奔跑奖 / 蜗牛奖 as the city office's decisions (OVERSIGHT.md "Awards").

The proposal is read from the month's unit scores (oversight.scores): the units with at least
MIN_DISPATCHES dispatches in the month, the best three by score run, the worst three crawl, never one
unit in both. The city office confirms it as is or changes the lists with a written reason; the
confirmed lists are what the monthly report and the bulletin (通报) show.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_log
from cases.actions.base import ActionForbidden
from cases.services.core import now_or
from dashboards.rankings import AWARDED, MIN_DISPATCHES
from oversight.models import AwardDecision, AwardKind

KINDS = (AwardKind.RUNNING, AwardKind.SNAIL)


def candidates(score_rows: list[dict]) -> list[dict]:
    """The month's scored units that may be awarded (best first): enough dispatches, as in the rankings."""
    return [r for r in score_rows if r.get("dispatches", 0) >= MIN_DISPATCHES]


def proposal(score_rows: list[dict]) -> dict[str, list[int]]:
    """``{"running": [ids best first], "snail": [ids worst first]}``; with fewer than six units the snail
    award gets what the running award left."""
    ranked = [r["unit"]["id"] for r in candidates(score_rows)]
    running = ranked[:AWARDED]
    snail = list(reversed(ranked[max(AWARDED, len(ranked) - AWARDED) :]))
    return {AwardKind.RUNNING: running, AwardKind.SNAIL: snail}


def may_confirm(user) -> bool:
    return Role.CITY_OFFICE in user.role_names and user.org_unit is not None and user.org_unit.city_id is not None


def require_confirmer(user) -> None:
    if not may_confirm(user):
        raise ActionForbidden(_("Only the city office confirms the awards."))


def decisions(city_id: int, month: datetime.date) -> dict[str, AwardDecision]:
    return {d.kind: d for d in AwardDecision.objects.filter(city_id=city_id, month=month)}


def _check_lists(chosen: dict[str, list[int]], allowed: set[int]) -> None:
    errors = {}
    for kind in KINDS:
        units = chosen[kind]
        if len(units) != len(set(units)):
            errors[kind] = _("A unit is named twice.")
        elif len(units) > AWARDED:
            errors[kind] = _("At most %(n)s units.") % {"n": AWARDED}
        elif set(units) - allowed:
            errors[kind] = _("Only units scored this month with at least %(n)s dispatches may be named.") % {
                "n": MIN_DISPATCHES
            }
    if not errors and set(chosen[AwardKind.RUNNING]) & set(chosen[AwardKind.SNAIL]):
        errors[AwardKind.SNAIL] = _("A unit cannot have both awards.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def awards_confirm(
    *,
    by,
    month: datetime.date,
    score_rows: list[dict],
    chosen: dict[str, list[int]] | None = None,
    reason: str = "",
    now=None,
    request=None,
) -> dict[str, AwardDecision]:
    """Confirm the month's awards for the caller's city: ``chosen`` None keeps the proposal.

    A list other than the proposal, or a change to lists already confirmed, needs a reason; nothing is
    written when the input is refused. Each confirmation writes an audit row with what was there before.
    """
    require_confirmer(by)
    city_id = by.org_unit.city_id
    proposed = proposal(score_rows)
    chosen = {k: list(chosen[k]) for k in KINDS} if chosen is not None else proposed
    _check_lists(chosen, {r["unit"]["id"] for r in candidates(score_rows)})
    reason = (reason or "").strip()
    before = decisions(city_id, month)
    changed = chosen != proposed or any(before[k].units != chosen[k] for k in before)
    if changed and not reason:
        raise ValidationError({"reason": _("Say why the confirmed lists differ from the proposal or from the "
                                           "lists confirmed before.")})  # fmt: skip
    now = now_or(now)
    AwardDecision.objects.select_for_update().filter(city_id=city_id, month=month).exists()
    saved = {}
    for kind in KINDS:
        saved[kind], _created = AwardDecision.objects.update_or_create(
            city_id=city_id, month=month, kind=kind,
            defaults={"units": chosen[kind], "proposed": proposed[kind], "confirmed_by": by, "confirmed_at": now,
                      "reason": reason},
        )  # fmt: skip
    audit_log(action="awards_confirm", user=by, obj=saved[AwardKind.RUNNING], request=request,
              detail={"month": f"{month:%Y-%m}", "units": chosen, "proposed": proposed, "reason": reason,
                      "before": {k: d.units for k, d in before.items()}})  # fmt: skip
    return saved


def confirmed_lists(city_ids, month: datetime.date) -> dict | None:
    """``{"running": [units], "snail": [units], "reason"}`` as confirmed for the month (OrgUnit rows, in
    order), or None while the city office has not confirmed them."""
    from accounts.models import OrgUnit

    rows = list(AwardDecision.objects.filter(city_id__in=city_ids, month=month).order_by("city_id", "kind"))
    if not rows:
        return None
    ids = {u for d in rows for u in d.units}
    units = OrgUnit.objects.in_bulk(ids)
    lists = {kind: [] for kind in KINDS}
    for d in rows:
        lists[d.kind] += [units[u] for u in d.units if u in units]
    return {**lists, "reason": "；".join(sorted({d.reason for d in rows if d.reason})), "decisions": rows}
