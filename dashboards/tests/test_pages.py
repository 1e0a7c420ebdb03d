"""The dashboard pages: who may open them, what they show, and their query counts."""

import datetime
import re

import pytest
from django.utils import timezone

from core.testing.factories import StationAssignmentFactory, UserFactory
from dashboards.services.rollup import rollup_day

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def period() -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}


def test_city_dashboard_shows_every_figure_linked_to_its_cases(client, cast, recent):
    client.force_login(cast.city_office)
    page = client.get("/dashboard/", period())
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("民情日记篇数", "走村入户户次", "走访企业家次", "反映问题数", "现场解决数", "办结数", "办结率",
                  "按时办结率", "响应率", "解决率", "满意率", "反馈率", "超期未办结"):  # fmt: skip
        assert label in html, label
    p = period()
    # Every case of the period, not the first work queue of the viewer.
    assert f'href="/cases/?date_from={p["date_from"]}&amp;date_to={p["date_to"]}&amp;tab=all&amp;invalid=0"' in html
    assert "status=closed" in html and "overdue=1" in html
    # A table beside every chart, the charts' data in json_script, ECharts only here.
    for kind in ("week", "month", "township", "unit", "category"):
        assert f'id="chart-{kind}"' in html and f'data-chart="chart-{kind}"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html.replace("</script>", "")
    assert "甘霖镇" in html and "长乐镇" in html


def test_township_leader_sees_only_their_township(client, cast, recent):
    client.force_login(cast.township_leader)
    page = client.get("/dashboard/", period())
    html = page.content.decode()
    assert page.status_code == 200
    assert "甘霖镇" in html and "长乐镇" not in html
    assert 'id="chart-township"' not in html  # no per-township table inside one township
    # Asking for the other township is refused at the field, and the figures stay their own.
    page = client.get("/dashboard/", {**period(), "township": cast.township_b.pk})
    html = page.content.decode()
    assert "长乐镇" not in html and "errors" in html


def test_township_staff_b_never_sees_township_a(client, cast, recent):
    client.force_login(cast.township_staff_b)
    html = client.get("/dashboard/", period()).content.decode()
    assert "长乐镇" in html and "甘霖镇" not in html


@pytest.mark.parametrize("who", ["officer", "office_handler", "dept_handler"])
def test_roles_without_an_area_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/rankings/").status_code == 403


def test_anonymous_goes_to_login(client):
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("params", [{"date_from": "2026-13-45"}, {"date_from": "2026-05-01", "date_to": "2026-01-01"},
                                    {"date_from": "2000-01-01", "date_to": "2026-01-01"}, {"township": "x"},
                                    {"unit": "999999"}])  # fmt: skip
def test_bad_filters_are_shown_not_crashed(client, cast, params):
    client.force_login(cast.city_office)
    page = client.get("/dashboard/", params)
    assert page.status_code == 200 and "errors" in page.content.decode()


def test_dashboard_query_count_does_not_grow_with_the_data(client, cast, recent, django_assert_max_num_queries):
    client.force_login(cast.city_office)
    today = timezone.localdate()
    for i in range(1, 4):
        rollup_day(today - datetime.timedelta(days=i))
    with django_assert_max_num_queries(40):
        assert client.get("/dashboard/", period()).status_code == 200


def test_nav_shows_the_dashboard_to_desks_only(client, cast):
    client.force_login(cast.leader)
    assert 'href="/dashboard/"' in client.get("/").content.decode()
    client.force_login(cast.officer)
    assert 'href="/dashboard/"' not in client.get("/").content.decode()


def test_officer_activity_page(client, cast, recent):
    quiet = UserFactory(username="officer_quiet", roles=["officer"], org_unit=cast.department, name="沈默")
    StationAssignmentFactory(officer=quiet, station=cast.community, dispatching_unit=cast.department)
    client.force_login(cast.township_staff)
    html = client.get("/dashboard/officers/", period()).content.decode()
    assert "周建国" in html and "沈默" in html and "冯志刚" not in html
    silent = html.split('id="silent"')[1].split("</section>")[0]
    assert "沈默" in silent and "周建国" not in silent


def test_rankings_page_and_bad_month(client, cast):
    client.force_login(cast.city_office)
    assert "奔跑奖" in client.get("/dashboard/rankings/").content.decode()
    page = client.get("/dashboard/rankings/", {"month": "2026-13"})
    assert page.status_code == 200 and "errors" in page.content.decode()


def test_monthly_report_page_and_pdf(client, cast, recent):
    client.force_login(cast.leader)
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get("/dashboard/report/", {"month": month})
    assert page.status_code == 200 and "民情分析" in page.content.decode()
    pdf = client.get("/dashboard/report/pdf/", {"month": month})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # What WeasyPrint is fed: the narrative and the charts in the main part, the hotspot cases in an appendix after it.
    from django.test import RequestFactory

    from dashboards.views.report import report_pdf_html

    request = RequestFactory().get("/dashboard/report/pdf/", {"month": month})
    request.user = cast.leader
    html, _context = report_pdf_html(request)
    narrative, figures = html.index('id="report-narrative"'), html.index('class="report-figures"')
    charts, appendix = html.index("<svg"), html.index('id="report-appendix"')
    assert narrative < figures < charts < html.index('id="report-overdue"') < appendix
    assert "page-break-before: always" in html and html.count("<svg") == 3
    assert client.get("/dashboard/report/", {"month": "garbage", "township": "0"}).status_code == 200


def test_township_report_keeps_to_its_township(client, cast, recent):
    client.force_login(cast.township_leader)
    html = client.get("/dashboard/report/", {"township": cast.township_b.pk}).content.decode()
    assert "西山村水渠堵塞" not in html and "长乐镇" not in html


def test_the_report_counts_overdue_among_the_months_own_cases(client, cast, cats, clock):
    """November's report sets beside November's raised cases those of them overdue now: an older
    overdue case is the dashboard's, not November's, and never makes a category's overdue exceed its raised."""
    from core.testing.factories import CaseFactory
    from core.testing.moments import at

    clock.move_to(at(12, 2, 10))
    road = cats["infra.road"]
    CaseFactory(cast=cast, category=road, raised=at(11, 10), due=at(11, 12))
    CaseFactory(cast=cast, category=road, raised=at(10, 10), due=at(10, 20))
    client.force_login(cast.city_office)
    html = client.get("/dashboard/report/", {"month": "2026-11"}).content.decode()
    categories = html[html.index('id="report-category"') :]
    row = re.search(r"道路交通</th>(.*?)</tr>", categories, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    raised, overdue = cells[0], cells[-1]
    # A past month's overdue figure is as of its end: plain, since the case list shows overdue now.
    assert ">1<" in raised and re.sub(r"<[^>]+>", "", overdue).strip() == "1"
    # Each table's first column says what its rows are.
    assert "<th>问题类别</th>" in categories and "<th>月份</th>" in html and "<th>姓名</th>" not in html
