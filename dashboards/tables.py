"""The dashboard's tables as plain rows: the pages, the charts and the spreadsheet exports all read these."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrgUnit, User
from cases.choices import Level, Status
from cases.models import Category
from dashboards.metrics import Metrics
from dashboards.selection import Selection

CASES_URL = "/cases/"
DIARIES_URL = "/diaries/"

# Column key → header; the order is the order of the table.
LABELS = {
    "diaries": gettext_lazy("Number of diary entries"),
    "household_visits": gettext_lazy("Household visits (times)"),
    "enterprise_visits": gettext_lazy("Enterprise visits (times)"),
    "officers": gettext_lazy("Number of stationed officers"),
    "active_officers": gettext_lazy("Number of active officers"),
    "raised": gettext_lazy("Issues raised"),
    "solved_on_site": gettext_lazy("Issues solved on site"),
    "closed": gettext_lazy("Cases closed"),
    "completion_rate": gettext_lazy("Completion rate"),
    "on_time_rate": gettext_lazy("On-time completion rate"),
    "response_rate": gettext_lazy("Response rate"),
    "return_rate": gettext_lazy("Return rate"),
    "feedback_rate": gettext_lazy("Feedback rate"),
    "resolution_rate": gettext_lazy("Resolution rate"),
    "satisfaction_rate": gettext_lazy("Satisfaction rate"),
    "resident_rated": gettext_lazy("Rated by residents themselves"),
    "overdue_open": gettext_lazy("Overdue and not closed"),
    "held": gettext_lazy("On hold (挂账)"),
    "overdue_feedback": gettext_lazy("Feedback overdue"),
    "avg_handle_hours": gettext_lazy("Average handling time (working hours)"),
    "dispatches": gettext_lazy("Number of dispatches"),
    "returned": gettext_lazy("Number of returns"),
    "last_diary": gettext_lazy("Last diary date"),
    "silent": gettext_lazy("No diary lately"),
    "rank": gettext_lazy("Ranking place"),
    "households": gettext_lazy("Records in the ledger"),
    "households_visited": gettext_lazy("Records visited"),
    "coverage_rate": gettext_lazy("Visit coverage rate"),
    "key_households": gettext_lazy("Key records"),
    "key_followup_rate": gettext_lazy("Key records on-schedule rate"),
}
RATE_KEYS = frozenset(k for k in LABELS if k.endswith("_rate"))

TABLE_COLUMNS = {
    "township": ("raised", "solved_on_site", "closed", "completion_rate", "on_time_rate", "response_rate",
                 "satisfaction_rate", "overdue_open", "diaries", "household_visits", "officers", "households",
                 "households_visited", "coverage_rate", "key_households", "key_followup_rate"),
    "unit": ("dispatches", "response_rate", "return_rate", "on_time_rate", "avg_handle_hours", "raised", "closed",
             "overdue_open"),
    "category": ("raised", "solved_on_site", "closed", "completion_rate", "on_time_rate", "satisfaction_rate",
                 "overdue_open"),
    "week": ("raised", "closed", "completion_rate", "response_rate", "satisfaction_rate", "diaries",
             "household_visits", "enterprise_visits"),
    "month": ("raised", "closed", "completion_rate", "response_rate", "satisfaction_rate", "diaries",
              "household_visits", "enterprise_visits"),
    # Outcomes first; the officer's own writing last, plain, and never the order (为基层减负).
    "officer": ("raised", "closed", "completion_rate", "feedback_rate", "resolution_rate", "satisfaction_rate",
                "overdue_feedback", "household_visits", "diaries", "last_diary", "silent"),
}  # fmt: skip
TABLE_TITLES = {
    "township": gettext_lazy("By township"),
    "unit": gettext_lazy("By responsible unit"),
    "category": gettext_lazy("By category"),
    "week": gettext_lazy("By week"),
    "month": gettext_lazy("By month"),
    "officer": gettext_lazy("Issues raised by officers and their outcomes"),
    "rankings": gettext_lazy("Unit rankings"),
}
TABLE_KINDS = tuple(TABLE_TITLES)
# What each table's first column names: the header of its row labels.
KEY_HEADERS = {
    "township": gettext_lazy("Township"),
    "unit": gettext_lazy("Responsible unit"),
    "category": gettext_lazy("Category"),
    "week": gettext_lazy("Week"),
    "month": gettext_lazy("Month"),
    "officer": gettext_lazy("Officer"),
    "rankings": gettext_lazy("Unit"),
}
# Figures whose link opens a list of exactly the rows they count (the list shows the same number);
# a rate's link opens the cases behind it, which are not its value.
LISTED = frozenset({"raised", "solved_on_site", "closed", "overdue_open", "overdue_feedback", "held", "diaries",
                    "households", "households_visited", "key_households"})  # fmt: skip
HOUSEHOLDS_URL = "/dashboard/households/"
# Coverage figure → the records its link lists: a count opens its own records; a rate opens those
# a planner acts on (not visited in the period, key records overdue).
COVERAGE_LISTS = {"households": "households", "households_visited": "households_visited",
                  "coverage_rate": "not_visited", "key_households": "key_households",
                  "key_followup_rate": "key_overdue"}  # fmt: skip


def case_list_url(**params) -> str:
    """The case list (/cases/) with the filters that reproduce a figure."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{CASES_URL}?{urlencode(clean)}" if clean else CASES_URL


def household_list_url(**params) -> str:
    """The records behind a coverage figure (dashboards.views.households)."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{HOUSEHOLDS_URL}?{urlencode(clean)}"


def diary_list_url(**params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{DIARIES_URL}?{urlencode(clean)}" if clean else DIARIES_URL


@dataclass
class Row:
    key: object
    label: str
    figures: dict
    links: dict = field(default_factory=dict)
    drill: str = ""  # the same dashboard narrowed to this row (townships)


@dataclass
class Table:
    kind: str
    title: str
    columns: tuple[str, ...]
    rows: list[Row]

    @property
    def headers(self) -> list[str]:
        return [str(LABELS[c]) for c in self.columns]

    @property
    def key_header(self) -> str:
        return str(KEY_HEADERS[self.kind])


def base_params(sel: Selection) -> dict:
    return {"date_from": sel.date_from.isoformat(), "date_to": sel.date_to.isoformat(),
            "township": sel.township_id, "unit": sel.unit_id}  # fmt: skip


def figure_links(sel: Selection, *, overdue_of_raised: bool = False, **narrow) -> dict:
    """Links from each figure of a selection (narrowed to one group) to the list of what it counts.

    Case lists open on the "all" tab: a figure counts every case of the scope, not one work queue.
    ``overdue_of_raised``: the figure counts the period's own cases that are overdue now (the monthly
    report), not every case overdue now (the dashboard), so its link keeps the period.
    Narrowed to an officer, the cases are those they raised and the diaries those they wrote.
    """
    if narrow.get("category"):  # the figure counts the category's own cases, not its children's too
        narrow["category_exact"] = narrow.pop("category")
    # 无效 cases count in no figure (dashboards.facts), so no list a figure opens shows them.
    p = {**base_params(sel), **narrow, "tab": "all", "invalid": 0}
    overdue = p if overdue_of_raised else {k: p.get(k) for k in ("township", "unit", "category_exact", "officer",
                                                                 "tab", "invalid")}  # fmt: skip
    # Records know stations and townships only: a figure narrowed to a unit, category or officer has none.
    ledger = not (p.get("unit") or p.get("category_exact") or p.get("officer"))
    records = {"date_from": p["date_from"], "date_to": p["date_to"], "township": p.get("township")}
    coverage = {k: household_list_url(**records, figure=f) if ledger else None for k, f in COVERAGE_LISTS.items()}
    return {
        **coverage,
        "raised": case_list_url(**p),
        "solved_on_site": case_list_url(**p, level=Level.ONSITE),
        "closed": case_list_url(**p, status=Status.CLOSED),
        "completion_rate": case_list_url(**p, status=Status.CLOSED),
        "on_time_rate": case_list_url(**p, status=Status.CLOSED),
        "feedback_rate": case_list_url(**p, status=Status.CLOSED),
        "resolution_rate": case_list_url(**p, status=Status.CLOSED),
        "satisfaction_rate": case_list_url(**p, status=Status.CLOSED),
        "response_rate": case_list_url(**p),
        "return_rate": case_list_url(**p),
        "dispatches": case_list_url(**p),
        "overdue_open": case_list_url(**overdue, overdue=1),
        "held": case_list_url(**overdue, held=1),
        # Overdue while waiting for the resident to be told (the feedback clock runs in this status only).
        "overdue_feedback": case_list_url(**overdue, overdue=1, status=Status.PENDING_FEEDBACK),
        "diaries": diary_list_url(
            date_from=p["date_from"], date_to=p["date_to"], township=p.get("township"), officer=p.get("officer")
        )
        if not p.get("unit") and not p.get("category_exact")
        else None,
    }


def _labels(kind: str, keys: list) -> dict:
    """key → (label, how the case list's filter names it: a category by its code, the rest by id)."""
    ids = [k for k in keys if k is not None]
    if kind in ("township", "unit"):
        return {pk: (label, pk) for pk, label in OrgUnit.objects.filter(pk__in=ids).values_list("pk", "label")}
    if kind == "category":
        return {c.pk: (str(c), c.code) for c in Category.objects.filter(pk__in=ids).select_related("parent")}
    if kind == "officer":
        return {u.pk: (str(u), u.pk) for u in User.objects.filter(pk__in=ids).only("pk", "name", "username")}
    return {}


def _time_label(kind: str, key: datetime.date) -> str:
    if kind == "month":
        return key.strftime("%Y-%m")
    return _("Week of %(day)s") % {"day": key.strftime("%m-%d")}


def dimension_table(metrics: Metrics, kind: str) -> Table:
    """Per township, unit or category: the case figures (and, per township, diaries and officers)."""
    sides = {"diaries": kind == "township"}
    groups = metrics.breakdown(kind, **sides)
    if kind == "unit":
        groups = [(k, f) for k, f in groups if k is not None]
    names = _labels(kind, [k for k, _ in groups])
    rows = []
    for key, figures in groups:
        label, named = names.get(key) or (_("(none)"), None)
        links = figure_links(metrics.sel, overdue_of_raised=metrics.overdue_of_raised, **{kind: named}) if named else {}
        rows.append(Row(key=key, label=label, figures=figures, links=links))
    rows.sort(key=lambda r: (-(r.figures.get("raised") or r.figures.get("dispatches") or 0), r.label))
    return Table(kind=kind, title=str(TABLE_TITLES[kind]), columns=TABLE_COLUMNS[kind], rows=rows)


def trend_table(metrics: Metrics, kind: str) -> Table:
    """Per week or month of the period."""
    rows = []
    for key, figures in metrics.breakdown(kind):
        last = key + datetime.timedelta(days=6) if kind == "week" else _month_end(key)
        first = max(key, metrics.sel.date_from)
        period = metrics.sel.with_period(first, min(last, metrics.sel.date_to))
        links = figure_links(period, overdue_of_raised=metrics.overdue_of_raised)
        rows.append(Row(key=key, label=_time_label(kind, key), figures=figures, links=links))
    return Table(kind=kind, title=str(TABLE_TITLES[kind]), columns=TABLE_COLUMNS[kind], rows=rows)


def _month_end(first: datetime.date) -> datetime.date:
    nxt = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return nxt - datetime.timedelta(days=1)


def table_for(metrics: Metrics, kind: str) -> Table:
    if kind in ("week", "month"):
        return trend_table(metrics, kind)
    if kind == "officer":
        from dashboards.activity import officer_table

        return officer_table(metrics)
    if kind == "rankings":
        from dashboards.rankings import ranking_table

        return ranking_table(metrics.sel)
    return dimension_table(metrics, kind)


def chart_data(table: Table, series: tuple[str, ...], *, chart: str = "bar") -> dict:
    """What static/dashboards/charts.js draws: labels, named series, and whether values are shares."""
    return {
        "type": chart,
        "labels": [r.label for r in table.rows],
        "series": [
            {"name": str(LABELS[k]), "data": [r.figures.get(k) for r in table.rows], "percent": k in RATE_KEYS}
            for k in series
        ],  # fmt: skip
    }
