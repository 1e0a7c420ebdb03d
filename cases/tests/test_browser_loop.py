"""The township loop in real Chromium: desk, unit, desk, officer, desk — each in their own browser session."""

import pytest

from core.testing.factories import RaisedCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def status_of(page) -> str:
    return page.locator("#case-status").inner_text()


def test_township_loop_through_the_pages(live_server, signed_in, cast):
    case = RaisedCaseFactory(cast=cast)
    url = f"{live_server.url}/cases/{case.pk}/"

    desk = signed_in("township_staff")
    desk.click("text=民情事项")
    desk.click(f"text={case.title}")
    desk.wait_for_url(url)  # content() while the click's navigation is still loading reads an empty page
    assert "13812345678" in desk.content()  # the desk needs the resident's phone
    desk.select_option("#id_dispatch-unit", str(cast.office.pk))
    desk.fill("#id_dispatch-note", "请三天内处理")
    desk.click("#form-dispatch button[type=submit]")
    desk.wait_for_selector("text=已完成：派单")
    assert status_of(desk) == "待签收"

    unit = signed_in("office_handler")
    unit.goto(f"{live_server.url}/cases/")
    assert "待签收" in unit.content()
    unit.click(f"text={case.title}")
    unit.click("#form-sign button[type=submit]")
    unit.wait_for_selector("text=已完成：签收")
    assert status_of(unit) == "办理中"
    unit.fill("#id_reply-result", "已组织人员修补路面并清理积水")
    unit.check("#id_reply-outcome_0")
    unit.click("#form-reply button[type=submit]")
    unit.wait_for_selector("text=已完成：办复")
    assert status_of(unit) == "待审核"

    desk.goto(url)
    desk.click("text=审核通过")
    desk.wait_for_selector("text=已完成：审核办复")
    assert status_of(desk) == "待反馈"

    officer = signed_in("officer")
    officer.goto(url)
    officer.select_option("#id_feedback-channel", "visit")
    officer.fill("#id_feedback-content", "路面已修好，积水已清理")
    officer.fill("#id_feedback-resident_response", "谢谢")
    officer.click("#form-feedback button[type=submit]")
    officer.wait_for_selector("text=已完成：反馈")
    assert status_of(officer) == "待回访"

    desk.goto(url)
    desk.check("#id_callback-reached_0")
    desk.select_option("#id_callback-solved", "1")
    desk.select_option("#id_callback-satisfaction", "satisfied")
    desk.click("#form-callback button[type=submit]")
    desk.wait_for_selector("text=已完成：回访")
    assert status_of(desk) == "已办结"
    assert desk.locator("#actions").count() == 0  # nothing left to do
    timeline = desk.locator("#timeline").inner_text()
    for step in ["派单", "签收", "办复", "反馈", "回访"]:
        assert step in timeline
    for page in (desk, unit, officer):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    case.refresh_from_db()
    assert case.status == "closed" and case.feedbacks.count() == 1
