"""Hotspots by the revised definition (METRICS.md): a cluster surging over its own baseline is a hotspot,
one as frequent as usual is a 常态问题, one township alone is nothing; ranking, new ones, runs, query count."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import Status
from core.testing.factories import CaseFactory, TownshipFactory
from dashboards.models import DetectionRun, Hotspot, HotspotKind
from dashboards.services.hotspots import hotspots_detect

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

DAY = datetime.timedelta(days=1)
SURGE = ["通村公路坑洼不平雨天积水严重", "村道路面坑洼下雨积水出行难", "公路路面破损坑洼积水"]
STEADY = ["自来水水压不足高峰时段经常停水", "自来水水压偏低高峰时段停水"]
ALONE = ["桥梁护栏损坏存在安全隐患", "桥梁护栏损坏无人维修"]


def _cases(cast, category, texts, townships, *, n, at, closed=False, phone=None):
    """``n`` cases of these texts spread over these townships, raised ``at`` (a moment or a list of them)."""
    made = []
    for i in range(n):
        raised = at[i % len(at)] if isinstance(at, list) else at
        made.append(CaseFactory(
            cast=cast, category=category, raised=raised, township=townships[i % len(townships)],
            title=texts[i % len(texts)], reporter_phone=phone or f"1390000{id(texts) % 1000:03d}{i % 10}",
            **({"status": Status.CLOSED} if closed else {}),
        ))  # fmt: skip
    return made


@pytest.fixture(autouse=True)
def a_year_of_history(cast, cats):
    """The city has used Minqing for more than the window and the year before it, so baselines are
    averaged over the whole year (hotspots.covered_days)."""
    CaseFactory(cast=cast, category=cats["infra.water"], raised=timezone.now() - 500 * DAY,
                title="学校门口放学时段交通拥堵", status=Status.CLOSED)  # fmt: skip


@pytest.fixture
def world(cast, cats, township_c):
    t3, _v = township_c
    now = timezone.now()
    townships = [cast.township, cast.township_b, t3]
    # (a) A surge: 6 alike cases in 3 townships in the window, one in the year before.
    surge = _cases(cast, cats["infra.road"], SURGE, townships, n=6, at=now - 10 * DAY)
    _cases(cast, cats["infra.road"], SURGE, townships, n=1, at=now - 200 * DAY, closed=True)
    # (b) A steady complaint: 4 in the window in 2 townships, and 4 in each 90 days of the year before.
    steady = _cases(cast, cats["infra.water"], STEADY, townships[:2], n=4, at=now - 20 * DAY)
    earlier = [now - (100 + 90 * q + 5 * k) * DAY for q in range(4) for k in range(4)]
    _cases(cast, cats["infra.water"], STEADY, townships[:2], n=16, at=earlier, closed=True)
    # (c) One township only: nothing, however many.
    _cases(cast, cats["infra.road"], ALONE, [t3], n=5, at=now - 5 * DAY)
    return {"now": now, "surge": surge, "steady": steady, "townships": townships}


def test_planted_surge_is_a_hotspot_steady_complaint_is_recurring_one_township_is_nothing(cast, world):
    found = hotspots_detect(city=cast.city, now=world["now"])
    assert [(h.kind, h.cases_count) for h in found] == [(HotspotKind.HOTSPOT, 6), (HotspotKind.STEADY, 4)]
    hot, steady = found
    assert {m.case_id for m in hot.members.all()} == {c.pk for c in world["surge"]}
    assert {m.case_id for m in steady.members.all()} == {c.pk for c in world["steady"]}
    assert (hot.townships, hot.baseline, hot.surge_ratio) == (3, round(90 / 365, 2), round(6 / (90 / 365), 2))
    assert steady.baseline == round(16 * 90 / 365, 2) and steady.surge_ratio == round(4 / (16 * 90 / 365), 2)
    assert not any(t in h.title for h in found for t in ALONE)


def test_surge_needs_three_cases_and_twice_the_baseline(cast, cats, township_c):
    now = timezone.now()
    two = [cast.township, cast.township_b]
    # 3 now against 6 in the year (1.48 per 90 days): 3 ≥ 2.96, a hotspot.
    _cases(cast, cats["infra.road"], SURGE, two, n=3, at=now - 3 * DAY)
    _cases(cast, cats["infra.road"], SURGE, two, n=6, at=now - 150 * DAY, closed=True)
    # 3 now against 7 in the year (1.73 per 90 days): 3 < 3.45, recurring.
    _cases(cast, cats["infra.water"], STEADY, two, n=3, at=now - 3 * DAY)
    _cases(cast, cats["infra.water"], STEADY, two, n=7, at=now - 150 * DAY, closed=True)
    kinds = {h.category.code: h.kind for h in hotspots_detect(city=cast.city, now=now)}
    assert kinds == {"infra.road": HotspotKind.HOTSPOT, "infra.water": HotspotKind.STEADY}


def test_ranked_by_surge_ratio_then_townships_then_residents(client, cast, cats, township_c):
    t3, _v = township_c
    t4 = TownshipFactory(code="T4", name="黄泽镇", parent=cast.city)
    now = timezone.now()
    road, water, housing = cats["infra.road"], cats["infra.water"], cats["infra.housing"]
    _cases(cast, road, SURGE, [cast.township, cast.township_b, t3], n=6, at=now - 3 * DAY)  # ratio 24.3
    _cases(cast, water, STEADY, [cast.township, cast.township_b], n=3, at=now - 3 * DAY)  # 12.2, 2 townships
    _cases(cast, housing, ALONE, [cast.township, t3, t4], n=3, at=now - 3 * DAY)  # 12.2, 3 townships
    found = hotspots_detect(city=cast.city, now=now)
    assert [h.category.code for h in found] == ["infra.road", "infra.housing", "infra.water"]
    assert [h.category.code for h in Hotspot.objects.all()] == ["infra.road", "infra.housing", "infra.water"]
    assert found[1].surge_ratio == found[2].surge_ratio  # the same ratio: more townships first


def test_new_hotspots_are_those_first_seen_by_the_last_run(cast, cats, world):
    hotspots_detect(city=cast.city, now=world["now"])
    later = world["now"] + DAY
    again = hotspots_detect(city=cast.city, now=later)
    assert not any(h.is_new for h in again)
    assert again[0].first_seen == world["now"]
    # A new surge appears: only it is new, and the run says so.
    _cases(cast, cats["infra.housing"], ALONE, world["townships"], n=3, at=later - DAY)
    third = hotspots_detect(city=cast.city, now=later)
    assert {h.category.code for h in third if h.is_new} == {"infra.housing"}
    run = DetectionRun.objects.first()
    assert (run.hotspots, run.steady, run.new) == (2, 1, 1) and run.finished_at >= run.started_at
    assert DetectionRun.objects.count() == 3


def _family(k: int) -> list[str]:
    # Ten complaints sharing no character: each is its own cluster.
    base = "".join(chr(0x5000 + 40 * k + i) for i in range(8))
    return [base, base[:6] + chr(0x5000 + 40 * k + 20)]


def test_query_count_does_not_grow_with_the_clusters(cast, cats, township_c, django_assert_max_num_queries):
    now = timezone.now()
    two = [cast.township, cast.township_b]
    road = cats["infra.road"]
    for k in range(2):
        _cases(cast, road, _family(k), two, n=3, at=now - 3 * DAY)
    hotspots_detect(city=cast.city, now=now)
    with CaptureQueriesContext(connection) as small:
        assert len(hotspots_detect(city=cast.city, now=now)) == 2
    for k in range(2, 10):
        _cases(cast, road, _family(k), two, n=3, at=now - 3 * DAY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(hotspots_detect(city=cast.city, now=now)) == 10


def test_page_says_never_then_when_detection_last_ran_and_lists_recurring_apart(client, cast, world):
    client.force_login(cast.city_office)
    page = client.get("/dashboard/hotspots/").content.decode()
    assert 'data-last-run="never"' in page
    hot, steady = hotspots_detect(city=cast.city, now=world["now"])
    page = client.get("/dashboard/hotspots/").content.decode()
    run = DetectionRun.objects.get()
    assert f'data-last-run="{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}"' in page
    assert page.index(f'id="hotspot-{hot.pk}"') < page.index('id="steady"') < page.index(f'id="hotspot-{steady.pk}"')
    assert page.count("data-new") == 1 and page.index("data-new") < page.index('id="steady"')
    # Each figure still opens its cases.
    for case in world["surge"] + world["steady"]:
        assert f'href="/cases/{case.pk}/"' in page


def test_api_lists_kind_surge_ratio_baseline_and_new(api, cast, world):
    hotspots_detect(city=cast.city, now=world["now"])
    client = api.as_user(cast.city_office)
    rows = client.get("/api/v1/hotspots/").json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [(r["kind"], r["is_new"]) for r in rows] == [("hotspot", True), ("steady", True)]
    assert rows[0]["surge_ratio"] > rows[1]["surge_ratio"] and rows[1]["baseline"] > rows[0]["baseline"]
    assert {"townships", "residents", "cases_count", "score", "cases", "township_names"} <= set(rows[0])
    steady = client.get("/api/v1/hotspots/?kind=steady").json()
    steady = steady.get("results", steady) if isinstance(steady, dict) else steady
    assert [r["kind"] for r in steady] == ["steady"]
    assert client.get("/api/v1/hotspots/?kind=nonsense").status_code == 400


def test_command_prints_hotspots_new_and_recurring(cast, world):
    out = io.StringIO()
    call_command("detect_hotspots", city=cast.city.code, stdout=out)
    assert "1 hotspot(s), 1 new; 1 recurring issue(s)" in out.getvalue()
