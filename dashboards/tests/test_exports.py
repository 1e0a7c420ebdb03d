"""Spreadsheet exports: filters applied, personal data masked unless the role needs it, scoped, audited."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from core.testing.factories import CaseFactory
from dashboards import exports
from dashboards.models import Export
from dashboards.services.exports import export_run

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def sheet(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


def test_township_staff_gets_the_residents_contact_details(client, cast, recent):
    client.force_login(cast.township_staff)
    rows = sheet(client.get("/dashboard/export/cases/", {"tab": "all"}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["编号", "标题", "类别"]
    assert {r[1] for r in body} == {"东溪村道路坑洼", "新桥社区路灯不亮"}
    row = next(r for r in body if r[1] == "东溪村道路坑洼")
    assert row[header.index("反映人电话")] == "13812345678" and row[header.index("反映人")] == "张三丰"
    event = AuditEvent.objects.get(action="export")
    assert event.user == cast.township_staff and event.detail["rows"] == 2 and event.detail["personal_data"] is True


def test_leaders_get_it_masked(client, cast, recent):
    client.force_login(cast.leader)
    rows = sheet(client.get("/dashboard/export/cases/", {"status": "in_progress"}))
    header, body = rows[0], rows[1:]
    assert [r[1] for r in body] == ["西山村水渠堵塞"]
    assert body[0][header.index("反映人电话")] == "139****1111" and body[0][header.index("反映人")] == "李*"
    assert "13900001111" not in str(rows)
    assert AuditEvent.objects.get(action="export").detail["personal_data"] is False


def test_a_township_never_exports_another_townships_cases(client, cast, recent):
    client.force_login(cast.township_leader)
    # Another township is not a choice of the case list's filter, so neither of its export.
    assert client.get("/dashboard/export/cases/", {"township": cast.township_b.pk}).status_code == 400
    rows = sheet(client.get("/dashboard/export/township/", period()))
    assert "长乐镇" not in str(rows)
    rows = sheet(client.get("/dashboard/export/unit/", period()))
    assert "长乐镇" not in str(rows)
    bad = client.get("/dashboard/export/township/", {**period(), "township": cast.township_b.pk})
    assert bad.status_code == 400


KEY_HEADERS = {"township": "镇街", "unit": "责任单位", "category": "问题类别", "week": "周", "month": "月份",
               "officer": "干部", "rankings": "单位"}  # fmt: skip


@pytest.mark.parametrize("kind", KEY_HEADERS)
def test_every_dashboard_table_exports(client, cast, recent, kind):
    client.force_login(cast.city_office)
    rows = sheet(client.get(f"/dashboard/export/{kind}/", period()))
    assert rows[0][0] == KEY_HEADERS[kind]  # the first column says what its rows are
    if kind == "township":
        assert {r[0] for r in rows[1:]} == {"甘霖镇", "长乐镇"}


def test_unknown_table_and_bad_filters(client, cast):
    client.force_login(cast.city_office)
    assert client.get("/dashboard/export/nonsense/").status_code == 404
    for params in ({"status": "nope"}, {"date_from": "x"}, {"township": "abc"}, {"overdue": "maybe"},
                   {"category": "no.such"}):  # fmt: skip
        assert client.get("/dashboard/export/cases/", params).status_code == 400, params
    assert not AuditEvent.objects.filter(action="export").exists()


def test_text_that_looks_like_a_formula_stays_text(client, cast, cats):
    CaseFactory(cast=cast, category=cats["infra.road"], raised=timezone.now(), title='=HYPERLINK("http://x","点我")')
    client.force_login(cast.city_office)
    rows = sheet(client.get("/dashboard/export/cases/", {"tab": "all"}))
    assert rows[1][1] == '\'=HYPERLINK("http://x","点我")'


def test_large_exports_are_built_in_the_worker_for_their_owner_only(client, cast, recent, monkeypatch):
    monkeypatch.setattr(exports, "SYNC_LIMIT", 1)
    client.force_login(cast.leader)
    r = client.get("/dashboard/export/cases/", {"q": "13900001111"})
    assert r.status_code == 200  # q matched nothing: a small answer, built at once
    r = client.get("/dashboard/export/cases/")
    assert r.status_code == 302 and r["Location"] == "/dashboard/exports/"
    export = Export.objects.get()
    assert export.owner == cast.leader and export.status == Export.Status.PENDING
    export_run(export.pk)
    export_run(export.pk)  # a redelivered task does nothing
    export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.rows == 3
    assert "下载" in client.get("/dashboard/exports/").content.decode()
    rows = sheet(client.get(f"/dashboard/exports/{export.pk}/download/"))
    assert len(rows) == 4 and "13812345678" not in str(rows)
    events = AuditEvent.objects.filter(action="export").order_by("id")
    assert [e.detail["rows"] for e in events] == [0, 3]
    assert "13900001111" not in str([e.detail for e in events])
    client.force_login(cast.city_office)
    assert client.get(f"/dashboard/exports/{export.pk}/download/").status_code == 404


def test_the_export_holds_the_rows_of_the_list_it_was_asked_from(client, cast, recent):
    """Same parameters, same rows: the tab (the first one when none is named) and the filters."""
    client.force_login(cast.township_staff)
    for params in ({}, {"tab": "all"}, {"tab": "all", "status": "closed"}, {"tab": "to_dispatch"}):
        page = client.get("/cases/", params).content.decode()
        listed = int(re.search(r'data-total="(\d+)"', page).group(1))
        assert len(sheet(client.get("/dashboard/export/cases/", params))) - 1 == listed, params
