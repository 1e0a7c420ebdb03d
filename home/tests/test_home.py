"""/ is each person's work (API.md): the officer's 写日记 and cases waiting for their feedback, the
desk's and the unit's queues with the running deadline first, the city office's figures of the month."""

import datetime
import re

import pytest
from django.utils import timezone

from cases.choices import Status
from core.testing.factories import CaseFactory, RaisedCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_officers_home_opens_the_diary_form_and_shows_what_waits_for_their_feedback(client, cast):
    RaisedCaseFactory(cast=cast, stage="approved", title="待反馈的一件")
    html = home(client, cast.officer)
    assert re.search(r'href="/diaries/new/"[^>]*data-home="write"', html)
    section = html[html.index('data-queue="to_feed_back"') :]
    assert "待反馈的一件" in section and 'id="outbox"' in html


def test_an_officer_with_nothing_waiting_is_told_so_under_the_write_button(client, cast):
    html = home(client, cast.officer)
    assert html.index('data-home="write"') < html.index('data-home="nothing"')
    assert "data-queue=" not in html


def test_the_desks_home_lists_its_queues_with_the_running_deadline_first(client, cast):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    soon = CaseFactory(cast=cast, title="明天到期", due=now + day)
    late = CaseFactory(cast=cast, title="超期二十天", due=now - 20 * day)
    CaseFactory(cast=cast, title="刚到", due=now + 5 * day)
    html = home(client, cast.township_staff)
    section = html[html.index('data-queue="to_dispatch"') :]
    assert re.search(r'data-queue="to_dispatch">\s*<div class="row-head"><h2>[^<]+<span class="count">3<', html)
    assert section.index(late.title) < section.index(soon.title) < section.index("刚到")
    # The list behind it keeps the same order.
    client.force_login(cast.township_staff)
    listed = client.get("/cases/", {"tab": "to_dispatch"}).content.decode()
    assert listed.index(late.title) < listed.index(soon.title) < listed.index("刚到")


def test_the_unit_home_shows_what_to_sign_for(client, cast):
    RaisedCaseFactory(cast=cast, stage="dispatched", title="待签收的一件")
    html = home(client, cast.office_handler)
    assert "待签收的一件" in html[html.index('data-queue="to_sign"') :]


def test_the_city_offices_home_opens_with_this_months_figures_each_a_link(client, cast):
    CaseFactory(cast=cast, raised=timezone.now(), status=Status.PENDING_DISPATCH)
    html = home(client, cast.city_office)
    raised = re.search(r'<a class="kpi" href="([^"]+)" data-key="raised">\s*<span class="kpi-value">(\d+)<', html)
    assert raised and int(raised.group(2)) == 1
    listed = client.get(raised.group(1).replace("&amp;", "&")).content.decode()
    assert 'data-total="1"' in listed


def test_the_desks_home_shows_the_extension_requests_it_decides(client, cast):
    RaisedCaseFactory(cast=cast, stage="extension_pending", title="请求延期的一件")
    html = home(client, cast.township_staff)
    section = html[html.index('data-queue="extensions"') :]
    assert "请求延期的一件" in section


def _key(station, due: datetime.date, **fields):
    from core.testing.factories.households import HouseholdFactory
    from households.models import Household

    record = HouseholdFactory(station=station, **fields)
    Household.objects.filter(pk=record.pk).update(interval_days=30, next_visit_due=due)
    return record


def test_the_officers_home_lists_the_key_records_due_this_week_overdue_first(client, cast):
    today = timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    late = _key(cast.village, today - datetime.timedelta(days=2), name="逾期户")
    due = _key(cast.village, sunday, name="本周户")
    _key(cast.village, sunday + datetime.timedelta(days=1), name="下周户")
    _key(cast.village_b, today, name="别村户")
    _key(cast.village, today, name="搬走户", status="moved")
    html = home(client, cast.officer)
    section = html[html.index('data-home="due-visits"') :]
    assert '<span class="count">2</span>' in section
    assert section.index(f'href="/households/{late.pk}/"') < section.index(f'href="/households/{due.pk}/"')
    assert "下周户" not in html and "别村户" not in html and "搬走户" not in html
    assert 'data-home="due-visits"' not in home(client, cast.township_staff)


def test_the_due_list_costs_the_same_queries_for_3_and_12_records(client, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    client.force_login(cast.officer)
    client.get("/")

    def queries(n: int) -> int:
        for _ in range(n):
            _key(cast.village, today)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    assert queries(3) == queries(9)
