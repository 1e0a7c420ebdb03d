"""Every figure opens its list (METRICS.md): on the demo county, every counted figure of the
dashboard, of the monthly report and of the officers page links to a list that shows the same
number, for the city office and for a township's desk."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from tests.module_data import committed

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

LINK = re.compile(r"<a [^>]*data-count=[^>]*>")
ATTR = re.compile(r'(href|data-count|data-figure|data-key)="([^"]*)"')
TOTAL = re.compile(r'data-total="(\d+)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with committed(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield


def _counted_links(page: str) -> list[tuple[str, str, int]]:
    """(figure, list address, count) of every link that says how many rows its list holds."""
    found = []
    for tag in LINK.findall(page):
        attrs = dict(ATTR.findall(tag))
        figure = attrs.get("data-figure") or attrs["data-key"]
        found.append((figure, html.unescape(attrs["href"]), int(attrs["data-count"])))
    return found


def _pages() -> list[str]:
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    # Nine weeks keep the walk short (every week's row is a link) and still reach into last month,
    # whose days the nightly roll-up answers while this month's are counted live.
    weeks = (today - datetime.timedelta(weeks=9)).isoformat()
    # The officers of one township (every officer's figures are links; a whole city's would make a long walk).
    township = User.objects.get(username="township_staff").org_unit.township_id
    return [
        f"/dashboard/?date_from={weeks}",
        f"/dashboard/report/?month={last_month}",
        f"/dashboard/officers/?date_from={weeks}&township={township}",
    ]


@pytest.mark.parametrize("username", ["city_office", "township_staff"])
def test_every_counted_figure_opens_a_list_of_the_same_number(demo, client, username):
    client.force_login(User.objects.get(username=username))
    found = []
    for path in _pages():
        response = client.get(path)
        assert response.status_code == 200, path
        found += _counted_links(response.content.decode())
    # Every kind of counted figure is walked, on both lists, and the demo fills the tables.
    assert {figure for figure, _, _ in found} == {
        "raised", "solved_on_site", "closed", "overdue_open", "overdue_feedback", "held", "diaries",
        "households", "households_visited", "key_households",
    }  # fmt: skip
    assert sum(1 for _, _, n in found if n) >= 20
    links = {href: n for _, href, n in found}
    wrong = {}
    for href, expected in links.items():
        page = client.get(href)
        assert page.status_code == 200, href
        shown = int(TOTAL.search(page.content.decode()).group(1))
        if shown != expected:
            wrong[href] = (expected, shown)
    assert not wrong, wrong
