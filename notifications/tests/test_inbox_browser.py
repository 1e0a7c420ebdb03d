"""Reading notices on a phone, in real Chromium."""

import pytest

from core.testing import PASSWORD
from notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_the_count_open_a_notice_and_clear_the_rest(live_server, phone_page, cast):
    notify(recipients=[cast.township_staff], kind="x", title="新案件 SZ-2026-000001 待派单", body="村口道路坑洼")
    notify(recipients=[cast.township_staff], kind="x", title="催办：案件 SZ-2026-000002 的办理已超过时限", url="/")
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".nav-notices").inner_text() == "消息 (2)"
    page.click(".nav-notices")
    page.wait_for_url("**/notifications/")
    assert page.locator(".notice.unread").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=催办：案件 SZ-2026-000002 的办理已超过时限")  # opening it reads it
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".nav-notices").inner_text() == "消息 (1)"
    page.click(".nav-notices")
    page.click("text=全部标为已读")
    page.wait_for_url("**/notifications/")
    assert page.locator(".notice.unread").count() == 0
    assert page.locator(".nav-notices").inner_text() == "消息"
