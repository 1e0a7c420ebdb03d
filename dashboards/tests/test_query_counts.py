"""Query counts of the dashboard pages are pinned and do not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import Level, Status
from core.testing.factories import (
    CallbackFactory,
    CaseFactory,
    DiaryEntryFactory,
    DispatchFactory,
    FeedbackFactory,
    TownshipFactory,
)
from dashboards.models import MonthlyReportSnapshot
from dashboards.services.hotspots import hotspots_detect
from dashboards.services.rollup import rollup_day
from dashboards.tests.test_hotspots import ROAD

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PAGES = {  # page: the most queries it may take
    "/dashboard/": 40,
    # Each officer's case figures are counted from the raw tables (the roll-up keeps no officer),
    # and their counties' silence reminders are read: a constant number of queries however many officers.
    "/dashboard/officers/": 25,
    "/dashboard/rankings/": 16,
    # The month from the roll-ups and the live days, then the few cases a score leaves out: their ids (one
    # UNION) and their own counters on the rolled-up days, taken away (4).
    "/dashboard/scores/": 19,
    # Measured with last month's data in it: the live days, trend and rankings; and the confirmed awards (the
    # decisions and, once confirmed, their units: 2); the previous month beside it (the narrative), and the
    # snapshot the first view of a month that is over freezes (later views read only the snapshot).
    # Coverage of the month, of the previous month and per township: whether the last day is rolled up,
    # then its CoverageDay rows (6).
    "/dashboard/report/": 66,
    "/dashboard/hotspots/": 11,  # the clusters, their cases, and the last detection run
}


def last_month_anchor() -> datetime.datetime:
    """Noon on the 14th of last month: five days before it lie in that month whatever today is."""
    first = timezone.localdate().replace(day=1)
    day = (first - datetime.timedelta(days=1)).replace(day=14)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def add_activity(cast, cats, n: int, townships, now=None) -> None:
    now = now or timezone.now()
    categories = [cats["infra.road"], cats["infra.water"], cats["welfare.elderly"]]
    for i in range(n):
        raised = now - datetime.timedelta(days=i % 5, hours=1)
        township = townships[i % len(townships)]
        status = Status.CLOSED if i % 2 else Status.IN_PROGRESS
        c = CaseFactory(cast=cast, category=categories[(i // 3) % 3], raised=raised, township=township, status=status,
                        unit=cast.office, level=Level.TOWNSHIP, handle_due=now - datetime.timedelta(hours=1),
                        title=ROAD[i % 3])  # fmt: skip
        DispatchFactory(case=c, unit=cast.department if i % 2 else cast.office, dispatched_at=raised, sign_due=now,
                        handle_due=now, signed_at=raised, replied_at=raised, approved_at=raised)  # fmt: skip
        CallbackFactory(case=c, by=cast.township_staff, at=raised, solved=True, satisfaction="satisfied")
        FeedbackFactory(case=c, given_by=cast.township_staff, given_at=raised)
        DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=raised.date(), household_visits=2)


def roll_up() -> None:
    today = timezone.localdate()
    anchor = last_month_anchor().date()
    for i in range(1, 6):
        rollup_day(today - datetime.timedelta(days=i))
        rollup_day(anchor - datetime.timedelta(days=i - 1))


def counts(client) -> dict:
    out = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page).status_code == 200
        out[page] = len(ctx.captured_queries)
    return out


def test_page_queries_are_pinned_and_constant(client, cast, cats):
    townships = [cast.township, cast.township_b, TownshipFactory(code="T3", name="三界镇", parent=cast.city)]
    # Recent activity for the dashboards, and last month's for the report (its default month):
    # otherwise the report would be measured empty on some days of the month and full on others.
    add_activity(cast, cats, 9, townships)
    add_activity(cast, cats, 9, townships, now=last_month_anchor())
    roll_up()
    hotspots_detect(city=cast.city)
    client.force_login(cast.city_office)
    small = counts(client)
    for page, limit in PAGES.items():
        assert small[page] <= limit, (page, small[page])
    more = townships + [TownshipFactory(code="T4", name="黄泽镇", parent=cast.city)]
    add_activity(cast, cats, 30, more)
    add_activity(cast, cats, 30, more, now=last_month_anchor())
    roll_up()
    hotspots_detect(city=cast.city)
    # Last month's report was frozen by the first view; built again, it takes as many queries as before.
    MonthlyReportSnapshot.objects.all().delete()
    assert counts(client) == small
