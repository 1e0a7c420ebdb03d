"""The monthly 民情分析 report: one month's figures for a city or a township, ready for the analysis meeting.

A report is built as plain JSON-able data (``build_report``). A month that is over is computed as of its
end (the first instant after it, Asia/Shanghai) and frozen the first time it is built
(``MonthlyReportSnapshot``), so it reads the same whenever it is opened again; the current month is
computed live, "so far". ``present`` turns the data into what the templates show, in the reader's
language (tables, charts, the narrative).
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import OrgKind, OrgUnit
from accounts.scope import Scope
from audit.services import audit_log
from cases.choices import Clock, Status
from cases.models import Case, Project, ProjectMilestone
from cases.overdue import overdue_now
from dashboards import charts, narrative
from dashboards.facts import raised_within
from dashboards.forms import month_bounds
from dashboards.metrics import METRIC_KEYS, Metrics
from dashboards.models import DetectionRun, Hotspot, HotspotCase, HotspotKind, MonthlyReportSnapshot
from dashboards.selection import CASE_FIELDS, Area, Selection
from dashboards.tables import LABELS, TABLE_TITLES, Row, Table, dimension_table, figure_links, trend_table
from oversight.awards import confirmed_lists

TREND_MONTHS = 12
OVERDUE_LIMIT = 15
CHART_CATEGORIES = 12  # the report lists the longest overdue and counts the rest
# A frozen report shows the hotspots of the last detection before this long after the month's end
# (the nightly detection of the 1st runs before the reports are frozen).
HOTSPOT_GRACE = datetime.timedelta(days=1)


def _months_back(first: datetime.date, n: int) -> datetime.date:
    year, month = first.year, first.month - (n - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def month_end(first: datetime.date) -> datetime.datetime:
    """The first instant after the month, in the server's zone (Asia/Shanghai)."""
    nxt = month_bounds(first)[1] + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(nxt, datetime.time.min))


def is_over(first: datetime.date, now: datetime.datetime) -> bool:
    return now >= month_end(first)


def overdue_cases(
    sel: Selection, *, now: datetime.datetime | None = None, of_raised: bool = False, limit: int = OVERDUE_LIMIT
):
    """Cases overdue at ``now`` (cases.overdue, as the dashboard counts them), in the report's area,
    longest overdue first; ``of_raised``: only those raised in the period (what the report counts)."""
    cases = Case.objects.filter(overdue_now(now)).filter(sel.q(CASE_FIELDS))
    if of_raised:
        cases = cases.filter(raised_within(sel.date_from, sel.date_to))
    return cases.select_related("township", "unit", "category").order_by("due_at", "id")[:limit]


def _cities(sel: Selection) -> set[int]:
    scope = sel.area.scope
    if scope.everything:
        return set(OrgUnit.objects.filter(kind=OrgKind.CITY).values_list("pk", flat=True))
    return set(scope.city_ids) | ({scope.home_city_id} if scope.home_city_id else set())


def _city_wide(sel: Selection) -> bool:
    return sel.area.is_city_wide and sel.township_id is None


def report_hotspots(sel: Selection, *, before: datetime.datetime | None = None) -> list[dict]:
    """A city report shows each hotspot whole; a township report only the hotspots and cases of its township.
    ``before``: only hotspots detected before then (a frozen month)."""
    hotspots = Hotspot.objects.filter(kind=HotspotKind.HOTSPOT).select_related("category", "category__parent")
    members = HotspotCase.objects.select_related("case", "case__township").order_by("-similarity", "case_id")
    if before is not None:
        hotspots = hotspots.filter(detected_at__lt=before)
    if _city_wide(sel):
        if not sel.area.everything:
            hotspots = hotspots.filter(city_id__in=sel.area.city_ids)
    else:
        own = {sel.township_id} if sel.township_id else set(sel.area.township_ids)
        members = members.filter(case__township_id__in=own)
        hotspots = hotspots.filter(members__case__township_id__in=own).distinct()
    out = []
    for h in hotspots.prefetch_related(Prefetch("members", queryset=members, to_attr="shown")):
        cases = [m.case for m in h.shown]
        out.append({
            "id": h.pk, "title": h.title, "category": str(h.category), "cases_count": h.cases_count,
            "townships": h.townships, "first_seen": h.first_seen,
            "members": [{"code": c.code or str(c.pk), "title": c.title, "township": str(c.township or "—"),
                         "status": c.status} for c in cases],
        })  # fmt: skip
    return out


def late_projects(sel: Selection, month: datetime.date) -> list[str]:
    """Titles of the area's projects late at the month's end: a milestone planned by then and not done by
    then (a milestone done later still counts, so the month's report says the same whenever it is made)."""
    last = month_bounds(month)[1]
    late = ProjectMilestone.objects.filter(planned_on__lte=last).filter(Q(done_on__isnull=True) | Q(done_on__gt=last))
    projects = Project.objects.filter(city_id__in=_cities(sel), milestones__in=late).distinct().order_by("title")
    return list(projects.values_list("title", flat=True))


def _table_data(table: Table, keep: tuple[str, ...] = ("raised",)) -> dict:
    columns = tuple(table.columns)
    return {
        "kind": table.kind,
        "columns": list(columns),
        "rows": [
            {"key": str(r.key), "label": str(r.label), "links": {k: v for k, v in r.links.items() if k in columns},
             "figures": {k: r.figures.get(k) for k in (*columns, *keep)}}
            for r in table.rows
        ],
    }  # fmt: skip


def _largest_change(table: Table, previous: list[tuple]) -> dict | None:
    before = {k: f.get("raised") or 0 for k, f in previous}
    best = None
    for r in table.rows:
        after = r.figures.get("raised") or 0
        diff = abs(after - before.get(r.key, 0))
        if diff and (best is None or diff > best[0]):
            best = (diff, {"name": str(r.label), "before": before.get(r.key, 0), "after": after})
    return best[1] if best else None


def _awards(sel: Selection, first: datetime.date) -> dict | None:
    lists = confirmed_lists(_cities(sel), first)
    if lists is None:
        return None
    return {"running": [u.label for u in lists["running"]], "snail": [u.label for u in lists["snail"]],
            "reason": lists["reason"]}  # fmt: skip


def _unlink_overdue(data: dict) -> None:
    # Overdue as of the month's end is not what the case list's overdue filter shows (overdue now), so
    # a past month's overdue figures stand without a link rather than link to a list of another number.
    for links in [data["links"], *(r["links"] for t in ("trend", "breakdown", "categories") for r in data[t]["rows"])]:
        links.pop("overdue_open", None)


def build_report(base: Selection, first: datetime.date, *, now: datetime.datetime) -> dict:
    """Everything the report shows, as plain data: figures "of the moment" (overdue) are as of ``now`` or
    the month's end, whichever comes first."""
    first, last = month_bounds(first)
    end = month_end(first)
    as_of = min(now, end)
    sel = base.with_period(first, last)
    metrics = Metrics(sel, now=as_of, overdue_of_raised=True)
    prev_first = _months_back(first, 2)
    prev = Metrics(base.with_period(prev_first, first - datetime.timedelta(days=1)), now=month_end(prev_first),
                   overdue_of_raised=True)  # fmt: skip
    trend = trend_table(Metrics(base.with_period(_months_back(first, TREND_MONTHS), last), now=as_of), "month")
    by = "township" if _city_wide(sel) else "unit"
    breakdown = dimension_table(metrics, by)
    over = as_of >= end
    hotspots = report_hotspots(sel, before=end + HOTSPOT_GRACE if over else None)
    run = (
        DetectionRun.objects.filter(city_id__in=_cities(sel), finished_at__isnull=False)
        .filter(**({"started_at__lt": end + HOTSPOT_GRACE} if over else {}))
        .order_by("-started_at")
        .first()
    )
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    new = [h["title"] for h in hotspots if h["first_seen"] and start <= h["first_seen"] < end + HOTSPOT_GRACE]
    figures = metrics.overview()
    previous = prev.overview()
    awards = _awards(sel, first)
    late = late_projects(sel, first)
    overdue = [
        {"code": c.code or str(c.pk), "title": c.title, "township": str(c.township or "—"),
         "unit": str(c.unit or "—"), "due_at": c.due_at, "clock": c.clock, "status": c.status}
        for c in overdue_cases(sel, now=as_of, of_raised=True)
    ]  # fmt: skip
    data = {
        "month": first.isoformat(),
        "date_from": first.isoformat(),
        "date_to": last.isoformat(),
        "as_of": as_of,
        "over": over,
        "figures": figures,
        "links": figure_links(sel, overdue_of_raised=True),
        "trend": _table_data(trend),
        "breakdown": _table_data(breakdown),
        "categories": _table_data(dimension_table(metrics, "category")),
        "hotspots": hotspots,
        "detected_at": run.finished_at if run else None,
        "awards": awards,
        "overdue": overdue,
        "late_projects": late,
        "facts": {
            "current": {k: figures.get(k) for k in METRIC_KEYS},
            "previous": {k: previous.get(k) for k in METRIC_KEYS},
            "largest_change": _largest_change(breakdown, prev.breakdown(by)),
            "new_hotspots": new,
            "late_projects": late,
            "awards": awards,
        },
    }
    if over:
        _unlink_overdue(data)
    # Through JSON and back: a live report is exactly what a frozen one would hold.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


# Frozen reports ------------------------------------------------------------------------------------


def area_unit_id(sel: Selection) -> int | None:
    """The city or township a report of ``sel`` is about (its snapshot's key), None for a wider area."""
    scope = sel.area.scope
    if sel.township_id:
        return sel.township_id
    if scope.city_ids and len(scope.city_ids) == 1:
        return next(iter(scope.city_ids))
    if scope.everything:
        cities = list(OrgUnit.objects.filter(kind=OrgKind.CITY).values_list("pk", flat=True)[:2])
        return cities[0] if len(cities) == 1 else None
    if not scope.city_ids and len(scope.township_ids) == 1:
        return next(iter(scope.township_ids))
    return None


def area_selection(unit: OrgUnit, first: datetime.date) -> Selection:
    """The report's selection for a city or a township, whoever asks (the snapshot is the same for all)."""
    city_id = unit.pk if unit.kind == OrgKind.CITY else unit.city_id
    area = Area(scope=Scope(city_ids=frozenset({city_id}), home_city_id=city_id))
    first, last = month_bounds(first)
    return Selection(area=area, date_from=first, date_to=last, township_id=None if unit.pk == city_id else unit.pk)


def freeze(unit: OrgUnit, first: datetime.date, *, now: datetime.datetime | None = None) -> MonthlyReportSnapshot:
    """The month's snapshot for ``unit``, built now if there is none yet (a month that is over only)."""
    now = now or timezone.now()
    existing = MonthlyReportSnapshot.objects.filter(area=unit, month=first).first()
    if existing:
        return existing
    data = build_report(area_selection(unit, first), first, now=now)
    try:
        with transaction.atomic():
            return MonthlyReportSnapshot.objects.create(area=unit, month=first, data=data, generated_at=now)
    except IntegrityError:  # frozen meanwhile by another request or the beat task: theirs stands
        return MonthlyReportSnapshot.objects.get(area=unit, month=first)


@transaction.atomic
def recompute(unit: OrgUnit, first: datetime.date, *, by, request=None, now=None) -> MonthlyReportSnapshot:
    """Replace a month's frozen report (e.g. after a late correction); audited, and the report says so."""
    now = now or timezone.now()
    data = build_report(area_selection(unit, first), first, now=now)
    before = MonthlyReportSnapshot.objects.select_for_update().filter(area=unit, month=first).first()
    snapshot, _created = MonthlyReportSnapshot.objects.update_or_create(
        area=unit, month=first,
        defaults={"data": data, "generated_at": before.generated_at if before else now, "recomputed_at": now,
                  "recomputed_by": by},
    )  # fmt: skip
    audit_log(action="report_recompute", user=by, obj=snapshot, request=request,
              detail={"month": f"{first:%Y-%m}", "area": unit.pk,
                      "before": {"raised": before.data["figures"].get("raised")} if before else None,
                      "raised": data["figures"].get("raised")})  # fmt: skip
    return snapshot


def freeze_month(first: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """Freeze the month's report of every city and township that has none yet; answers how many were made."""
    now = now or timezone.now()
    if not is_over(first, now):
        return 0
    done = set(MonthlyReportSnapshot.objects.filter(month=first).values_list("area_id", flat=True))
    units = OrgUnit.objects.filter(kind__in=[OrgKind.CITY, OrgKind.TOWNSHIP, OrgKind.PARK], is_active=True)
    units = units.exclude(pk__in=done)
    made = 0
    for unit in units.order_by("pk"):
        if unit.kind != OrgKind.CITY and not unit.city_id:
            continue
        freeze(unit, first, now=now)
        made += 1
    return made


def monthly_report(base: Selection, month: datetime.date, *, now=None) -> tuple[dict, MonthlyReportSnapshot | None]:
    """(the report's data, its snapshot or None when computed live): a month that is over is frozen."""
    now = now or timezone.now()
    first = month_bounds(month)[0]
    unit_id = area_unit_id(base) if is_over(first, now) else None
    unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None
    if unit is not None:
        snapshot = freeze(unit, first, now=now)
        # The awards are the city office's decision, taken after the month (OVERSIGHT.md) and recorded as
        # such: a frozen month shows it once it is made, and the figures stay as they were frozen.
        awards = _awards(area_selection(unit, first), first)
        data = {**snapshot.data, "awards": awards, "facts": {**snapshot.data["facts"], "awards": awards}}
        return data, snapshot
    return build_report(base, first, now=now), None


# Presenting ----------------------------------------------------------------------------------------


def _when(value) -> datetime.datetime | None:
    if value is None or isinstance(value, datetime.datetime):
        return value
    return parse_datetime(value)


def _table(data: dict) -> Table:
    rows = [Row(key=r["key"], label=r["label"], figures=r["figures"], links=r["links"]) for r in data["rows"]]
    return Table(kind=data["kind"], title=str(TABLE_TITLES[data["kind"]]), columns=tuple(data["columns"]), rows=rows)


def present(data: dict) -> dict:
    """What the templates show, in the reader's language; the same for live and frozen data."""
    trend, breakdown, categories = _table(data["trend"]), _table(data["breakdown"]), _table(data["categories"])
    col = lambda table, key: [r.figures.get(key) for r in table.rows]  # noqa: E731
    charts_ = {
        "trend": charts.bars_with_line(
            str(TABLE_TITLES["month"]), [r.label[2:] for r in trend.rows],
            (str(LABELS["raised"]), col(trend, "raised")), (str(LABELS["closed"]), col(trend, "closed"))),
        "breakdown": charts.horizontal_bars(
            f"{breakdown.title} · {LABELS['completion_rate' if breakdown.kind == 'township' else 'on_time_rate']}",
            [(r.label, r.figures.get("completion_rate" if breakdown.kind == "township" else "on_time_rate"))
             for r in breakdown.rows], percent=True),
        # The most raised categories only (the table beside it lists them all).
        "categories": charts.horizontal_bars(
            f"{categories.title} · {LABELS['raised']}",
            [(r.label, r.figures.get("raised")) for r in categories.rows[:CHART_CATEGORIES]]),
    }  # fmt: skip
    if breakdown.kind == "township" and any(r.figures.get("households") for r in breakdown.rows):
        # Planning figures beside the outcomes: each township's visit coverage (snapshots frozen before
        # coverage existed have none, and show no chart).
        charts_["coverage"] = charts.horizontal_bars(
            f"{breakdown.title} · {LABELS['coverage_rate']}",
            [(r.label, r.figures.get("coverage_rate")) for r in breakdown.rows], percent=True)  # fmt: skip
    overdue = [
        {**c, "due_at": _when(c["due_at"]), "clock_label": Clock(c["clock"]).label if c["clock"] in Clock.values
         else "", "status_label": Status(c["status"]).label if c["status"] in Status.values else c["status"]}
        for c in data["overdue"]
    ]  # fmt: skip
    hotspots = [
        {**h, "members": [{**m, "status_label": Status(m["status"]).label if m["status"] in Status.values else ""}
                          for m in h["members"]]}
        for h in data["hotspots"]
    ]  # fmt: skip
    return {
        "month": datetime.date.fromisoformat(data["month"]),
        "date_from": datetime.date.fromisoformat(data["date_from"]),
        "date_to": datetime.date.fromisoformat(data["date_to"]),
        "as_of": _when(data["as_of"]),
        "over": data["over"],
        "figures": data["figures"],
        "links": data["links"],
        "figure_rows": [(key, LABELS[key]) for key in METRIC_KEYS],
        "narrative": narrative.sentences(data["facts"]),
        "trend": trend,
        "breakdown": breakdown,
        "categories": categories,
        "charts": charts_,
        "hotspots": hotspots,
        "detected_at": _when(data["detected_at"]),
        "awards": data["awards"],
        "overdue": overdue,
        "overdue_more": max((data["figures"].get("overdue_open") or 0) - len(overdue), 0),
        "late_projects": data["late_projects"],
    }
