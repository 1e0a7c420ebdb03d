"""In real Chromium: township staff open their township's coverage and the records not visited yet; the
officer who takes over a station finds the predecessor's handover note, the records and the open cases."""

import pytest
from django.utils import timezone

from accounts.handover import user_deactivate
from cases.models import Case
from core.testing.browser import sign_in
from core.testing.factories import DiaryEntryFactory, RaisedCaseFactory, UserFactory, VisitFactory
from households.services import household_create, visits_recorded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(cast, record):
    today = timezone.localdate()
    VisitFactory(entry=DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=today),
                 household=record)  # fmt: skip
    visits_recorded([record.pk], on=today)


def test_township_staff_see_coverage_and_open_the_records_not_visited(browser, live_server, cast):
    made = {name: household_create(by=cast.officer, station=cast.village, name=name, address=f"{i}组")
            for i, name in enumerate(("王秀英", "李四", "张三", "赵六"), start=1)}  # fmt: skip
    _visit(cast, made["王秀英"])
    context, page = sign_in(browser, live_server, "township_staff")
    try:
        page.goto(f"{live_server.url}/dashboard/")
        panel = page.locator("section.coverage")
        assert panel.locator('[data-key="households"] .kpi-value').inner_text().strip() == "4"
        assert panel.locator('[data-key="households_visited"] .kpi-value').inner_text().strip() == "1"
        assert "25" in panel.locator('[data-key="coverage_rate"] .kpi-value').inner_text()
        panel.locator('[data-key="coverage_rate"]').click()  # the rate opens the records it still lacks
        page.wait_for_url("**/dashboard/households/**")
        listed = page.locator("main table").first.inner_text()
        assert page.locator("[data-total]").get_attribute("data-total") == "3"
        assert all(name in listed for name in ("李四", "张三", "赵六")) and "王秀英" not in listed
    finally:
        context.close()


def test_the_next_officer_finds_the_note_the_records_and_the_open_cases(browser, live_server, cast):
    household_create(by=cast.officer, station=cast.village, name="王秀英", address="三组12号")
    case = RaisedCaseFactory(cast=cast, title="村口路灯不亮")
    # The leaving officer writes the note on their phone.
    context, page = sign_in(browser, live_server, "officer")
    try:
        page.goto(f"{live_server.url}/households/stations/{cast.village.pk}/")
        page.click("section.handover summary")
        page.fill("section.handover textarea", "王秀英独居，每周二去看一次；路灯的事已报镇里。")
        page.click("section.handover button[type=submit]")
        page.wait_for_selector("[data-note]")
    finally:
        context.close()
    # The admin deactivates them, naming who takes over (the service the admin page and the API call).
    successor = UserFactory(username="officer_next", name="陈新", roles=["officer"], org_unit=cast.village)
    user_deactivate(person=cast.officer, successor=successor, by=cast.admin)
    assert Case.objects.get(pk=case.pk).officer_id == successor.pk

    context, page = sign_in(browser, live_server, "officer_next")
    try:
        page.goto(f"{live_server.url}/households/stations/{cast.village.pk}/")
        assert "王秀英独居，每周二去看一次" in page.locator("[data-note]").inner_text()
        assert "王秀英" in page.locator("main").inner_text() and "陈新" in page.locator("ul.officers").inner_text()
        page.goto(f"{live_server.url}/cases/")
        assert "村口路灯不亮" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a phone, no sideways scrolling
    finally:
        context.close()
