"""Coverage figures where figures go: the overview's panel, the records they open, the API, exports,
the monthly report and the map. The ledger and its hand-worked figures are coverage_world's."""

import io
import re

import pytest
from openpyxl import load_workbook

from core.testing.moments import at
from dashboards.models import MonthlyReportSnapshot
from dashboards.report import freeze_month
from dashboards.tables import LABELS
from dashboards.tests.coverage_world import NOW, D

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

NOVEMBER = {"date_from": "2026-11-01", "date_to": "2026-11-20"}
TOTAL = re.compile(r'data-total="(\d+)"')


@pytest.fixture(autouse=True)
def today(clock):
    clock.move_to(NOW)


def _total(response) -> int:
    assert response.status_code == 200
    return int(TOTAL.search(response.content.decode()).group(1))


def test_the_township_desk_sees_the_records_not_yet_visited(client, cast, ledger):
    client.force_login(cast.township_staff)
    response = client.get("/dashboard/households/", {**NOVEMBER, "figure": "not_visited"})
    page = response.content.decode()
    # Township A: h2 (visited in October only), h3 (never), h6 (new); h5 moved away; B is not theirs.
    assert _total(response) == 3
    assert "甲二" in page and "甲三" in page and "甲六" in page
    assert "甲一" not in page and "乙" not in page and "甲五" not in page
    assert f'href="/households/{ledger["h3"].pk}/"' in page
    # Addresses masked as the ledger masks them.
    assert "东溪村3号" not in page and "东溪****" in page


def test_key_records_overdue_and_an_officer_sees_their_own_stations(client, cast, ledger):
    client.force_login(cast.officer)
    response = client.get("/dashboard/households/", {**NOVEMBER, "figure": "key_overdue"})
    assert _total(response) == 1 and "甲二" in response.content.decode()
    client.force_login(cast.officer_b)
    assert _total(client.get("/dashboard/households/", {**NOVEMBER, "figure": "key_overdue"})) == 0


def test_the_city_office_sees_counts_per_station_and_no_names(client, cast, ledger):
    client.force_login(cast.city_office)
    response = client.get("/dashboard/households/", {**NOVEMBER, "figure": "households_visited"})
    page = response.content.decode()
    assert _total(response) == 4
    for record in ledger.values():
        assert record.name not in page and record.address not in page
    assert cast.village.name in page and cast.village_b.name in page


def test_bad_filters_get_a_message_not_an_error(client, cast, ledger):
    client.force_login(cast.township_staff)
    response = client.get("/dashboard/households/", {"figure": "everyone", "date_from": "yesterday"})
    assert response.status_code == 200 and 'class="errors"' in response.content.decode()


def test_a_unit_keeps_no_ledger(client, cast, ledger):
    client.force_login(cast.office_handler)
    assert client.get("/dashboard/households/").status_code == 403


def test_the_overview_panel_opens_lists_of_the_same_number(client, cast, ledger):
    client.force_login(cast.city_office)
    page = client.get("/dashboard/", NOVEMBER).content.decode()
    assert 'id="coverage-title"' in page and 'data-key="coverage_rate"' in page
    cards = re.findall(r'<a class="kpi" href="([^"]*)" data-key="(households|households_visited|key_households)" '
                       r'data-count="(\d+)"', page)  # fmt: skip
    assert {key: int(n) for _, key, n in cards} == {"households": 7, "households_visited": 4, "key_households": 3}
    for href, _key, n in cards:
        assert _total(client.get(href.replace("&amp;", "&"))) == int(n)


def test_the_api_answers_the_coverage_keys(api, cast, ledger):
    answer = api.as_user(cast.city_office).get("/api/v1/stats/overview/", NOVEMBER).json()
    assert {k: answer[k] for k in ("households", "households_visited", "key_households")} == {
        "households": 7, "households_visited": 4, "key_households": 3,
    }  # fmt: skip
    assert answer["coverage_rate"] == 0.5714 and answer["key_followup_rate"] == 0.6667
    own = api.as_user(cast.township_staff_b).get("/api/v1/stats/overview/", NOVEMBER).json()
    assert own["households"] == 2 and own["coverage_rate"] == 1.0


def test_the_township_table_export_carries_the_coverage_columns(client, cast, ledger):
    client.force_login(cast.city_office)
    response = client.get("/dashboard/export/township/", NOVEMBER)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    rows = [list(r) for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]
    header = rows[0]
    for key in ("households", "households_visited", "coverage_rate", "key_households", "key_followup_rate"):
        assert str(LABELS[key]) in header
    column = header.index(str(LABELS["households"]))
    assert sorted(r[column] for r in rows[1:] if r[column] is not None) == [2, 5]


def test_the_frozen_report_carries_the_coverage_figures(client, cast, ledger, clock):
    clock.move_to(at(12, 2, 10))
    freeze_month(D(2026, 11, 1))
    data = MonthlyReportSnapshot.objects.get(area=cast.city, month="2026-11-01").data
    # At the end of November: h1 h2 h3 h4 h6 b1 b2; visited h1 h4 b1 b2; on time h1 only (b1's 7 days ran out).
    got = {k: data["figures"][k] for k in ("households", "households_visited", "key_households", "key_followup_rate")}
    assert got == {"households": 7, "households_visited": 4, "key_households": 3, "key_followup_rate": 0.3333}
    client.force_login(cast.city_office)
    page = client.get("/dashboard/report/", {"month": "2026-11"}).content.decode()
    assert 'data-figure="households" data-count="7"' in page
    assert 'id="report-coverage-chart"' in page


def test_the_narrative_has_one_coverage_sentence():
    from django.utils import translation

    from dashboards import narrative

    month = {"raised": 0, "households": 7, "households_visited": 4, "coverage_rate": 0.5714,
             "key_households": 3, "key_followup_rate": 0.3333}  # fmt: skip
    with translation.override("en"):
        said = narrative.sentences({"current": month, "previous": None})
        assert ("4 of 7 records in the ledger were visited this month (57.1 %); 33.3 % of key records were "
                "visited on schedule.") in said  # fmt: skip
        none = narrative.sentences({"current": {"raised": 0, "coverage_rate": None}, "previous": None})
        assert not [s for s in none if "ledger" in s]


def test_the_map_colours_townships_by_coverage(api, cast, ledger):
    answer = api.as_user(cast.city_office).get("/api/v1/stats/map/", {**NOVEMBER, "figure": "coverage_rate"}).json()
    values = {t["id"]: t["value"] for t in answer["townships"]}
    assert values[cast.township.pk] == 0.4 and values[cast.township_b.pk] == 1.0
    assert answer["percent"] is True
