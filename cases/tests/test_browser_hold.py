"""挂账 in real Chromium: the township desk asks, the city office approves from its queue, the desk releases."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Hold
from core.testing.browser import overdue_case, sign_in
from core.testing.twofactor import totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab(page, live_server, key: str):
    """The case list's tab ``key``: its rows' text."""
    page.goto(f"{live_server.url}/cases/?tab={key}")
    return page.locator("a.case-row")


def test_the_desk_puts_a_case_on_hold_the_city_office_approves_and_the_desk_releases(browser, live_server, cast, clock):
    case = overdue_case(cast, clock)
    url = f"{live_server.url}/cases/{case.pk}/"
    review_on = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    desk_context, desk = sign_in(browser, live_server, "township_staff")
    assert tab(desk, live_server, "overdue").filter(has_text=case.title).count() == 1
    desk.goto(url)
    desk.fill("#id_hold-reason", "道路拓宽已列入明年计划，等待预算")
    desk.fill("#id_hold-review_on", review_on)
    desk.click("#form-hold button[type=submit]")
    desk.wait_for_selector("text=已完成：申请挂账")
    assert desk.locator("#form-hold").count() == 0  # asked once, it waits for the city office
    assert desk.locator("[data-held]").count() == 0  # asking stops no clock

    office_context, office = sign_in(browser, live_server, "city_office", totp_device(cast.city_office))
    requests = tab(office, live_server, "city_hold_requests")
    assert requests.count() == 1
    requests.filter(has_text=case.title).click()
    office.wait_for_url(url)
    assert "道路拓宽已列入明年计划" in office.locator("#form-hold-decision").inner_text()
    office.click('#form-hold-decision button[value="1"]')
    office.wait_for_selector("text=已完成：审批挂账")
    assert office.locator("h1 + p [data-held]").count() == 1
    assert office.locator("h1 + p .tag.alert", has_text="超期").count() == 0
    held = tab(office, live_server, "city_held").filter(has_text=case.title)
    assert held.count() == 1 and held.locator("[data-held]").count() == 1
    assert tab(office, live_server, "city_overdue").filter(has_text=case.title).count() == 0
    assert tab(office, live_server, "city_hold_requests").count() == 0
    office_context.close()

    assert tab(desk, live_server, "held").filter(has_text=case.title).count() == 1
    assert tab(desk, live_server, "overdue").filter(has_text=case.title).count() == 0
    desk.goto(url)
    desk.fill("#id_release-note", "预算已下达，恢复办理")
    desk.click("#form-release button[type=submit]")
    desk.wait_for_selector("text=已完成：解除挂账")
    assert desk.locator("[data-held]").count() == 0
    assert desk.locator("#form-release").count() == 0
    assert tab(desk, live_server, "held").filter(has_text=case.title).count() == 0
    desk_context.close()

    hold = Hold.objects.get(case=case)
    assert (hold.decision, hold.requested_by, hold.decided_by) == ("approved", cast.township_staff, cast.city_office)
    case.refresh_from_db()
    assert case.held_since is None
