"""The officers page (为基层减负): each officer's issues and what came of them, in order of name and never
ranked by how much they wrote; every figure opens its list; the silence section follows the county's setting."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import CitySettings
from cases.choices import Status
from core.testing.factories import (
    CaseFactory,
    DiaryEntryFactory,
    FeedbackFactory,
    StationAssignmentFactory,
    UserFactory,
)
from dashboards.tests.test_figure_links import TOTAL, _counted_links

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DAY = datetime.timedelta(days=1)


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - 30 * DAY).isoformat(), "date_to": today.isoformat()}


@pytest.fixture
def prolific(cast, cats):
    """周建国 (the cast's officer) raised two issues, one closed and told, one whose feedback is overdue,
    and wrote one diary; 王多写, at the community, wrote five and raised nothing."""
    now, today = timezone.now(), timezone.localdate()
    road = cats["infra.road"]
    mine = {"cast": cast, "category": road, "officer": cast.officer, "station": cast.village}
    closed = CaseFactory(**mine, raised=now - 3 * DAY, status=Status.CLOSED)
    FeedbackFactory(case=closed, given_by=cast.officer, given_at=now - 2 * DAY)
    CaseFactory(**mine, status=Status.PENDING_FEEDBACK, due=now - DAY, raised=now - 4 * DAY)
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=today - 2 * DAY)
    writer = UserFactory(username="officer_writer", roles=["officer"], org_unit=cast.department, name="王多写")
    StationAssignmentFactory(officer=writer, station=cast.community, dispatching_unit=cast.department)
    for n in range(5):
        DiaryEntryFactory(officer=writer, station=cast.community, visit_date=today - (n + 1) * DAY)
    return writer


def _rows(html: str) -> dict[str, str]:
    """Officer name → the cells of their row, in the order of the table."""
    body = html.split('id="table-officer"')[1].split("</table>")[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', body, re.S))


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_officers_are_listed_by_name_with_outcomes_not_ranked_by_entries(client, cast, prolific):
    client.force_login(cast.township_staff)
    html = client.get("/dashboard/officers/", period()).content.decode()
    rows = _rows(html)
    # 王多写 wrote five times as much; the table still goes by name.
    assert list(rows) == sorted(rows) == ["周建国", "王多写"]
    headers = html.split('id="table-officer"')[1].split("</thead>")[0]
    for label in ("反映问题数", "办结数", "办结率", "反馈率", "解决率", "满意率", "反馈超期", "民情日记篇数"):
        assert label in headers, label
    assert "chart-officers" not in html  # no bars of officers side by side
    # raised, closed, completion, feedback, resolution, satisfaction, feedback overdue, visits, diaries
    assert _cells(rows["周建国"])[:9] == ["2", "1", "50.0%", "100.0%", "—", "—", "1", "0", "1"]
    assert _cells(rows["王多写"])[:9] == ["0", "0", "—", "—", "—", "—", "0", "0", "5"]


def test_every_officer_figure_opens_a_list_of_the_same_number(client, cast, prolific):
    client.force_login(cast.township_staff)
    page = client.get("/dashboard/officers/", period()).content.decode()
    found = _counted_links(page)
    assert {figure for figure, _, _ in found} == {"raised", "closed", "overdue_feedback", "diaries"}
    assert {n for _, _, n in found} >= {1, 2, 5}
    for figure, href, expected in found:
        listed = client.get(href)
        assert listed.status_code == 200, href
        assert int(TOTAL.search(listed.content.decode()).group(1)) == expected, (figure, href)


def test_the_export_goes_by_name_too(client, cast, prolific):
    from dashboards.tests.test_exports import sheet

    client.force_login(cast.township_staff)
    rows = sheet(client.get("/dashboard/export/officer/", period()))
    assert [r[0] for r in rows[1:]] == ["周建国", "王多写"]


@pytest.fixture
def quiet(cast):
    """An officer on duty at the community whose last diary is nine days old."""
    officer = UserFactory(username="officer_quiet", roles=["officer"], org_unit=cast.department, name="沈默")
    StationAssignmentFactory(officer=officer, station=cast.community, dispatching_unit=cast.department)
    DiaryEntryFactory(officer=officer, station=cast.community, visit_date=timezone.localdate() - 9 * DAY)
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=timezone.localdate())
    return officer


def _silent_section(client, cast) -> str | None:
    client.force_login(cast.township_staff)
    html = client.get("/dashboard/officers/", period()).content.decode()
    if 'id="silent"' not in html:
        assert "久未写日记" not in html  # nor the column
        return None
    return html.split('id="silent"')[1].split("</section>")[0]


def test_by_default_silence_is_fourteen_days(client, cast, quiet):
    section = _silent_section(client, cast)
    assert "14" in section and "沈默" not in section


def test_a_county_with_seven_days_names_the_officer_after_seven(client, cast, quiet):
    CitySettings.objects.create(city=cast.city, silence_reminder_days=7)
    section = _silent_section(client, cast)
    assert "7" in section and "沈默" in section and "周建国" not in section


@pytest.mark.parametrize("off", [None, 0])
def test_a_county_that_switched_the_reminder_off_has_no_silence_section(client, cast, quiet, off):
    CitySettings.objects.create(city=cast.city, silence_reminder_days=off)
    assert _silent_section(client, cast) is None


def test_the_county_switches_it_on_its_city_unit_in_the_admin(client, cast):
    client.force_login(cast.admin)
    city = client.get(f"/admin/accounts/orgunit/{cast.city.pk}/change/").content.decode()
    township = client.get(f"/admin/accounts/orgunit/{cast.township.pk}/change/").content.decode()
    assert 'name="city_settings-0-silence_reminder_days"' in city and 'value="14"' in city
    assert "silence_reminder_days" not in township
