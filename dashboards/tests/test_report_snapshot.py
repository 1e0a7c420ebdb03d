"""The monthly report of a month that is over reads the same whenever it is opened; the current month is live."""

import re

from audit.models import AuditEvent
from cases.choices import Status
from core.testing.factories import (
    CaseFactory,
    DetectionRunFactory,
    HotspotCaseFactory,
    HotspotFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
)
from core.testing.moments import at
from dashboards.models import Hotspot, MonthlyReportSnapshot
from dashboards.report import freeze_month, late_projects
from dashboards.selection import Selection, area_of
from dashboards.tasks import freeze_monthly_reports

NOVEMBER = {"month": "2026-11"}


def _report(html: str) -> str:
    """The report itself (not the page around it: its CSRF token changes)."""
    start = html.index('<div class="report">')
    return html[start : html.index("</section>", html.index('id="report-appendix"'))]


def _raised(html: str) -> str:
    return re.search(r'data-figure="raised" data-count="(\d+)"', html).group(1)


def _november(cast, cats):
    road = cats["infra.road"]
    late = CaseFactory(cast=cast, category=road, raised=at(11, 10), due=at(11, 20), title="东溪村路灯不亮")
    CaseFactory(cast=cast, category=road, raised=at(11, 12), status=Status.CLOSED, title="西山村道路积水")
    run = DetectionRunFactory(cast=cast, started_at=at(12, 1, 1, 30))
    hotspot = HotspotFactory(cast=cast, category=road, title="道路坑洼", detected_at=run.started_at,
                             first_seen=at(11, 25))  # fmt: skip
    HotspotCaseFactory(hotspot=hotspot, case=late)
    return late


def test_a_past_month_is_frozen_and_reads_the_same_later(client, cast, cats, clock):
    late = _november(cast, cats)
    clock.move_to(at(12, 2, 10))
    client.force_login(cast.city_office)
    first = client.get("/dashboard/report/", NOVEMBER).content.decode()
    assert MonthlyReportSnapshot.objects.filter(area=cast.city, month="2026-11-01").count() == 1
    assert _raised(first) == "2" and "道路坑洼" in first and "东溪村路灯不亮" in first
    # Later: more November cases, the overdue one closed, a new detection that finds something else.
    clock.move_to(at(12, 20, 10))
    CaseFactory(cast=cast, category=cats["infra.road"], raised=at(11, 28))
    late.status, late.closed_at = Status.CLOSED, at(12, 15)
    late.save()
    Hotspot.objects.all().delete()
    DetectionRunFactory(cast=cast, started_at=at(12, 20, 1))
    HotspotFactory(cast=cast, title="新的热点", detected_at=at(12, 20, 1))
    client.force_login(cast.city_office)  # the session of the 2nd has expired
    again = client.get("/dashboard/report/", NOVEMBER).content.decode()
    assert _report(again) == _report(first)
    pdf_html = client.get("/dashboard/report/pdf/", NOVEMBER)
    assert pdf_html.status_code == 200
    assert "新的热点" not in again
    narrative = again[again.index('id="report-narrative"') : again.index('class="report-figures"')]
    assert "新出现的热点：道路坑洼。" in narrative and "本月共反映问题 2 件" in narrative
    english = client.get("/dashboard/report/", NOVEMBER, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    narrative = english[english.index('id="report-narrative"') : english.index('class="report-figures"')]
    assert "New hotspots: 道路坑洼." in narrative and "2 issues were raised this month" in narrative


def test_the_current_month_is_live_so_far(client, cast, cats, clock):
    clock.move_to(at(11, 20, 10))
    CaseFactory(cast=cast, category=cats["infra.road"], raised=at(11, 10))
    client.force_login(cast.city_office)
    html = client.get("/dashboard/report/", NOVEMBER).content.decode()
    assert "本月至今，截至 2026-11-20 10:00" in html and _raised(html) == "1"
    CaseFactory(cast=cast, category=cats["infra.road"], raised=at(11, 19))
    assert _raised(client.get("/dashboard/report/", NOVEMBER).content.decode()) == "2"
    assert not MonthlyReportSnapshot.objects.exists()


def test_hotspots_detected_after_the_months_end_are_not_the_months(client, cast, cats, clock):
    HotspotFactory(cast=cast, title="迟到的热点", detected_at=at(12, 5, 1, 30))
    clock.move_to(at(12, 6, 10))
    client.force_login(cast.city_office)
    html = client.get("/dashboard/report/", NOVEMBER).content.decode()
    assert "迟到的热点" not in html and "截至当时尚未进行热点比对。" in html


def test_the_beat_task_freezes_each_city_and_township_once(cast, cats, clock):
    _november(cast, cats)
    clock.move_to(at(12, 1, 2, 0))
    made = freeze_monthly_reports()
    snapshots = {s.area_id: s.generated_at for s in MonthlyReportSnapshot.objects.filter(month="2026-11-01")}
    assert made == len(snapshots) and {cast.city.pk, cast.township.pk, cast.township_b.pk} <= set(snapshots)
    clock.move_to(at(12, 1, 3, 0))
    assert freeze_monthly_reports() == 0
    again = {s.area_id: s.generated_at for s in MonthlyReportSnapshot.objects.filter(month="2026-11-01")}
    assert again == snapshots
    township = MonthlyReportSnapshot.objects.get(area=cast.township, month="2026-11-01")
    assert township.data["figures"]["raised"] == 2 and township.data["hotspots"][0]["title"] == "道路坑洼"
    # A month not over yet is never frozen.
    assert freeze_month(at(12, 1).date()) == 0


def test_recompute_replaces_the_snapshot_and_is_audited(client, cast, cats, clock):
    _november(cast, cats)
    clock.move_to(at(12, 2, 10))
    client.force_login(cast.city_office)
    client.get("/dashboard/report/", NOVEMBER)
    CaseFactory(cast=cast, category=cats["infra.road"], raised=at(11, 29))  # a late correction
    clock.move_to(at(12, 3, 9))
    client.force_login(cast.city_office)
    answer = client.post("/dashboard/report/recompute/", NOVEMBER)
    assert answer.status_code == 302 and answer["Location"].startswith("/dashboard/report/?month=2026-11")
    snapshot = MonthlyReportSnapshot.objects.get(area=cast.city, month="2026-11-01")
    assert snapshot.data["figures"]["raised"] == 3 and snapshot.recomputed_by == cast.city_office
    event = AuditEvent.objects.get(action="report_recompute")
    assert event.user == cast.city_office and event.detail["before"] == {"raised": 2} and event.detail["raised"] == 3
    html = client.get("/dashboard/report/", NOVEMBER).content.decode()
    assert "已于 2026-12-03 09:00 重新计算" in html and _raised(html) == "3"
    # The current month has nothing frozen to replace; bad input writes nothing.
    assert client.post("/dashboard/report/recompute/", {"month": "2026-12"}).status_code == 302
    assert client.post("/dashboard/report/recompute/", {"month": "garbage", "township": "x"}).status_code == 302
    assert AuditEvent.objects.filter(action="report_recompute").count() == 1
    client.force_login(cast.township_staff)
    assert client.post("/dashboard/report/recompute/", NOVEMBER).status_code == 403


def test_a_township_report_is_frozen_apart_with_its_own_figures(client, cast, cats, clock):
    _november(cast, cats)
    CaseFactory(cast=cast, township=cast.township_b, category=cats["infra.road"], raised=at(11, 5))
    clock.move_to(at(12, 2, 10))
    client.force_login(cast.township_staff)
    html = client.get("/dashboard/report/", NOVEMBER).content.decode()
    own = MonthlyReportSnapshot.objects.get(month="2026-11-01")
    assert own.area == cast.township and own.data["figures"]["raised"] == 2 and _raised(html) == "2"
    client.force_login(cast.city_office)
    assert _raised(client.get("/dashboard/report/", NOVEMBER).content.decode()) == "3"
    assert MonthlyReportSnapshot.objects.filter(month="2026-11-01").count() == 2


def test_the_beat_freezes_after_the_nightly_detection():
    from celery.schedules import crontab
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["monthly-report-snapshots"]
    assert entry["task"] == freeze_monthly_reports.name
    assert entry["schedule"] == crontab(day_of_month=1, hour=2, minute=0)


def test_late_projects_are_those_late_at_the_months_end(cast, cats, clock):
    """A milestone planned in November and done in December made its project late in November's report,
    whenever the report is made; one planned for December did not."""
    late = ProjectFactory(cast=cast, title="县道改造")
    ProjectMilestoneFactory(project=late, planned_on=at(11, 20).date(), done_on=at(12, 3).date())
    on_time = ProjectFactory(cast=cast, title="水库加固")
    ProjectMilestoneFactory(project=on_time, planned_on=at(11, 10).date(), done_on=at(11, 9).date())
    ProjectMilestoneFactory(project=on_time, planned_on=at(12, 10).date())
    clock.move_to(at(12, 20, 10))
    sel = Selection(area=area_of(cast.city_office), date_from=at(11, 1).date(), date_to=at(11, 30).date())
    assert late_projects(sel, at(11, 1).date()) == ["县道改造"]
