"""The login journey in real Chromium at phone size."""

import pytest

from core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_on_a_phone_and_sees_their_station(live_server, phone_page, cast):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    page.fill("#id_username", "officer")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    # The refusal is a new page: wait for it rather than look at the instant of the click.
    page.locator(".errors").wait_for(state="visible")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "东溪村" in page.content()
    # Nothing overflows sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=我的")  # signing out is in the "me" menu of the bottom bar
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")
