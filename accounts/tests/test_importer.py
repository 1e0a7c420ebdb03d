import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from accounts.importer import ImportFailed, import_workbook
from accounts.models import OrgUnit, StationAssignment, User

pytestmark = pytest.mark.django_db

UNITS = [
    ("code", "name", "kind", "parent_code"),
    ("C9", "若耶市", "city", ""),
    ("C9T1", "平水镇", "镇", "C9"),
    ("C9T1V1", "日铸村", "村", "C9T1"),  # child listed after parent
    ("C9T1E1", "平水茶业有限公司", "enterprise", "C9T1"),
    ("C9D1", "若耶交通运输局", "部门", "C9"),
]
USERS = [
    ("username", "name", "phone", "org_unit_code", "roles"),
    ("pingshui_officer", "沈国强", "13812345678", "C9D1", "officer"),
    ("pingshui_staff", "葛玉兰", "0575-83012345", "C9T1", "镇街民情办、领导"),
]
ASSIGNMENTS = [
    ("officer", "station_code", "dispatching_unit_code", "start", "end"),
    ("pingshui_officer", "C9T1V1", "C9D1", "2026-01-01", ""),
    ("pingshui_officer", "C9T1E1", "C9D1", "2026-02-01", "2026-12-31"),
]


def workbook(units=UNITS, users=USERS, assignments=ASSIGNMENTS) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for title, rows in [("org_units", units), ("users", users), ("assignments", assignments)]:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_good_workbook_imports_everything():
    summary = import_workbook(workbook())
    assert summary.counts["org_units"]["created"] == 5
    village = OrgUnit.objects.get(code="C9T1V1")
    assert village.township.code == "C9T1" and village.city.code == "C9"
    staff = User.objects.get(username="pingshui_staff")
    assert staff.role_names == {"township_staff", "leader"}
    assert not staff.has_usable_password()
    assert StationAssignment.objects.get(station=village).kind == "village"


def test_importing_twice_changes_nothing():
    import_workbook(workbook())
    before = (OrgUnit.objects.count(), User.objects.count(), StationAssignment.objects.count())
    summary = import_workbook(workbook())
    assert summary.changed == 0
    assert (OrgUnit.objects.count(), User.objects.count(), StationAssignment.objects.count()) == before


def test_changed_rows_are_updated():
    import_workbook(workbook())
    units = list(UNITS)
    units[2] = ("C9T1", "平水镇（新）", "township", "C9")
    summary = import_workbook(workbook(units=units))
    assert summary.counts["org_units"] == {"created": 0, "updated": 1, "unchanged": 4}
    assert OrgUnit.objects.get(code="C9T1").name == "平水镇（新）"


def test_every_bad_row_is_reported_and_nothing_is_written():
    units = [
        *UNITS,
        ("C9T1V2", "", "village", "C9T1"),
        ("C9X", "城堡", "castle", "C9"),
        ("C9T1V3", "无主村", "village", "NOPE"),
    ]
    users = [*USERS, ("bad_phone", "错号", "12345", "C9T1", "officer"), ("bad_role", "某人", "", "C9T1", "king")]
    assignments = [
        *ASSIGNMENTS,
        ("pingshui_officer", "C9T1V1", "C9D1", "2026-06-01", ""),
        ("ghost", "C9D1", "C9D1", "soon", ""),
    ]
    with pytest.raises(ImportFailed) as failed:
        import_workbook(workbook(units, users, assignments))
    rows = {(e.sheet, e.row) for e in failed.value.errors}
    assert rows == {
        ("org_units", 7), ("org_units", 8), ("org_units", 9),
        ("users", 4), ("users", 5),
        ("assignments", 4), ("assignments", 5),
    }  # fmt: skip
    messages = " ".join(str(e) for e in failed.value.errors)
    assert (
        "castle" in messages and "NOPE" in messages and "king" in messages and "与第 2 行的驻点安排时间重叠" in messages
    )
    assert not OrgUnit.objects.filter(code__startswith="C9").exists()
    assert not User.objects.filter(username__startswith="pingshui").exists()


def test_not_a_workbook():
    with pytest.raises(ImportFailed) as failed:
        import_workbook(io.BytesIO(b"<html>not excel</html>"))
    assert "xlsx" in str(failed.value.errors[0])


def test_management_command(tmp_path):
    path = tmp_path / "org.xlsx"
    path.write_bytes(workbook().getvalue())
    out = io.StringIO()
    call_command("import_org", str(path), stdout=out)
    assert "新增 5" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(users=[*USERS, ("x", "x", "999", "", "")]).getvalue())
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_org", str(bad), stderr=io.StringIO())


def test_admin_import_page(client, cast):
    client.force_login(cast.admin)
    page = client.get("/admin/accounts/orgunit/import/")
    assert page.status_code == 200
    bad = workbook(users=[*USERS, ("x", "x", "999", "", "")])
    bad.name = "bad.xlsx"
    r = client.post("/admin/accounts/orgunit/import/", {"file": bad})
    assert (
        r.status_code == 200 and "nothing was imported" in r.content.decode().lower() or "未导入" in r.content.decode()
    )
    good = workbook()
    good.name = "org.xlsx"
    r = client.post("/admin/accounts/orgunit/import/", {"file": good})
    assert r.status_code == 302
    assert OrgUnit.objects.filter(code="C9T1V1").exists()
    from audit.models import AuditEvent

    imports = AuditEvent.objects.filter(action="import_org", user=cast.admin).order_by("id")
    assert [e.outcome for e in imports] == ["failed", "ok"]
    # The admin's own POSTs are in the trail too.
    assert AuditEvent.objects.filter(action="admin_change", user=cast.admin).count() == 2


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='minqing.settings'; django.setup()"
    # A production machine: no `make run` env file (even when this checkout has one), no secret.
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "MINQING_ENV_FILE": ""}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
