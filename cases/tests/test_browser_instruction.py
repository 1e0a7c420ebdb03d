"""批示 in real Chromium: a leader writes one on a case, the township desk records how it was carried out."""

import pytest

from core.testing.browser import sign_in
from core.testing.factories import RaisedCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_writes_an_instruction_and_the_desk_reports_it(browser, live_server, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    url = f"{live_server.url}/cases/{case.pk}/"

    context, leader = sign_in(browser, live_server, "township_leader")
    leader.goto(url)
    assert leader.locator("#form-reply").count() == 0  # read-only for the work itself
    leader.fill("#id_instruction-content", "请三天内修复，结果报我")
    leader.click("#form-instruction button[type=submit]")
    leader.wait_for_selector("#instructions")
    assert "请三天内修复，结果报我" in leader.locator("#instructions").inner_text()
    assert "请三天内修复，结果报我" in leader.locator("#timeline").inner_text()
    context.close()

    context, desk = sign_in(browser, live_server, "township_staff")
    desk.goto(url)
    desk.fill("#id_instruction-report-content", "已协调施工队当日修复")
    desk.click("#form-instruction-report button[type=submit]")
    desk.wait_for_selector("#instructions >> text=已协调施工队当日修复")
    assert desk.locator("#form-instruction-report").count() == 0
    context.close()
