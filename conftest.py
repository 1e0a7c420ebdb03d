"""Fixtures shared by every app's tests."""

import datetime
import os

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.testing import build_cast

# Every test runs at one pinned moment, a calm working Wednesday morning, so
# that no result depends on when the suite happens to run. `make test` runs
# the time-sensitive tests again at awkward moments by setting MINQING_TEST_CLOCK
# (README, "Clock lanes"). The clock ticks on from there: timeouts and the
# browser still see time pass.
DEFAULT_CLOCK = "2026-11-25T10:00:00+08:00"


def pinned_moment() -> datetime.datetime:
    raw = os.environ.get("MINQING_TEST_CLOCK") or DEFAULT_CLOCK
    moment = datetime.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError(f"MINQING_TEST_CLOCK needs a UTC offset, got {raw!r}")
    return moment


@pytest.fixture(autouse=True)
def clock():
    """The pinned clock; ``clock.move_to(...)`` or ``clock.shift(...)`` moves it within a test."""
    with time_machine.travel(pinned_moment(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates it with that user's token."""

    client = APIClient()

    def as_user(user):
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    client.as_user = as_user
    return client


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    """A fresh browser context at phone size (390 × 844), Chinese first."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
