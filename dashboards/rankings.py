"""奔跑奖 / 蜗牛奖: the monthly ranking of responsible units (METRICS.md)."""

from django.utils.translation import gettext_lazy

from accounts.models import OrgUnit
from dashboards.metrics import Metrics
from dashboards.selection import Selection
from dashboards.tables import Row, Table, figure_links

MIN_DISPATCHES = 5
AWARDED = 3
RANK_COLUMNS = ("rank", "dispatches", "on_time_rate", "avg_handle_hours", "return_rate", "response_rate")


def _last_if_none(value, reverse: bool = False):
    # None (nothing to measure) ranks after every measured value.
    if value is None:
        return (1, 0)
    return (0, -value if reverse else value)


def unit_figures(sel: Selection, by: str = "unit", *, extras: bool = True) -> list[tuple[int, dict]]:
    """(unit id, case figures) of each responsible unit (or township, ``by="township"``) the selection
    touches: what the rankings and the monthly scores (oversight.scores) both read. ``extras=False``
    skips the figures of the moment (overdue and held now), which a past month's score does not read."""
    return [(key, f) for key, f in Metrics(sel).breakdown(by, diaries=False, extras=extras) if key is not None]


def rankings(sel: Selection) -> dict:
    """``{"running", "snail", "all"}`` for the units in the caller's area with enough dispatches in the period.

    Ranked by on-time rate (high first), then average handling hours (low
    first), then return rate (low first), then unit name. A unit is never in
    both awards: with fewer than six units the snail award gets the rest.
    """
    groups = [(unit, f) for unit, f in unit_figures(sel) if (f["dispatches"] or 0) >= MIN_DISPATCHES]
    names = dict(OrgUnit.objects.filter(pk__in=[u for u, _ in groups]).values_list("pk", "label"))
    ordered = sorted(
        groups,
        key=lambda g: (
            _last_if_none(g[1]["on_time_rate"], reverse=True),
            _last_if_none(g[1]["avg_handle_hours"]),
            _last_if_none(g[1]["return_rate"]),
            names.get(g[0], ""),
            g[0],
        ),
    )
    ranked = [
        {"rank": i, "unit": unit, "name": names.get(unit, ""), **{k: f[k] for k in RANK_COLUMNS if k != "rank"}}
        for i, (unit, f) in enumerate(ordered, start=1)
    ]
    running = ranked[:AWARDED]
    snail = list(reversed(ranked[max(AWARDED, len(ranked) - AWARDED) :]))
    return {"running": running, "snail": snail, "all": ranked}


def ranking_table(sel: Selection, ranked: dict | None = None) -> Table:
    ranked = ranked or rankings(sel)
    rows = [
        Row(key=r["unit"], label=r["name"], figures=r, links=figure_links(sel, unit=r["unit"])) for r in ranked["all"]
    ]
    return Table(kind="rankings", title=str(gettext_lazy("Unit rankings")), columns=RANK_COLUMNS, rows=rows)
