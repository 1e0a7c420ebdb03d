"""Spreadsheets (.xlsx) of the case list and of every dashboard table, masked unless the role needs the data."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy  # noqa: F401

from accounts.roles import Role
from cases.queues import Listing, case_listing
from core.masking import mask_name, mask_phone
from core.xlsx import workbook
from dashboards.forms import MonthForm, StatsFilterForm, month_bounds
from dashboards.metrics import Metrics
from dashboards.tables import RATE_KEYS, TABLE_KINDS, Table, table_for

# More rows than this are prepared in the worker and offered for download when ready.
SYNC_LIMIT = 2000

# Column headers carry a context: the same English words mean other things in other apps.
CASE_COLUMNS = (
    ("code", pgettext_lazy("export column", "Code")),
    ("title", pgettext_lazy("export column", "Title")),
    ("category", pgettext_lazy("export column", "Category")),
    ("urgency", pgettext_lazy("export column", "Urgency")),
    ("level", pgettext_lazy("export column", "Level")),
    ("status", pgettext_lazy("export column", "Status")),
    ("township", pgettext_lazy("export column", "Township")),
    ("unit", pgettext_lazy("export column", "Responsible unit")),
    ("reporter_name", pgettext_lazy("export column", "Resident")),
    ("reporter_phone", pgettext_lazy("export column", "Resident's phone")),
    ("reporter_address", pgettext_lazy("export column", "Resident's address")),
    ("created_at", pgettext_lazy("export column", "Raised at")),
    ("handle_due", pgettext_lazy("export column", "Handle due")),
    ("closed_at", pgettext_lazy("export column", "Closed at")),
    ("overdue", pgettext_lazy("export column", "Overdue")),
    ("supervised", pgettext_lazy("export column", "Supervised")),
    ("project", pgettext_lazy("export column", "Project")),
)


class ExportInvalid(Exception):
    """The filters did not validate; ``errors`` is a form's error dict."""

    def __init__(self, errors):
        super().__init__("invalid export filters")
        self.errors = errors


def needs_personal_data(user) -> bool:
    """The desks call residents back and so see their contact details; everyone else gets them masked."""
    return user.has_role(Role.TOWNSHIP_STAFF, Role.CITY_OFFICE)


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


# --- the case list -----------------------------------------------------------


def case_list(user, params: dict) -> Listing:
    """The case list as /cases/ shows it for the same parameters (its tab, filters and order)."""
    listing = case_listing(user, params)
    if listing.invalid:
        raise ExportInvalid(listing.filters.errors)
    return listing


def _case_row(case, masked: bool) -> list:
    hidden = masked and case.confidential  # 保密: not even the masked reporter below the desks
    return [
        case.code or "", case.title, str(case.category), case.get_urgency_display(), case.get_level_display(),
        case.get_status_display(), case.township.name if case.township else "", case.unit.label if case.unit else "",
        "" if hidden else mask_name(case.reporter_name) if masked else case.reporter_name,
        "" if hidden else mask_phone(case.reporter_phone) if masked else case.reporter_phone,
        "" if hidden else ("*" * min(len(case.reporter_address), 6)) if masked else case.reporter_address,
        _when(case.created_at), _when(case.handle_due), _when(case.closed_at),
        _("yes") if case.is_overdue else "", _("yes") if case.supervised else "",
        case.project.title if case.project else "",
    ]  # fmt: skip


def case_rows(user, params: dict) -> Iterator[list]:
    masked = not needs_personal_data(user)
    for case in case_list(user, params).cases.select_related("project").iterator(chunk_size=1000):
        yield _case_row(case, masked)


# --- dashboard tables ------------------------------------------------------


def dashboard_table(user, kind: str, params: dict) -> Table:
    if kind not in TABLE_KINDS:
        raise ExportInvalid({"table": [_("Unknown table.")]})
    form = StatsFilterForm(params, user=user)
    if not form.is_valid():
        raise ExportInvalid(form.errors)
    sel = form.selection()
    if kind == "rankings":
        month = MonthForm(params)
        if not month.is_valid():
            raise ExportInvalid(month.errors)
        sel = sel.with_period(*month_bounds(month.cleaned_data["month"]))
    return table_for(Metrics(sel), kind)


def table_rows(table: Table) -> list[list]:
    return [[row.label, *(row.figures.get(c) for c in table.columns)] for row in table.rows]


def table_workbook(table: Table) -> bytes:
    percent = frozenset(i + 1 for i, c in enumerate(table.columns) if c in RATE_KEYS)
    return workbook(
        table.title,
        [table.key_header, *table.headers],
        table_rows(table),
        percent_columns=percent,
    )


# --- one entry point for the views and the worker ----------------------------


def count(user, kind: str, params: dict) -> int:
    if kind == "cases":
        return case_list(user, params).count
    return 0  # dashboard tables are small: always built at once


def build(user, kind: str, params: dict) -> tuple[bytes, int]:
    """(xlsx bytes, row count) of one export for ``user``."""
    if kind == "cases":
        rows = list(case_rows(user, params))
        return workbook(str(_("Cases")), [str(label) for _k, label in CASE_COLUMNS], rows), len(rows)
    table = dashboard_table(user, kind, params)
    return table_workbook(table), len(table.rows)


def audit_detail(kind: str, params: dict, rows: int, user) -> dict:
    # What was asked for, never what was typed in the search box (it may be a phone number).
    filters = {k: ("…" if k == "q" else v) for k, v in params.items()}
    return {
        "kind": kind,
        "filters": filters,
        "rows": rows,
        "personal_data": kind == "cases" and needs_personal_data(user),
    }
