"""考核: a month's score per responsible unit or per township (OVERSIGHT.md "Scores").

Reads only. The indicator values are the metrics engine's (dashboards.rankings.unit_figures, the
path the rankings take), counted over every case but those ``left_out_of_scores`` names; the deductions are counted
here, over the same cases. Score = Σ weight × value (0 under the indicator's threshold) − deductions,
clamped to 0..100 and rounded to one decimal.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from accounts.models import OrgUnit
from cases.models import Case, Dispatch, Hold, Unreasonable
from cases.overdue import held_now
from cases.selectors import unreasonable_approved
from dashboards.facts import day_start
from dashboards.rankings import unit_figures
from dashboards.selection import CASE_FIELDS, DISPATCH_FIELDS, Selection
from oversight.models import INDICATORS, AppealDecision, ScoreAppeal, ScoreSettings, SupervisionOrder

KINDS = ("unit", "township")
DEDUCTIONS = ("overdue_orders", "wrong_returns")


def left_out_of_scores(period: tuple[datetime.date, datetime.date] | None = None, kind: str = "unit") -> list[int]:
    """The ids of the cases a score does not count: EVERY exclusion of a case from the scores is made here.

    挂账: a case on hold is neither overdue nor on time (OVERSIGHT.md, METRICS.md), so while it is held
    it leaves the score altogether — its dispatches, its callbacks and the deductions on it.
    不合理诉求: a request the city office found unreasonable leaves the unit's score the same way (it stays in
    the volumes, which do not read this function).
    申诉: a case whose appeal the city office upheld leaves the units' scores of the appealed month (``period``,
    the scored dates); a township did not appeal, so its score keeps the case. Scores are computed on read,
    so an upheld appeal "recomputes" every later read.

    Each part starts from its own short table (holds, claims, appeals) and the parts are joined by UNION in
    one query: the few ids come back without a look at every case, and every count of the score then finds
    their rows by index.
    """
    held = Case.objects.filter(held_now(), pk__in=Hold.objects.values("case_id")).values_list("pk")
    unreasonable = Case.objects.filter(unreasonable_approved(), pk__in=Unreasonable.objects.values("case_id"))
    parts = [held.order_by(), unreasonable.values_list("pk").order_by()]
    if period is not None and kind == "unit":
        upheld = ScoreAppeal.objects.filter(
            decision=AppealDecision.UPHELD, month__gte=period[0].replace(day=1), month__lte=period[1]
        )
        parts.append(upheld.values_list("case_id").order_by())
    return sorted({pk for (pk,) in parts[0].union(*parts[1:])})


def _month(sel: Selection) -> tuple[datetime.datetime, datetime.datetime]:
    return day_start(sel.date_from), day_start(sel.date_to + datetime.timedelta(days=1))


def overdue_orders(sel: Selection, kind: str) -> dict[int, int]:
    """Overdue 督办单 due in the period, per unit the order was sent to (or the case's township)."""
    column = "unit_id" if kind == "unit" else "case__township_id"
    orders = SupervisionOrder.objects.filter(
        overdue=True, reply_by__gte=sel.date_from, reply_by__lte=sel.date_to,
        case__in=Case.objects.filter(sel.q(CASE_FIELDS)).values("pk"),
    )  # fmt: skip
    return dict(orders.values_list(column).annotate(n=Count("id")).order_by())


def wrong_returns(sel: Selection, kind: str) -> dict[int, int]:
    """退单不当: returns made in the period after which the desk sent the case to the same unit again."""
    start, end = _month(sel)
    again = Dispatch.objects.filter(
        case=OuterRef("case"), unit=OuterRef("unit"), dispatched_at__gt=OuterRef("returned_at")
    )
    returns = (
        Dispatch.objects.filter(returned_at__gte=start, returned_at__lt=end)
        .filter(sel.q(DISPATCH_FIELDS))
        .filter(Exists(again))
    )
    column = "unit_id" if kind == "unit" else "case__township_id"
    return dict(returns.values_list(column).annotate(n=Count("id")).order_by())


@dataclass(frozen=True)
class Counted:
    """What one unit's score is made of, before the settings weigh it."""

    values: dict[str, float | None]
    overdue_orders: int = 0
    wrong_returns: int = 0


def grade_of(score: float, settings: ScoreSettings) -> str:
    if score >= float(settings.grade_a):
        return "A"
    return "B" if score >= float(settings.grade_b) else "C"


def score_of(counted: Counted, settings: ScoreSettings) -> dict:
    """``{score, grade, components, deductions}`` of one unit.

    An indicator with nothing to measure (a rate whose denominator is 0, METRICS.md) has no points and
    its weight is shared by the measured ones: a unit no resident was called back about is neither
    given nor refused the satisfaction points.
    """
    components, earned, measured = {}, 0.0, 0
    for key in INDICATORS:
        value, weight = counted.values.get(key), settings.weight(key)
        if value is None:
            points = None
        else:
            points = 0.0 if value * 100 < float(settings.threshold(key)) else round(weight * value, 2)
            earned, measured = earned + points, measured + weight
        components[key] = {"value": value, "points": points, "weight": weight}
    base = earned * 100 / measured if measured else 0.0
    deductions = {
        "overdue_orders": {"count": counted.overdue_orders,
                           "points": float(settings.per_overdue_order) * counted.overdue_orders},
        "wrong_returns": {"count": counted.wrong_returns,
                          "points": float(settings.per_wrong_return) * counted.wrong_returns},
    }  # fmt: skip
    off = sum(d["points"] for d in deductions.values())
    score = round(min(100.0, max(0.0, base - off)), 1)
    return {"score": score, "grade": grade_of(score, settings), "components": components, "deductions": deductions}


def scores(sel: Selection, kind: str, settings: ScoreSettings | None = None) -> list[dict]:
    """Rows ``{unit: {id, label}, score, grade, components, deductions}`` of the period, best first.

    ``kind`` is "unit" (responsible units) or "township". A unit is scored when at least one weighted
    indicator could be measured in the period. A constant number of queries, however many units.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    settings = settings or ScoreSettings.current()
    period = (sel.date_from, sel.date_to)
    scored = sel.narrowed(left_out=left_out_of_scores(period, kind))
    figures = unit_figures(scored, by=kind, extras=False)
    orders, returns = overdue_orders(scored, kind), wrong_returns(scored, kind)
    measured = [(key, f) for key, f in figures if any(f[i] is not None and settings.weight(i) > 0 for i in INDICATORS)]
    labels = dict(OrgUnit.objects.filter(pk__in=[k for k, _ in measured]).values_list("pk", "label"))
    rows = []
    for key, f in measured:
        counted = Counted({i: f[i] for i in INDICATORS}, orders.get(key, 0), returns.get(key, 0))
        rows.append({"unit": {"id": key, "label": labels.get(key, "")}, "dispatches": f["dispatches"] or 0,
                     **score_of(counted, settings)})  # fmt: skip
    rows.sort(key=lambda r: (-r["score"], r["unit"]["label"], r["unit"]["id"]))
    return rows
