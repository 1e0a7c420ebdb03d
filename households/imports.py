"""Village registers (.xlsx) into the household ledger (HOUSEHOLDS.md "Import").

All rows or none: every row goes through households.services (the one place of validation)
inside one transaction, every error is collected with its sheet and row, and any error
rolls the whole file back. Records are matched by station + address + name, so importing
the same file again changes nothing: a matched record is updated only in the fields whose
cell is filled in and differs; an empty cell leaves the record's value as it is.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts.models import OrgUnit
from audit.services import audit_log
from households import services
from households.models import EnterpriseSize, Household, HouseholdTag, RecordKind

MAX_BYTES = 5 * 1024 * 1024
# A village keeps 200–800 households: 5,000 rows is a whole township's worth, far beyond one register.
MAX_ROWS = 5000

# The sheets and columns are the file's format, written in Chinese whatever the interface language,
# so a register filled in by a village clerk reads the same for everyone.
HOUSEHOLD_SHEET = "住户"
ENTERPRISE_SHEET = "企业"
TAG_SHEET = "可用标签"
HOUSEHOLD_COLUMNS = {
    "户主姓名": "name",
    "地址(组、门牌)": "address",
    "电话": "phone",
    "人口": "members",
    "标签": "tags",
    "备注": "notes",
}
ENTERPRISE_COLUMNS = {
    "企业名称": "name",
    "统一社会信用代码": "credit_code",
    "联系人": "contact",
    "电话": "phone",
    "行业": "industry",
    "规模": "size",
}
SHEETS = {
    HOUSEHOLD_SHEET: (RecordKind.HOUSEHOLD, HOUSEHOLD_COLUMNS),
    ENTERPRISE_SHEET: (RecordKind.ENTERPRISE, ENTERPRISE_COLUMNS),
}
SIZES = {
    "微型": EnterpriseSize.MICRO,
    "小型": EnterpriseSize.SMALL,
    "中型": EnterpriseSize.MEDIUM,
    "大型": EnterpriseSize.LARGE,
}
TAG_SEPARATORS = re.compile(r"[、,，;；\s]+")


class ImportRefused(Exception):
    """The file was not imported; ``errors`` say why, each with its sheet and row where there is one."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class _Row:
    sheet: str
    number: int
    kind: str
    fields: dict
    tags: list[str] | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.fields.get("address", ""), self.fields["name"])

    def where(self) -> str:
        return _("Sheet %(sheet)s, row %(row)d") % {"sheet": self.sheet, "row": self.number}


def template_workbook() -> bytes:
    """The empty register to fill in: the two sheets' headers and the tags offered, with their intervals."""
    book = Workbook()
    households = book.active
    households.title = HOUSEHOLD_SHEET
    households.append(list(HOUSEHOLD_COLUMNS))
    enterprises = book.create_sheet(ENTERPRISE_SHEET)
    enterprises.append(list(ENTERPRISE_COLUMNS))
    tags = book.create_sheet(TAG_SHEET)
    tags.append(["标签", "走访周期（天）"])
    for tag in HouseholdTag.objects.filter(active=True).order_by("order", "id"):
        tags.append([tag.name, tag.interval_days])
    tags.append([])
    tags.append(["一户有多个标签时用“、”或“,”分隔；规模填 微型、小型、中型 或 大型。"])
    for sheet in (households, enterprises, tags):
        for column in "ABCDEF":
            sheet.column_dimensions[column].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(upload) -> list[_Row]:
    if upload.size > MAX_BYTES:
        raise ImportRefused([_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}])
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportRefused([_("The file is not an .xlsx workbook: download the template and fill it in.")]) from exc
    rows: list[_Row] = []
    errors: list[str] = []
    try:
        for sheet in book.worksheets:
            title = sheet.title.strip()
            if title not in SHEETS:
                continue
            kind, columns = SHEETS[title]
            values = sheet.iter_rows(values_only=True)
            header = [_text(c) for c in next(values, None) or ()]
            names = [columns.get(h) for h in header]
            if "name" not in names:
                errors.append(
                    _("Sheet %(sheet)s has no column %(column)s.") % {"sheet": title, "column": next(iter(columns))}
                )
                continue
            for number, cells in enumerate(values, start=2):
                if cells is None or all(_text(c) == "" for c in cells):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise ImportRefused([_("The file has more than %(max)d rows: split it.") % {"max": MAX_ROWS}])
                data = {n: _text(c) for n, c in zip(names, cells, strict=False) if n}
                rows.append(_Row(title, number, kind, *_fields(data)))
    except ImportRefused:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip: openpyxl's parser errors vary by backend
        raise ImportRefused([_("The file is not an .xlsx workbook: download the template and fill it in.")]) from exc
    finally:
        book.close()
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("The file has no rows in the sheets %(sheets)s.") % {"sheets": "、".join(SHEETS)}])
    return rows


def _fields(data: dict) -> tuple[dict, list[str] | None]:
    """The cells as the services' keyword arguments; only filled-in cells (an empty one changes nothing)."""
    tags = data.pop("tags", "")
    fields = {k: v for k, v in data.items() if v != ""}
    fields.setdefault("name", "")
    return fields, [t for t in TAG_SEPARATORS.split(tags) if t] or None


def _clean(row: _Row) -> str | None:
    """The row's own checks before the services see it: the name, the number of people, the size."""
    fields = row.fields
    if not fields["name"]:
        return _("the name is missing.")
    if "members" in fields:
        try:
            fields["members"] = int(fields["members"])
        except ValueError:
            return _("the number of people must be a whole number.")
        if not 0 <= fields["members"] <= 99:
            return _("the number of people must be between 0 and 99.")
    if "size" in fields:
        size = SIZES.get(fields["size"], fields["size"].lower())
        if size not in EnterpriseSize.values:
            return _("the size must be 微型, 小型, 中型 or 大型.")
        fields["size"] = size
    if "credit_code" in fields:
        fields["credit_code"] = fields["credit_code"].upper()
    return None


def _messages(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, errors in error.error_dict.items():
        try:
            label = str(Household._meta.get_field(name).verbose_name)
        except Exception:  # a field of the service's, not the model's (none today): its code name
            label = name
        parts.append(f"{label}: {' '.join(m for e in errors for m in e.messages)}")
    return "; ".join(parts)


def _write(row: _Row, *, station: OrgUnit, by, existing: Household | None) -> str:
    """Create or update one record through the services: "created", "updated" or "unchanged"."""
    if existing is None:
        services.household_create(by=by, station=station, kind=row.kind, tags=row.tags or (), **row.fields)
        return "created"
    changed = {k: v for k, v in row.fields.items() if getattr(existing, k) != v}
    tags = None
    if row.tags is not None and set(row.tags) != {t.name for t in existing.tags.all()}:
        tags = row.tags
    if not changed and tags is None:
        return "unchanged"
    services.household_update(by=by, record=existing, tags=tags, **changed)
    return "updated"


def import_register(upload, *, station: OrgUnit, by, request=None) -> ImportResult:
    """Import a register into ``station``'s ledger: every row, or none with every error listed."""
    if not services.station_served_by(by, station):
        raise ImportRefused([_("You do not keep the ledger of this station.")])
    rows = _read(upload)
    result = ImportResult()
    seen: dict[tuple[str, str], _Row] = {}
    for row in rows:
        problem = _clean(row)
        if problem is None:
            first = seen.setdefault(row.key, row)
            if first is not row:
                problem = _("the same name and address as %(row)s.") % {"row": first.where()}
        if problem:
            result.errors.append(f"{row.where()}: {problem}")
    if result.errors:
        raise ImportRefused(result.errors)
    with transaction.atomic():
        _apply(rows, station=station, by=by, result=result)
        if result.errors:
            # Leaving the block by the exception rolls back the rows already written.
            raise ImportRefused(result.errors)
        audit_log(
            action="household_import",
            user=by,
            obj=station,
            request=request,
            detail={"file": upload.name[:100], "created": result.created, "updated": result.updated,
                    "unchanged": result.unchanged},
        )  # fmt: skip
    return result


def _apply(rows: list[_Row], *, station: OrgUnit, by, result: ImportResult) -> None:
    records = Household.objects.filter(station=station).prefetch_related("tags")
    known = {(r.address, r.name): r for r in records}
    for row in rows:
        try:
            # A savepoint per row: a refused row leaves the transaction usable, so every error is listed.
            with transaction.atomic():
                outcome = _write(row, station=station, by=by, existing=known.get(row.key))
        except ValidationError as error:
            result.errors.append(f"{row.where()}: {_messages(error)}")
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
