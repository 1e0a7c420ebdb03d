"""The nine 综合治理办公室 are told apart on the dashboard, in the rankings and in the exports (METRICS.md)."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.choices import Status
from core.testing.factories import CaseFactory, DispatchFactory
from core.testing.moments import MONDAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LABEL_A = "甘霖镇 · 综合治理办公室"
LABEL_B = "长乐镇 · 综合治理办公室"


def cells(response) -> set:
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        v for row in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True) for v in row
    }


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


@pytest.fixture
def both_offices(cast, cats):
    """A recent case handled by each of the two offices."""
    raised = timezone.now() - datetime.timedelta(days=2)
    road = cats["infra.road"]
    CaseFactory(cast=cast, category=road, raised=raised, unit=cast.office, title="东溪村道路坑洼")
    CaseFactory(cast=cast, category=road, raised=raised, township=cast.township_b, unit=cast.office_b)


@pytest.fixture
def october(cast, cats, clock):
    """Five October dispatches to each office: both are ranked."""
    clock.move_to(MONDAY)
    for i in range(5):
        for unit, township in ((cast.office, cast.township), (cast.office_b, cast.township_b)):
            c = CaseFactory(cast=cast, category=cats["infra.road"], raised=at(10, 5 + i), status=Status.CLOSED,
                            township=township, unit=unit)  # fmt: skip
            DispatchFactory(case=c, unit=unit, dispatched_at=at(10, 5 + i, 10), sign_due=at(10, 6 + i, 10),
                            handle_due=at(10, 20, 10), signed_at=at(10, 5 + i, 11), replied_at=at(10, 6 + i, 10),
                            approved_at=at(10, 6 + i, 11))  # fmt: skip
    return "2026-10"


def test_dashboard_unit_table_and_filter_show_labels(client, cast, both_offices):
    client.force_login(cast.city_office)
    html = client.get("/dashboard/", period()).content.decode()
    # Once in the table, once in the unit filter's choices.
    assert html.count(LABEL_A) >= 2 and html.count(LABEL_B) >= 2


def test_unit_export_tells_the_offices_apart(client, cast, both_offices):
    client.force_login(cast.city_office)
    names = cells(client.get("/dashboard/export/unit/", period()))
    assert {LABEL_A, LABEL_B} <= names and "综合治理办公室" not in names


def test_case_export_names_the_responsible_unit_by_label(client, cast, both_offices):
    client.force_login(cast.city_office)
    assert {LABEL_A, LABEL_B} <= cells(client.get("/dashboard/export/cases/", {"tab": "all"}))


def test_rankings_page_and_api_tell_the_offices_apart(client, api, cast, october):
    client.force_login(cast.city_office)
    html = client.get("/dashboard/rankings/", {"month": october}).content.decode()
    assert LABEL_A in html and LABEL_B in html
    body = api.as_user(cast.city_office).get("/api/v1/stats/rankings/", {"month": october}).json()
    assert {u["name"] for u in body["all"]} == {LABEL_A, LABEL_B}
