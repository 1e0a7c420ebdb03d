"""超期未办结 is one predicate: the dashboard's figure, its breakdown per clock, the case list's 超期 tab and
``overdue`` filter (page and API), the export and the monthly report all show the same cases (METRICS.md)."""

import datetime
import html as htmllib
import re

import pytest
from django.utils import timezone

from cases.choices import Clock, Level, Status
from cases.models import Case
from core.testing.factories import CaseFactory
from dashboards import exports
from dashboards.report import overdue_cases
from dashboards.selection import Selection, area_of

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

HOUR = datetime.timedelta(hours=1)
OVERDUE_TAB = {"township_staff": "overdue", "city_office": "city_overdue"}


@pytest.fixture
def late(cast):
    """Cases overdue on several clocks, and cases that only look overdue by the stored flag or a handle deadline."""
    now = timezone.now()
    cases = {
        # Waiting for the desk past the dispatch deadline, and for the unit past the sign-for deadline.
        "dispatch": CaseFactory(cast=cast, status=Status.PENDING_DISPATCH, due=now - HOUR),
        "sign": CaseFactory(cast=cast, status=Status.PENDING_SIGN, unit=cast.office, due=now - 2 * HOUR),
        # Past its handle deadline, and the sweep has not flagged it yet.
        "handle": CaseFactory(cast=cast, status=Status.IN_PROGRESS, unit=cast.office, due=now - 24 * HOUR),
        # Township B's: only the city sees it.
        "handle_b": CaseFactory(
            cast=cast, township=cast.township_b, status=Status.IN_PROGRESS, unit=cast.office_b, due=now - 3 * HOUR
        ),  # fmt: skip
        # Flagged once, but its deadline was moved into the future since: not overdue now.
        "flag_only": CaseFactory(cast=cast, status=Status.PENDING_FEEDBACK, due=now + 24 * HOUR, overdue=True),
        # Its old handle deadline passed, but it now waits for review, whose clock still runs.
        "old_handle": CaseFactory(
            cast=cast, status=Status.PENDING_REVIEW, due=now + 2 * HOUR, handle_due=now - 72 * HOUR
        ),  # fmt: skip
        "closed": CaseFactory(cast=cast, status=Status.CLOSED, level=Level.ONSITE, due=now - 24 * HOUR),
        "on_time": CaseFactory(cast=cast, status=Status.IN_PROGRESS, unit=cast.office, due=now + HOUR),
    }
    return cases


EXPECTED = {
    "city_office": {"dispatch", "sign", "handle", "handle_b"},
    "township_staff": {"dispatch", "sign", "handle"},
}


def _ids(late, names) -> set[int]:
    return {late[n].pk for n in names}


def _list_ids(client, **params) -> set[int]:
    r = client.get("/api/v1/cases/", {**params, "page_size": 100})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


@pytest.mark.parametrize("who", ["city_office", "township_staff"])
def test_the_figure_and_the_lists_it_links_to_count_the_same_cases(api, client, cast, late, who):
    user = getattr(cast, who)
    expected = _ids(late, EXPECTED[who])

    figures = api.as_user(user).get("/api/v1/stats/overview/").json()
    assert figures["overdue_open"] == len(expected)
    assert set(figures["overdue_by_clock"]) == set(Clock.values)
    assert sum(figures["overdue_by_clock"].values()) == figures["overdue_open"]

    client_api = api.as_user(user)
    assert _list_ids(client_api, overdue="1") == expected
    for spelling in ("true", "yes", "on", "TRUE"):
        assert _list_ids(client_api, overdue=spelling) == expected
    not_overdue = _list_ids(client_api, overdue="0")
    assert not_overdue == _list_ids(client_api, overdue="false") and not (not_overdue & expected)
    assert len(not_overdue) + len(expected) == client_api.get("/api/v1/cases/").json()["count"]
    # The API row says overdue as the filter decides it, not as the sweep's flag says.
    assert {r["id"] for r in client_api.get("/api/v1/cases/").json()["results"] if r["overdue"]} == expected

    client.force_login(user)
    dashboard = client.get("/dashboard/").content.decode()
    kpi = re.search(r'href="([^"]+)" data-key="overdue_open"[^>]*>\s*<span class="kpi-value">(\d+)</span>', dashboard)
    assert int(kpi.group(2)) == len(expected)
    linked = client.get(htmllib.unescape(kpi.group(1))).content.decode()
    assert linked.count('class="case-row"') == len(expected)
    listed = client.get("/cases/", {"tab": OVERDUE_TAB[who]}).content.decode()
    tab = re.search(rf'data-tab="{OVERDUE_TAB[who]}">[^<]+<span class="count">(\d+)', listed)
    assert int(tab.group(1)) == len(expected) and listed.count('class="case-row"') == len(expected)

    assert exports.count(user, "cases", {"overdue": "1", "tab": "all"}) == len(expected)
    today = timezone.localdate()
    sel = Selection(area=area_of(user), date_from=today.replace(day=1), date_to=today)
    assert {c.pk for c in overdue_cases(sel)} == expected


def test_the_breakdown_names_the_clock_each_case_is_late_on(api, cast, late):
    figures = api.as_user(cast.city_office).get("/api/v1/stats/overview/").json()
    assert figures["overdue_by_clock"] == {
        "dispatch": 1, "sign": 1, "handle": 2, "review": 0, "feedback": 0, "callback": 0,
    }  # fmt: skip


def test_the_dashboard_shows_the_breakdown_beside_the_figure(client, cast, late):
    client.force_login(cast.city_office)
    html = client.get("/dashboard/").content.decode()
    parts = re.search(r'data-parts="overdue_by_clock">([^<]+)</span>', html).group(1)
    assert "派单 1" in parts and "办理 2" in parts and "回访" not in parts


def test_the_stored_flag_alone_lists_nothing(api, cast, late):
    Case.objects.update(overdue=False)
    Case.objects.filter(pk=late["flag_only"].pk).update(overdue=True)
    assert _list_ids(api.as_user(cast.township_staff), overdue="1") == _ids(late, EXPECTED["township_staff"])


@pytest.mark.parametrize("param", ["overdue", "supervised"])
def test_a_yes_no_filter_refuses_what_it_cannot_read(api, client, cast, late, param):
    r = api.as_user(cast.township_staff).get("/api/v1/cases/", {param: "maybe"})
    assert r.status_code == 400 and param in r.json()
    assert api.as_user(cast.township_staff).get("/api/v1/cases/", {param: "2"}).status_code == 400
    client.force_login(cast.township_staff)
    html = client.get("/cases/", {"tab": "all", param: "maybe"}).content.decode()
    assert "errors" in html and 'class="case-row"' not in html
    assert exports.count(cast.township_staff, "cases", {param: "1"}) >= 0
    with pytest.raises(exports.ExportInvalid):
        exports.count(cast.township_staff, "cases", {param: "maybe"})


def test_supervised_reads_1_as_true(api, cast, late):
    Case.objects.filter(pk=late["on_time"].pk).update(supervised=True)
    client = api.as_user(cast.township_staff)
    assert _list_ids(client, supervised="1") == _list_ids(client, supervised="true") == {late["on_time"].pk}
