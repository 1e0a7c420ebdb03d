"""Bulk import of org units, users and station assignments from an .xlsx workbook.

Every row is checked before anything is written; one bad row means nothing is
written and every bad row is reported with its sheet, row number and reason.
Rows are matched on natural keys (unit code, username, officer + station +
start), so importing the same workbook again changes nothing.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from accounts import services
from accounts.models import STATION_KINDS, CoBuildingLink, OrgKind, OrgUnit, StationAssignment, User
from accounts.roles import Role
from audit.services import audit_log
from core.validators import normalise_phone, validate_phone

SHEETS = {
    "org_units": {"组织", "组织机构", "单位"},
    "users": {"人员", "用户"},
    "assignments": {"驻点", "驻点安排"},
    "co_building": {"共建", "共建单位"},
}
COLUMNS = {
    "code": {"编码", "代码"},
    "name": {"名称", "姓名"},
    "kind": {"类型"},
    "parent_code": {"上级编码", "上级"},
    "username": {"用户名", "账号"},
    "phone": {"电话", "手机"},
    "org_unit_code": {"单位编码", "所属单位"},
    "roles": {"角色"},
    "email": {"邮箱"},
    "officer": {"干部用户名", "干部"},
    "station_code": {"驻点编码", "驻点"},
    "dispatching_unit_code": {"派出单位编码", "派出单位"},
    "start": {"开始日期", "开始"},
    "end": {"结束日期", "结束"},
    "village_code": {"村社编码"},
    "partner_code": {"共建单位编码"},
    "note": {"备注"},
}
KIND_ALIASES = {
    "市": OrgKind.CITY, "城市": OrgKind.CITY, "镇": OrgKind.TOWNSHIP, "乡": OrgKind.TOWNSHIP,
    "街道": OrgKind.TOWNSHIP, "镇街": OrgKind.TOWNSHIP, "园区": OrgKind.PARK, "村": OrgKind.VILLAGE,
    "社区": OrgKind.COMMUNITY, "企业": OrgKind.ENTERPRISE, "部门": OrgKind.DEPARTMENT,
    "市级部门": OrgKind.DEPARTMENT, "站所": OrgKind.TOWNSHIP_OFFICE, "镇街内设机构": OrgKind.TOWNSHIP_OFFICE,
    "其他": OrgKind.OTHER,
}  # fmt: skip
ROLE_ALIASES = {
    "干部": Role.OFFICER, "三驻干部": Role.OFFICER, "镇街民情办": Role.TOWNSHIP_STAFF,
    "办理人": Role.UNIT_HANDLER, "责任单位": Role.UNIT_HANDLER, "市民情办": Role.CITY_OFFICE,
    "领导": Role.LEADER, "管理员": Role.ADMIN,
}  # fmt: skip


@dataclass
class RowError:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


@dataclass
class ImportSummary:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def bump(self, sheet: str, outcome: str) -> None:
        self.counts.setdefault(sheet, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def describe(self) -> str:
        parts = [
            _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {"sheet": sheet, **c}
            for sheet, c in self.counts.items()
        ]
        return "; ".join(parts) or _("The workbook had no rows.")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError as exc:
        raise ValueError(_("'%(value)s' is not a date (write YYYY-MM-DD).") % {"value": value}) from exc


def _read_sheets(upload) -> dict[str, list[tuple[int, dict]]]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed([RowError("-", 0, _("The file is not a readable .xlsx workbook."))]) from exc
    out: dict[str, list[tuple[int, dict]]] = {}
    for ws in book.worksheets:
        title = ws.title.strip()
        key = next((k for k, aliases in SHEETS.items() if title == k or title in aliases), None)
        if key is None:
            continue
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = []
        for cell in header:
            label = _text(cell)
            names.append(next((k for k, aliases in COLUMNS.items() if label == k or label in aliases), label))
        out[key] = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            out[key].append((number, dict(zip(names, values, strict=False))))
    book.close()
    return out


class _Plan:
    """Everything the workbook says, checked, before a single write."""

    def __init__(self, sheets: dict[str, list[tuple[int, dict]]]):
        self.sheets = sheets
        self.errors: list[RowError] = []
        self.units: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.assignments: list[dict] = []
        self.links: list[dict] = []

    def fail(self, sheet: str, row: int, message: str) -> None:
        self.errors.append(RowError(sheet, row, message))

    def check(self) -> None:
        if not any(self.sheets.values()):
            self.fail("-", 0, _("No sheet named org_units, users, assignments or co_building with rows was found."))
        self._check_units()
        self._check_users()
        self._check_assignments()
        self._check_links()

    def unit_kind(self, code: str) -> str | None:
        if code in self.units:
            return self.units[code]["kind"]
        return OrgUnit.objects.filter(code=code).values_list("kind", flat=True).first()

    def _check_units(self) -> None:
        for row, data in self.sheets.get("org_units", []):
            code, name = _text(data.get("code")), _text(data.get("name"))
            raw_kind = _text(data.get("kind"))
            kind = raw_kind if raw_kind in OrgKind.values else KIND_ALIASES.get(raw_kind)
            parent_code = _text(data.get("parent_code"))
            if not code or not name:
                self.fail("org_units", row, _("Code and name are required."))
                continue
            if kind is None:
                self.fail("org_units", row, _("Unknown kind '%(kind)s'.") % {"kind": raw_kind})
                continue
            if code in self.units:
                self.fail("org_units", row, _("Code %(code)s appears twice in this sheet.") % {"code": code})
                continue
            self.units[code] = {"row": row, "code": code, "name": name, "kind": kind, "parent_code": parent_code}
        for code, unit in self.units.items():
            parent_code = unit["parent_code"]
            parent_kind = self.unit_kind(parent_code) if parent_code else None
            if parent_code and parent_kind is None:
                self.fail("org_units", unit["row"], _("Parent %(code)s does not exist.") % {"code": parent_code})
                continue
            try:
                services.org_unit_validate(kind=unit["kind"], parent=OrgUnit(kind=parent_kind) if parent_kind else None)
            except ValidationError as exc:
                self.fail("org_units", unit["row"], " ".join(exc.messages))
            if parent_code == code:
                self.fail("org_units", unit["row"], _("A unit cannot be its own parent."))

    def _check_users(self) -> None:
        for row, data in self.sheets.get("users", []):
            username = _text(data.get("username"))
            if not username:
                self.fail("users", row, _("Username is required."))
                continue
            if username in self.users:
                self.fail("users", row, _("Username %(u)s appears twice in this sheet.") % {"u": username})
                continue
            unit_code = _text(data.get("org_unit_code"))
            if unit_code and self.unit_kind(unit_code) is None:
                self.fail("users", row, _("Unit %(code)s does not exist.") % {"code": unit_code})
            phone = normalise_phone(_text(data.get("phone")))
            try:
                validate_phone(phone)
            except ValidationError as exc:
                self.fail("users", row, " ".join(exc.messages))
            roles = set()
            for raw in re.split(r"[,，、;；\s]+", _text(data.get("roles"))):
                if not raw:
                    continue
                role = raw if raw in Role.values else ROLE_ALIASES.get(raw)
                if role is None:
                    self.fail("users", row, _("Unknown role '%(role)s'.") % {"role": raw})
                roles.add(role)
            self.users[username] = {
                "row": row,
                "name": _text(data.get("name")),
                "phone": phone,
                "email": _text(data.get("email")),
                "unit_code": unit_code,
                "roles": roles - {None},
            }

    def _user_exists(self, username: str) -> bool:
        return username in self.users or User.objects.filter(username=username).exists()

    def _check_assignments(self) -> None:
        for row, data in self.sheets.get("assignments", []):
            officer = _text(data.get("officer") or data.get("username"))
            station_code, unit_code = _text(data.get("station_code")), _text(data.get("dispatching_unit_code"))
            try:
                start, end = _date(data.get("start")), _date(data.get("end"))
            except ValueError as exc:
                self.fail("assignments", row, str(exc))
                continue
            problems = []
            if not officer or not self._user_exists(officer):
                problems.append(_("Officer '%(u)s' does not exist.") % {"u": officer})
            station_kind = self.unit_kind(station_code) if station_code else None
            if station_kind is None:
                problems.append(_("Station %(code)s does not exist.") % {"code": station_code})
            elif station_kind not in STATION_KINDS:
                problems.append(_("A station must be a village, community or enterprise."))
            if not unit_code or self.unit_kind(unit_code) is None:
                problems.append(_("Dispatching unit %(code)s does not exist.") % {"code": unit_code})
            if start is None:
                problems.append(_("Start date is required."))
            elif end is not None and end < start:
                problems.append(_("The end date cannot be before the start date."))
            if problems:
                self.fail("assignments", row, " ".join(problems))
                continue
            item = {
                "row": row,
                "officer": officer,
                "station": station_code,
                "unit": unit_code,
                "start": start,
                "end": end,
            }
            for other in self.assignments:
                if other["officer"] == officer and other["station"] == station_code and _overlap(other, item):
                    self.fail("assignments", row, _("Overlaps the assignment on row %(row)s.") % {"row": other["row"]})
                    break
            else:
                self._check_overlap_in_db(item)
                self.assignments.append(item)

    def _check_overlap_in_db(self, item: dict) -> None:
        existing = StationAssignment.objects.filter(officer__username=item["officer"], station__code=item["station"])
        for other in existing.values("start", "end"):
            if other["start"] != item["start"] and _overlap(other, item):
                self.fail(
                    "assignments",
                    item["row"],
                    _("Overlaps an existing assignment from %(start)s.") % {"start": other["start"]},
                )
                return

    def _check_links(self) -> None:
        for row, data in self.sheets.get("co_building", []):
            village, partner = _text(data.get("village_code")), _text(data.get("partner_code"))
            if self.unit_kind(village) not in {OrgKind.VILLAGE, OrgKind.COMMUNITY}:
                self.fail("co_building", row, _("%(code)s is not a village or community.") % {"code": village})
            elif self.unit_kind(partner) is None:
                self.fail("co_building", row, _("Unit %(code)s does not exist.") % {"code": partner})
            else:
                self.links.append({"village": village, "partner": partner, "note": _text(data.get("note"))})


def _overlap(a: dict, b: dict) -> bool:
    far = datetime.date.max
    return a["start"] <= (b["end"] or far) and b["start"] <= (a["end"] or far)


def import_workbook(upload, *, by=None, request=None) -> ImportSummary:
    """Check every row, then write all of them or none; the attempt is audited either way."""
    try:
        plan = _Plan(_read_sheets(upload))
        plan.check()
        if plan.errors:
            raise ImportFailed(plan.errors)
        with transaction.atomic():
            summary = _apply(plan)
    except ImportFailed as failed:
        audit_log(
            action="import_org", user=by, request=request, outcome="failed", detail={"bad_rows": len(failed.errors)}
        )
        raise
    audit_log(action="import_org", user=by, request=request, detail=summary.counts)
    return summary


def _apply(plan: _Plan) -> ImportSummary:
    summary = ImportSummary()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=_all_codes(plan))}
    # Parents first: a unit's parent may be a later row of the sheet.
    pending = dict(plan.units)
    while pending:
        ready = [c for c, u in pending.items() if not u["parent_code"] or u["parent_code"] not in pending]
        if not ready:
            raise ImportFailed([RowError("org_units", u["row"], _("Parents form a loop.")) for u in pending.values()])
        for code in ready:
            row = pending.pop(code)
            parent = units.get(row["parent_code"]) if row["parent_code"] else None
            unit = units.get(code)
            if unit is None:
                unit = OrgUnit(code=code)
                outcome = "created"
            elif (unit.name, unit.kind, unit.parent_id) == (row["name"], row["kind"], parent.pk if parent else None):
                summary.bump("org_units", "unchanged")
                continue
            else:
                outcome = "updated"
            unit.name, unit.kind, unit.parent = row["name"], row["kind"], parent
            units[code] = services.org_unit_save(unit)
            summary.bump("org_units", outcome)
    _apply_users(plan, units, summary)
    _apply_assignments(plan, units, summary)
    _apply_links(plan, units, summary)
    return summary


def _all_codes(plan: _Plan) -> set[str]:
    codes = set(plan.units)
    codes |= {u["parent_code"] for u in plan.units.values() if u["parent_code"]}
    codes |= {u["unit_code"] for u in plan.users.values() if u["unit_code"]}
    codes |= {a["station"] for a in plan.assignments} | {a["unit"] for a in plan.assignments}
    codes |= {link["village"] for link in plan.links} | {link["partner"] for link in plan.links}
    return codes


def _apply_users(plan: _Plan, units: dict[str, OrgUnit], summary: ImportSummary) -> None:
    existing = {u.username: u for u in User.objects.filter(username__in=plan.users).prefetch_related("roles")}
    for username, row in plan.users.items():
        unit = units.get(row["unit_code"]) if row["unit_code"] else None
        user = existing.get(username)
        wanted = (row["name"], row["phone"], row["email"], unit.pk if unit else None)
        if user is None:
            user = User(username=username)
            user.set_unusable_password()  # an admin sets or resets it
            outcome = "created"
        elif (user.name, user.phone, user.email, user.org_unit_id) == wanted and user.role_names == row["roles"]:
            summary.bump("users", "unchanged")
            continue
        else:
            outcome = "updated"
        user.name, user.phone, user.email, user.org_unit = row["name"], row["phone"], row["email"], unit
        user.save()
        services.user_set_roles(user=user, roles=row["roles"])
        summary.bump("users", outcome)


def _apply_assignments(plan: _Plan, units: dict[str, OrgUnit], summary: ImportSummary) -> None:
    officers = {u.username: u for u in User.objects.filter(username__in={a["officer"] for a in plan.assignments})}
    for row in plan.assignments:
        officer, station, unit = officers[row["officer"]], units[row["station"]], units[row["unit"]]
        assignment = StationAssignment.objects.filter(officer=officer, station=station, start=row["start"]).first()
        if assignment is None:
            assignment = StationAssignment(officer=officer, station=station, start=row["start"])
            outcome = "created"
        elif (assignment.end, assignment.dispatching_unit_id) == (row["end"], unit.pk):
            summary.bump("assignments", "unchanged")
            continue
        else:
            outcome = "updated"
        assignment.end, assignment.dispatching_unit = row["end"], unit
        services.assignment_save(assignment)
        summary.bump("assignments", outcome)


def _apply_links(plan: _Plan, units: dict[str, OrgUnit], summary: ImportSummary) -> None:
    for row in plan.links:
        _link, created = CoBuildingLink.objects.get_or_create(
            village=units[row["village"]], partner=units[row["partner"]], defaults={"note": row["note"]}
        )
        summary.bump("co_building", "created" if created else "unchanged")
