"""The city office's journey in real Chromium: the dashboard, a figure to its cases, a hotspot to a project."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from cases.models import Project
from core.testing import PASSWORD
from core.testing.factories import CaseFactory, DiaryEntryFactory
from core.testing.twofactor import totp_code, totp_device
from dashboards.services.hotspots import hotspots_detect
from dashboards.tests.test_hotspots import ROAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, username: str, device=None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    if device is not None:  # the city office signs in with a second factor
        page.wait_for_url("**/accounts/2fa/**")
        page.fill("#id_code", totp_code(device))
        page.click("button.primary")  # the header has a sign-out button now
    page.wait_for_url(f"{base}/")


def test_city_office_follows_a_figure_and_turns_a_hotspot_into_a_project(live_server, phone_page, cast, cats,
                                                                          township_c):  # fmt: skip
    now = timezone.now()
    townships = [cast.township, cast.township_b, township_c[0]]
    for i, (township, title) in enumerate(zip(townships, ROAD, strict=True)):
        CaseFactory(
            cast=cast,
            category=cats["infra.road"],
            raised=now - datetime.timedelta(days=2 + i),
            township=township,
            title=title,
        )
    DiaryEntryFactory(
        officer=cast.officer,
        station=cast.village,
        visit_date=timezone.localdate() - datetime.timedelta(days=1),
        household_visits=4,
    )
    hotspots_detect(city=cast.city, now=now)
    page = phone_page
    base = live_server.url
    sign_in(page, base, "city_office", device=totp_device(cast.city_office))

    page.click("nav >> text=统计分析")
    page.wait_for_url(f"{base}/dashboard/")
    assert "全市统计" in page.locator("h1").inner_text()
    # ECharts drew the charts from the page's JSON (no inline script), next to their tables.
    page.wait_for_selector('[data-chart="chart-week"][data-drawn="1"] canvas')
    assert page.locator("#table-township table").inner_text().count("镇") >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    raised = page.locator('a.kpi[data-key="raised"]')
    this_year = sum((now - datetime.timedelta(days=2 + i)).year == timezone.localdate().year for i in range(3))
    assert raised.locator(".kpi-value").inner_text() == str(this_year)
    raised.click()
    page.wait_for_url("**/cases/**")
    url = urlsplit(page.url)
    assert url.path == "/cases/"
    query = parse_qs(url.query)
    today = timezone.localdate()
    assert query == {
        "date_from": [today.replace(month=1, day=1).isoformat()], "date_to": [today.isoformat()], "tab": ["all"],
        "invalid": ["0"],  # 无效 cases count in no figure, so its list leaves them out
    }  # fmt: skip
    assert page.locator("[data-total]").get_attribute("data-total") == str(this_year)

    page.goto(f"{base}/dashboard/hotspots/")
    hotspot = page.locator("section.hotspot").first
    for title in ROAD:
        assert title in hotspot.inner_text()
    hotspot.locator('[data-action="make-project"]').click()
    page.wait_for_selector("#form-hotspot-project")  # the lead unit and the first milestone, then create
    page.select_option("#id_lead_unit", str(cast.department.pk))
    page.fill("#id_milestone_title", "完成勘察设计")
    page.fill("#id_milestone_on", (timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.click("#form-hotspot-project button[type=submit]")
    page.wait_for_url(f"{base}/projects/*/")
    assert ROAD[0] in page.locator("h1").inner_text()
    assert "每件事项仍须向各自的反映人单独反馈" in page.content()
    project = Project.objects.get()
    assert project.cases.count() == 3 and page.url.endswith(f"/projects/{project.pk}/")
