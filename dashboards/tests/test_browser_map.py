"""一张图 in real Chromium: the city office clicks a township on the map, lands on its figures and its cases."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from core.testing.browser import sign_in
from core.testing.factories import CaseFactory, DiaryEntryFactory, TownshipBoundaryFactory
from core.testing.factories.dashboards import square
from core.testing.twofactor import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def click_township(page, township) -> None:
    """A real click on the canvas, at the pixel of the township's centre (its square's middle)."""
    page.wait_for_selector('#township-map[data-drawn="1"] canvas')
    page.locator("#township-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => {
            const el = document.getElementById('township-map');
            const chart = echarts.getInstanceByDom(el);
            const [px, py] = chart.convertToPixel({geoIndex: 0}, [120.80, 29.60]);
            const box = el.getBoundingClientRect();
            return [box.left + px, box.top + py];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_selector(f'#map-panel[data-township="{township.pk}"]')
    assert township.name in page.locator("#map-panel-title").inner_text()


def test_city_office_clicks_a_township_on_the_map(browser, live_server, cast, cats):
    TownshipBoundaryFactory(township=cast.township, geojson=square(120.80, 29.60, 0.04))
    TownshipBoundaryFactory(township=cast.township_b, geojson=square(120.90, 29.60, 0.04))
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, latitude="29.61", longitude="120.79",
                              visit_date=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    CaseFactory(cast=cast, category=cats["infra.road"], diary=entry, title="东溪村道路坑洼",
                raised=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    context, page = sign_in(browser, live_server, "city_office", totp_device(cast.city_office))
    base = live_server.url
    page.goto(f"{base}/dashboard/")
    page.click('.dash-tabs a[href="/dashboard/map/"]')
    page.wait_for_selector('#township-map[data-drawn="1"] canvas')
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The table beside the map holds the same figures.
    assert cast.township.name in page.locator("#table-map").inner_text()
    click_township(page, cast.township)
    page.click("#map-panel-dashboard")
    page.wait_for_url(f"{base}/dashboard/?**")
    assert parse_qs(urlsplit(page.url).query)["township"] == [str(cast.township.pk)]
    assert cast.township.name in page.locator("h1").inner_text()

    page.go_back()
    click_township(page, cast.township)
    page.click("#map-panel-list")
    page.wait_for_url(f"{base}/cases/?**")
    assert parse_qs(urlsplit(page.url).query)["township"] == [str(cast.township.pk)]
    assert "东溪村道路坑洼" in page.content()
    context.close()
