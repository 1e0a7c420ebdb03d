"""What the browser tests share: signing in on a phone-sized page, and the overdue case they start from."""

import datetime

from django.utils import timezone

from core.testing import PASSWORD
from core.testing.twofactor import totp_code


def phone_context(browser):
    """A fresh browser context at phone size (390 × 844), Chinese first: how officers meet the pages."""
    return browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")


def sign_in(browser, live_server, username: str, device=None):
    """A new phone-sized Chinese browser context signed in as ``username`` (``device``: their TOTP device,
    for the roles that sign in with a second factor). Returns (context, page) on the home page."""
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    if device is not None:
        page.wait_for_url("**/accounts/2fa/**")
        page.fill("#id_code", totp_code(device))
        page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def overdue_case(cast, clock, **fields):
    """A case the office signed for a month before the pinned clock: its handle deadline has passed.
    It is built at that earlier moment and the clock comes back (the live server reads the same clock)."""
    from core.testing.factories import RaisedCaseFactory

    now = timezone.now()
    clock.move_to(now - datetime.timedelta(days=30))
    case = RaisedCaseFactory(cast=cast, stage="signed", **fields)
    clock.move_to(now)
    case.refresh_from_db()
    assert case.due_at < timezone.now()
    return case
