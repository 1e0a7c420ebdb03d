"""The hotspot detector on a crafted set, and turning a hotspot into a project.

The text similarity behind it is tested with the module, in core/tests/test_textsim.py; surges against
steady complaints, ranking, new hotspots and the query count in test_hotspots_surge.py.
"""

import datetime

import pytest
from celery import current_app
from django.core.management import call_command
from django.utils import timezone

from accounts.models import OrgKind, OrgUnit
from cases.choices import Status
from cases.models import CaseEvent
from core import textsim
from core.testing.factories import CaseFactory
from dashboards.models import DetectionRun, Hotspot
from dashboards.services.hotspots import cluster_texts, hotspots_detect
from dashboards.tasks import detect_hotspots

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

ROAD = [  # one complaint about village roads, worded three ways
    "东溪村通村公路坑洼不平，雨天积水严重",
    "西山村村道路面坑洼，下雨积水出行难",
    "南岭村公路路面破损坑洼积水",
]
UNRELATED = [
    "新桥社区路灯不亮，晚上出行不便",
    "西山村公交站台缺少遮雨棚",
    "南岭村桥梁护栏损坏存在安全隐患",
    "学校门口交通拥堵接送孩子困难",
    "东溪村路灯损坏多日无人修",
]


@pytest.fixture
def crafted(cast, cats, township_c):
    t3, _v3 = township_c
    now = timezone.now()
    road, water = cats["infra.road"], cats["infra.water"]
    townships = [cast.township, cast.township_b, t3]
    alike = [CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=10 + i), township=t,
                         title=title, reporter_phone=f"1380000000{i}")
             for i, (t, title) in enumerate(zip(townships, ROAD, strict=True))]  # fmt: skip
    others = [CaseFactory(cast=cast, category=road, raised=now - datetime.timedelta(days=5),
                          township=townships[i % 3], title=title)
              for i, title in enumerate(UNRELATED)]  # fmt: skip
    # The same words in another category, twice (two alike cases are a coincidence): not a hotspot.
    CaseFactory(cast=cast, category=water, raised=now - datetime.timedelta(days=3), title=ROAD[0])
    CaseFactory(
        cast=cast, category=water, raised=now - datetime.timedelta(days=3), township=cast.township_b, title=ROAD[1]
    )
    # Too old and closed: outside the 90 days (it counts in the baseline: one case in the year before).
    CaseFactory(
        cast=cast,
        category=road,
        raised=now - datetime.timedelta(days=120),
        township=t3,
        title=ROAD[0],
        status=Status.CLOSED,
    )
    return {"alike": alike, "others": others, "now": now}


def test_the_same_road_complaint_in_three_townships_is_one_hotspot(cast, crafted):
    found = hotspots_detect(city=cast.city, now=crafted["now"])
    assert len(found) == 1
    spot = found[0]
    members = {m.case_id: m.similarity for m in spot.members.all()}
    assert set(members) == {c.pk for c in crafted["alike"]}
    assert (spot.townships, spot.residents, spot.cases_count) == (3, 3, 3)
    assert spot.title == ROAD[0] and spot.category.code == "infra.road"
    # The city's cases go back 120 days, 30 before the window: its baseline is averaged over one window
    # (at least), not over a year it was not there — one earlier case, so 1 per 90 days.
    assert spot.kind == "hotspot" and spot.baseline == 1.0 and spot.is_new
    assert all(textsim.ALIKE <= s <= 1.0 for s in members.values())


def test_detection_replaces_the_previous_results_and_skips_merged_cases(cast, crafted):
    hotspots_detect(city=cast.city, now=crafted["now"])
    hotspots_detect(city=cast.city, now=crafted["now"])
    assert Hotspot.objects.count() == 1
    from cases.services.projects import project_create

    project_create(by=cast.city_office, title="公路整治", case_ids=[c.pk for c in crafted["alike"]])
    assert hotspots_detect(city=cast.city, now=crafted["now"]) == []


def test_command_and_task(cast, crafted, capsys):
    call_command("detect_hotspots", city=cast.city.code)
    assert "1 hotspot" in capsys.readouterr().out
    assert detect_hotspots.run(cast.city.pk) == 1


def test_the_nightly_run_queues_one_detection_per_city(cast, crafted):
    DetectionRun.objects.all().delete()
    current_app.conf.task_always_eager = True  # the queued tasks run here, as a worker would run them
    try:
        assert detect_hotspots.run(None) == OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True).count()
    finally:
        current_app.conf.task_always_eager = False
    assert DetectionRun.objects.filter(city=cast.city, hotspots=1).count() == 1


def test_clustering_keeps_every_member_alike_its_leader():
    # A chain: each text alike the next, the ends unrelated. Only texts alike the leader join it.
    rows = [(1, 1, "a", "公路坑洼积水严重"), (5, 5, "e", "公路坑洼积水严重"), (6, 6, "f", "公路坑洼积水严重"),
            (2, 2, "b", "公路坑洼积水路灯不亮"), (3, 3, "c", "路灯不亮晚上漆黑一片"),
            (4, 4, "d", "路灯不亮晚上漆黑一片无人管")]  # fmt: skip
    clusters = cluster_texts(rows, 1)
    assert clusters and {m[0] for m, _ in clusters[0].members} >= {1, 5, 6}
    for cluster in clusters:
        leader = textsim.signature(cluster.title)
        assert all(leader.score(textsim.signature(m[3])) >= textsim.ALIKE for m, _ in cluster.members)
        assert not {1, 3} <= {m[0] for m, _ in cluster.members}


def test_hotspot_page_turns_a_hotspot_into_a_project(client, cast, crafted):
    closed = crafted["alike"][2]
    closed.status = Status.CLOSED
    closed.save()
    spot = hotspots_detect(city=cast.city, now=crafted["now"])[0]
    client.force_login(cast.city_office)
    page = client.get("/dashboard/hotspots/")
    assert page.status_code == 200 and "转为民生项目" in page.content.decode()
    form = client.get(f"/dashboard/hotspots/{spot.pk}/project/")
    assert form.status_code == 200 and f'value="{spot.title}"' in form.content.decode()
    body = {"title": spot.title, "lead_unit": cast.office.pk, "milestone_title": "完成设计",
            "milestone_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}  # fmt: skip
    r = client.post(f"/dashboard/hotspots/{spot.pk}/project/", body)
    spot.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == f"/projects/{spot.project_id}/"
    linked = set(spot.project.cases.values_list("pk", flat=True))
    assert linked == {c.pk for c in crafted["alike"][:2]}  # the closed one is left as it is
    assert CaseEvent.objects.filter(action="link_project").count() == 2
    project_page = client.get(r["Location"]).content.decode()
    assert "尚未反馈" in project_page or "未反馈" in project_page
    # Again: straight to the project, nothing linked twice.
    assert client.post(f"/dashboard/hotspots/{spot.pk}/project/", body)["Location"] == r["Location"]
    assert CaseEvent.objects.filter(action="link_project").count() == 2


@pytest.mark.parametrize("who", ["township_staff", "township_leader", "dept_handler"])
def test_hotspot_pages_refuse_other_roles(client, cast, crafted, who):
    spot = hotspots_detect(city=cast.city, now=crafted["now"])[0]
    client.force_login(getattr(cast, who))
    assert client.get("/dashboard/hotspots/").status_code == 403
    assert client.post(f"/dashboard/hotspots/{spot.pk}/project/").status_code == 403
    assert client.get(f"/dashboard/hotspots/{spot.pk}/project/").status_code == 403


def test_leader_reads_hotspots_but_cannot_act(client, cast, crafted):
    spot = hotspots_detect(city=cast.city, now=crafted["now"])[0]
    client.force_login(cast.leader)
    page = client.get("/dashboard/hotspots/").content.decode()
    assert ROAD[1] in page and "转为民生项目" not in page
    assert client.post(f"/dashboard/hotspots/{spot.pk}/project/").status_code == 403


def test_detect_now_is_queued_for_the_worker(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.city_office)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post("/dashboard/hotspots/detect/")
    assert r.status_code == 302 and len(callbacks) == 1
    client.force_login(cast.township_staff)
    assert client.post("/dashboard/hotspots/detect/").status_code == 403
    assert client.get("/dashboard/hotspots/detect/").status_code in (403, 405)
