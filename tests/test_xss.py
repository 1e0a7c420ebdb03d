"""XSS corpus (issue 7): hostile text through every user-writable field, then every page and export.

Nothing may come out as markup (tests/xss_corpus.py scans the parsed HTML) and
no spreadsheet cell may be a formula or start like one.
"""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from accounts.services import org_unit_save
from cases import services
from cases.models import Case
from cases.services.projects import project_create, project_update
from core.testing import PASSWORD
from core.testing.factories import HotspotCaseFactory, HotspotFactory, SourceFactory
from dashboards.tables import TABLE_KINDS
from diaries.services import DiaryData, IssueData, VisitData, diary_create, diary_review
from integrations.services import order_receive
from tests.access_matrix import MATRIX
from tests.world import build_world
from tests.xss_corpus import PAYLOADS, html_problems, payloads, xlsx_cells, xlsx_problems

pytestmark = pytest.mark.django_db

ROLES = ("officer", "township_staff", "unit_handler", "city_office", "leader", "admin")
SKIP = {
    "accounts/login/",  # anonymous only, no stored text
    "dashboard/report/pdf/",  # the same template as report/, printed (escaping is the template's)
    "dashboard/export/cases/", "dashboard/export/<slug:kind>/", "dashboard/exports/<int:pk>/download/",  # xlsx
}  # fmt: skip


def hostile_world(cast):
    """The matrix's world, its names and texts replaced by the corpus through the services."""
    world = build_world(cast)
    text = payloads()
    for unit in (cast.city, cast.township, cast.village, cast.office, cast.department):
        unit.name = next(text)[:100]
        org_unit_save(unit)
    for user in (cast.officer, cast.township_staff, cast.office_handler, cast.city_office):
        user.name = next(text)[:50]
        user.save(update_fields=["name"])
    road = world.case_a.category
    road.name = next(text)[:50]
    road.save(update_fields=["name"])

    entry = diary_create(officer=cast.officer, data=DiaryData(
        station=cast.village, visit_date=timezone.localdate(), visit_type="household", content=next(text),
        visits=[VisitData(kind="household", name=next(text)[:50], phone="13812345678", address=next(text))],
        issues=[IssueData(title=next(text), category=road, urgency="normal", description=next(text),
                          reporter_name=next(text)[:50], reporter_phone="13812345678", reporter_address=next(text))],
    ))  # fmt: skip
    diary_review(entry_id=entry.pk, by=cast.township_staff, comment=next(text))

    # One case through the whole loop, every text of every step hostile.
    pk = Case.objects.get(diary=entry).pk
    services.case_dispatch(case_id=pk, by=cast.township_staff, unit=cast.office, note=next(text))
    services.case_sign(case_id=pk, by=cast.office_handler)
    services.case_extension_request(case_id=pk, by=cast.office_handler, days=2, reason=next(text))
    services.case_extension_decide(case_id=pk, by=cast.township_staff, approve=False, note=next(text))
    services.case_reply(case_id=pk, by=cast.office_handler, result=next(text), outcome="partly_solved")
    services.case_review(case_id=pk, by=cast.township_staff, approve=False, reason=next(text))
    services.case_reply(case_id=pk, by=cast.office_handler, result=next(text), outcome="solved")
    services.case_review(case_id=pk, by=cast.township_staff, approve=True)
    services.case_feedback(case_id=pk, by=cast.officer, channel="visit", content=next(text),
                           resident_response=next(text))  # fmt: skip
    services.case_callback(case_id=pk, by=cast.township_staff, reached=True, solved=False,
                           satisfaction="unsatisfied", note=next(text))  # fmt: skip
    services.case_redo(case_id=pk, by=cast.township_staff, reason=next(text))

    # One raised at the desk: returned, escalated, supervised, merged into a project.
    other = services.case_raise(
        by=cast.township_staff, title=next(text), description=next(text), category=road, urgency="urgent",
        source="phone", township=cast.township, reporter_name=next(text)[:50], reporter_address=next(text)[:200],
    )  # fmt: skip
    services.case_dispatch(case_id=other.pk, by=cast.township_staff, unit=cast.office)
    services.case_return(case_id=other.pk, by=cast.office_handler, reason=next(text))
    services.case_escalate(case_id=other.pk, by=cast.township_staff, reason=next(text))
    services.case_supervise(case_id=other.pk, by=cast.city_office, note=next(text))
    project = project_create(by=cast.city_office, title=next(text), case_ids=[other.pk],
                                      description=next(text))  # fmt: skip
    project_update(by=cast.city_office, project=project, progress=next(text))
    case = Case.objects.get(pk=pk)
    hotspot = HotspotFactory(cast=cast, category=road, title=next(text), townships=2, residents=2, score=0.9,
                             detected_at=timezone.now() - datetime.timedelta(hours=1))  # fmt: skip
    HotspotCaseFactory(hotspot=hotspot, case=case, similarity=1.0)
    # An order from another platform (integrations), waiting in the admin's mapping queue; the city office is told.
    platform = SourceFactory(code="12345", name=next(text)[:100], cast=cast)
    order_receive(source=platform, data={
        "external_id": next(text)[:64], "category_code": next(text)[:64], "title": next(text), "content": next(text),
        "reporter_name": next(text)[:50], "reporter_phone": "", "address": next(text), "township_code": next(text)[:32],
        "deadline": None, "reported_at": timezone.now(),
    })  # fmt: skip
    world.case_a, world.diary_a, world.project, world.hotspot = case, entry, project, hotspot
    world.other_case = other
    return world


def _pages(world) -> list[str]:
    paths = [entry.path(world) for route, entry in MATRIX.items()
             if not entry.api and entry.method == "GET" and route not in SKIP]  # fmt: skip
    paths += [f"/cases/{world.other_case.pk}/", f"/projects/{world.project.pk}/"]
    # Typed input shown back in the filter forms.
    for payload in PAYLOADS[:8]:
        query = urlencode({"q": payload, "action": payload, "username": payload, "title": payload})
        paths += [f"/cases/?{query}", f"/diaries/?{query}", f"/audit/?{query}"]
    return paths


def test_nothing_stored_or_typed_comes_out_as_markup(cast, client):
    world = hostile_world(cast)
    problems, seen, shown = [], 0, 0
    for role in ROLES:
        world.me = world.by_role()[role]
        client.force_login(world.me)
        for path in _pages(world):
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            seen += 1
            shown += "window.__xss" in html
            problems += [f"{role} {path}: {p}" for p in html_problems(html)]
    assert problems == []
    assert seen > 60 and shown > 40  # the walk really rendered the pages, and the corpus on them


def test_spreadsheets_hold_no_formula(cast, client):
    hostile_world(cast)
    problems, cells = [], 0
    for user in (cast.township_staff, cast.leader, cast.city_office):
        client.force_login(user)
        for path in ["/dashboard/export/cases/", *(f"/dashboard/export/{kind}/" for kind in TABLE_KINDS)]:
            response = client.get(path)
            if response.status_code != 200:
                continue
            assert response["Content-Type"].startswith("application/vnd.openxmlformats"), path
            problems += [f"{user.username} {path}: {p}" for p in xlsx_problems(response.content)]
            cells += sum("cmd|" in str(cell.value) for _title, cell in xlsx_cells(response.content))
    assert problems == []
    assert cells, "no hostile text reached a spreadsheet"


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if "<" in p or p.startswith(("javascript", "'"))])
def test_the_scanner_sees_each_payload_when_it_is_not_escaped(payload):
    """The checks above are only worth something if an unescaped payload would fail them."""
    from django.utils.html import escape

    contexts = [f"<p>{payload}</p>", f'<p title="{payload}">x</p>', f"<p title='{payload}'>x</p>",
                f'<a href="{payload}">x</a>']  # fmt: skip
    assert any(html_problems(c) for c in contexts), payload
    escaped = escape(payload)
    assert not any(html_problems(c.replace(payload, escaped)) for c in contexts[:3]), payload


def test_the_spreadsheet_check_sees_a_formula():
    from core.xlsx import workbook

    raw = workbook("t", ["h"], [["x"]])
    assert xlsx_problems(raw) == []
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["=1+1", "@SUM(A1)"])
    out = io.BytesIO()
    book.save(out)
    assert len(xlsx_problems(out.getvalue())) == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_runs_none_of_it(live_server, phone_page, cast):
    """In Chromium, with the CSP of the app: the pages showing the corpus never call window.__xss."""
    world = hostile_world(cast)
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for path in (f"/cases/{world.case_a.pk}/", f"/diaries/{world.diary_a.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert "window.__xss" in page.content()  # the payloads are on the page, as text
        page.mouse.move(100, 300)  # hover handlers, had any got through
        assert page.evaluate("typeof window.__xss") == "undefined", path


def test_admin_pages_show_the_corpus_as_text(cast, client):
    """The admin lists and change forms of every registered model, with the hostile names in them."""
    from django.contrib import admin
    from django.urls import reverse

    hostile_world(cast)
    client.force_login(cast.admin)
    problems, seen, shown = [], 0, 0
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        paths = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        first = model._default_manager.order_by("-pk").first()
        if first is not None:
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            seen += 1
            shown += "window.__xss" in html
            problems += [f"{path}: {p}" for p in html_problems(html)]
    assert problems == []
    assert seen > 10 and shown > 3
