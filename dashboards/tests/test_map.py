"""一张图: the map's figures per township, its points and pins, who sees what, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing.factories import (
    CaseFactory,
    DiaryEntryFactory,
    HotspotCaseFactory,
    HotspotFactory,
    TownshipBoundaryFactory,
    TownshipFactory,
)
from core.testing.factories.dashboards import square
from dashboards.forms import StatsFilterForm
from dashboards.mapdata import FIGURES
from dashboards.metrics import Metrics
from dashboards.tables import dimension_table
from dashboards.tests.test_query_counts import add_activity

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


@pytest.fixture
def outlined(cast):
    a = TownshipBoundaryFactory(township=cast.township, geojson=square(120.80, 29.60))
    b = TownshipBoundaryFactory(township=cast.township_b, geojson=square(120.90, 29.60))
    return a, b


def _api(client, user, **params):
    client.force_login(user)
    return client.get("/api/v1/stats/map/", {**period(), **params})


@pytest.mark.parametrize("figure", list(FIGURES))
def test_map_figures_equal_the_overviews_township_table(client, cast, recent, outlined, figure):
    answer = _api(client, cast.city_office, figure=figure).json()
    form = StatsFilterForm(period(), user=cast.city_office)
    assert form.is_valid()
    table = dimension_table(Metrics(form.selection()), "township")
    expected = {row.key: row.figures[FIGURES[figure]] for row in table.rows if row.key is not None}
    got = {t["id"]: t["value"] for t in answer["townships"]}
    assert set(expected) <= set(got)
    for township, value in expected.items():
        assert got[township] == value, (figure, township)
    # A township in which nothing happened shows zeros for counts, no rate at all.
    assert answer["figure"] == figure


def test_map_answer_has_outlines_points_and_pins(client, cast, recent, outlined):
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, latitude="29.601", longitude="120.801",
                              visit_date=timezone.localdate() - datetime.timedelta(days=1))  # fmt: skip
    CaseFactory(cast=cast, diary=entry, raised=timezone.now() - datetime.timedelta(days=1))
    hotspot = HotspotFactory(cast=cast, title="道路坑洼成片")
    HotspotCaseFactory(hotspot=hotspot, case=recent["a"])
    HotspotCaseFactory(hotspot=hotspot, case=recent["other"])
    answer = _api(client, cast.city_office).json()
    assert {f["properties"]["name"] for f in answer["geojson"]["features"]} == {
        str(cast.township.pk), str(cast.township_b.pk)}  # fmt: skip
    assert answer["points"]["visits"] == [[120.801, 29.601]]
    assert answer["points"]["cases"] == [[120.801, 29.601]]
    assert answer["points"]["capped"] == {"visits": False, "cases": False}
    pins = {p["township"]: p for p in answer["hotspots"]}
    assert set(pins) == {cast.township.pk, cast.township_b.pk}
    assert pins[cast.township.pk]["titles"] == ["道路坑洼成片"]
    assert pins[cast.township.pk]["coord"] == pytest.approx([120.80, 29.60])
    row = next(t for t in answer["townships"] if t["id"] == cast.township.pk)
    assert row["dashboard_url"].startswith(f"/dashboard/?date_from={period()['date_from']}")
    assert f"township={cast.township.pk}" in row["dashboard_url"]
    assert row["list_url"].startswith("/cases/?") and f"township={cast.township.pk}" in row["list_url"]
    assert answer["tile_link"] == ""


def test_township_staff_see_only_their_township(client, cast, recent, outlined):
    answer = _api(client, cast.township_staff).json()
    assert [t["id"] for t in answer["townships"]] == [cast.township.pk]
    assert [f["properties"]["name"] for f in answer["geojson"]["features"]] == [str(cast.township.pk)]
    assert answer["hotspots"] == []  # hotspots are the city office's
    # Another township is not theirs to choose.
    assert _api(client, cast.township_staff, township=cast.township_b.pk).status_code == 400
    page = client.get("/dashboard/map/", period())
    assert page.status_code == 200
    html = page.content.decode()
    assert cast.township.name in html and cast.township_b.name not in html


def test_roles_without_an_area_are_refused(client, cast):
    assert _api(client, cast.office_handler).status_code == 403
    assert client.get("/dashboard/map/").status_code == 403


def test_bad_figure_is_a_clear_400(client, cast):
    answer = _api(client, cast.city_office, figure="nonsense")
    assert answer.status_code == 400 and "figure" in answer.json()


def test_page_lists_every_township_with_its_figure_and_links_without_javascript(client, cast, recent, outlined):
    client.force_login(cast.city_office)
    html = client.get("/dashboard/map/", {**period(), "figure": "closure_rate"}).content.decode()
    assert 'id="table-map"' in html and 'data-src="/api/v1/stats/map/?' in html
    for township in (cast.township, cast.township_b):
        assert f'<tr data-township="{township.pk}">' in html
    assert "/cases/?" in html and "figure=closure_rate" in html
    assert 'href="/dashboard/map/"' in html  # the dashboards' navigation


def test_tile_setting_gives_a_link(client, cast, outlined, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    answer = _api(client, cast.city_office).json()
    assert answer["tile_link"].startswith("https://tiles.example/10/") and "{" not in answer["tile_link"]


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/stats/map/", period()).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_townships(client, cast, cats):
    townships = [cast.township, cast.township_b]
    for t in townships:
        TownshipBoundaryFactory(township=t)
    add_activity(cast, cats, 6, townships)
    client.force_login(cast.city_office)
    few = _count(client)
    more = [TownshipFactory(code=f"MAP{i}", name=f"新镇{i}", parent=cast.city) for i in range(5)]
    for t in more:
        TownshipBoundaryFactory(township=t)
    add_activity(cast, cats, 20, townships + more)
    assert _count(client) == few
