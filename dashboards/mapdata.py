"""一张图: one figure per township of a Selection, the outlines, located visits and cases, and hotspot pins.

Figures come from the metrics engine grouped by township in one pass (the
overview's township table reads the same grouping), so the number of queries
does not grow with the number of townships.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases.models import Case
from dashboards import facts
from dashboards.forms import townships_for
from dashboards.metrics import Metrics, empty_figures
from dashboards.models import HotspotCase, HotspotKind, TownshipBoundary
from dashboards.selection import CASE_FIELDS, DIARY_FIELDS, Selection
from dashboards.selectors import hotspots_visible_to
from dashboards.tables import LABELS, RATE_KEYS, base_params, figure_links
from diaries.models import DiaryEntry

# The map's figure → the engine's key (METRICS.md).
FIGURES = {
    "cases": "raised",
    "overdue": "overdue_open",
    "closure_rate": "completion_rate",
    "satisfaction_rate": "satisfaction_rate",
    "coverage_rate": "coverage_rate",
}
FIGURE_LABELS = {
    "cases": gettext_lazy("Cases raised"),
    "overdue": gettext_lazy("Overdue and not closed"),
    "closure_rate": gettext_lazy("Completion rate (办结率)"),
    "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "coverage_rate": gettext_lazy("Visit coverage rate"),
}
# What a township's panel shows beside the chosen figure.
PANEL_KEYS = ("raised", "closed", "completion_rate", "satisfaction_rate", "overdue_open")
POINT_CAP = 2000


@dataclass
class TownshipFigure:
    id: int
    name: str
    code: str
    value: float | int | None
    figures: dict
    dashboard_url: str
    list_url: str


def shown_townships(user, sel: Selection):
    units = townships_for(user, sel.area)
    if sel.township_id is not None:
        units = units.filter(pk=sel.township_id)
    return units.order_by("sort_order", "code")


def township_figures(user, sel: Selection, figure: str, params: dict) -> list[TownshipFigure]:
    """The figure for every township the caller sees (zeros and no rate where nothing was counted)."""
    key = FIGURES[figure]
    groups = Metrics(sel).collect("township", diaries=False)
    empty = empty_figures(diaries=False)
    dashboard = reverse("dashboards:overview")
    out = []
    for pk, name, code in shown_townships(user, sel).values_list("pk", "name", "code"):
        group = groups.get(pk)
        figures = group.figures() if group is not None else empty
        links = figure_links(sel, township=pk)
        query = urlencode(
            {k: v for k, v in {**params, "township": pk}.items() if v not in (None, "") and k != "figure"}
        )
        out.append(
            TownshipFigure(
                id=pk, name=name, code=code, value=figures.get(key),
                figures={k: figures.get(k) for k in PANEL_KEYS},
                dashboard_url=f"{dashboard}?{query}", list_url=links[key],
            )
        )  # fmt: skip
    return out


def _points(qs, lat: str, lon: str) -> tuple[list, bool]:
    rows = list(qs.values_list(lon, lat)[: POINT_CAP + 1])
    return [[float(x), float(y)] for x, y in rows[:POINT_CAP]], len(rows) > POINT_CAP


def located(sel: Selection) -> dict:
    """Visits (diary entries with a place) and the cases they raised, latest first, at most POINT_CAP each."""
    entries = DiaryEntry.objects.filter(sel.q(DIARY_FIELDS), visit_date__gte=sel.date_from, visit_date__lte=sel.date_to)
    entries = entries.filter(latitude__isnull=False, longitude__isnull=False).order_by("-visit_date", "-id")
    cases = Case.objects.filter(sel.q(CASE_FIELDS)).filter(facts.raised_within(sel.date_from, sel.date_to))
    cases = cases.filter(diary__latitude__isnull=False, diary__longitude__isnull=False).order_by("-created_at", "-id")
    visits, visits_capped = _points(entries, "latitude", "longitude")
    case_points, cases_capped = _points(cases, "diary__latitude", "diary__longitude")
    return {"visits": visits, "cases": case_points, "cap": POINT_CAP,
            "capped": {"visits": visits_capped, "cases": cases_capped}}  # fmt: skip


def hotspot_pins(user, centres: dict[int, tuple[float, float]]) -> list[dict]:
    """A pin at the centre of each shown township a current hotspot touches (one query)."""
    visible = hotspots_visible_to(user, kind=HotspotKind.HOTSPOT).order_by().values("pk")
    rows = (
        HotspotCase.objects.filter(hotspot__in=visible, case__township_id__in=list(centres))
        .values_list("hotspot_id", "hotspot__title", "case__township_id")
        .distinct()
        .order_by("hotspot_id", "case__township_id")
    )
    pins: dict[int, dict] = {}
    for _hotspot, title, township in rows:
        pin = pins.setdefault(township, {"township": township, "coord": list(centres[township]), "titles": []})
        if title not in pin["titles"]:
            pin["titles"].append(title)
    return list(pins.values())


def tile_link(centres: list[tuple[float, float]]) -> str:
    """MAP_TILE_URL ({z}/{x}/{y}) filled for the tile holding the middle of the shown townships, zoom 10."""
    template = getattr(settings, "MAP_TILE_URL", "")
    if not template or not centres:
        return ""
    lon = sum(c[0] for c in centres) / len(centres)
    lat = sum(c[1] for c in centres) / len(centres)
    z = 10
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    return template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))


def map_answer(user, sel: Selection, figure: str, params: dict) -> dict:
    rows = township_figures(user, sel, figure, params)
    ids = [r.id for r in rows]
    boundaries = {b.township_id: b for b in TownshipBoundary.objects.filter(township_id__in=ids)}
    centres = {pk: (b.centre_lon, b.centre_lat) for pk, b in boundaries.items()}
    features = [
        {"type": "Feature", "properties": {"name": str(r.id), "label": r.name}, "geometry": boundaries[r.id].geojson}
        for r in rows
        if r.id in boundaries
    ]
    key = FIGURES[figure]
    return {
        **{k: v for k, v in base_params(sel).items() if k in ("date_from", "date_to")},
        "figure": figure,
        "label": str(FIGURE_LABELS[figure]),
        "percent": key in RATE_KEYS,
        "panel_labels": {k: str(LABELS[k]) for k in PANEL_KEYS},
        "townships": [
            {**r.__dict__, "centre": list(centres[r.id]) if r.id in centres else None} for r in rows
        ],  # fmt: skip
        "geojson": {"type": "FeatureCollection", "features": features},
        "points": located(sel),
        "hotspots": hotspot_pins(user, centres) if centres else [],
        "tile_link": tile_link(list(centres.values())),
    }
