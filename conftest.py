"""Fixtures shared by every app's tests."""

import os

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.testing import build_cast
from core.testing.factories import TownshipFactory, VillageFactory
from core.testing.twofactor import install_force_login_with_both_factors
from tests.clock import pinned

# force_login means "signed in", second factor included (core/testing/twofactor.py).
install_force_login_with_both_factors()


def pytest_collection_modifyitems(config, items):
    """On the SQLite lane, tests of PostgreSQL's own features are skipped, and say so."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="PostgreSQL-only: runs in the main lane")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_tables():
    """Reference tables cached per process (core/tablecache.py) start empty in every test: the rows an
    earlier test cached went away with its rolled-back transaction, which sends no signal."""
    from django.core.cache import cache

    from core import tablecache

    tablecache.forget_all()
    cache.clear()  # likewise whatever an earlier test left in the process's cache (e.g. coverage counts)
    yield
    tablecache.forget_all()


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at the pinned moment of tests/clock.py; ``clock.move_to(...)`` or ``clock.shift(...)``
    moves it within a test."""
    with pinned() as traveller:
        yield traveller


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def calendar_override(db):
    """``calendar_override(date, is_working_day=False)``: a holiday (or make-up working day) for this test only.
    The working-day calendar caches its overrides per process, so the cache is dropped again afterwards,
    when the row has rolled back; otherwise the next test would still see the holiday."""
    from core import workdays
    from core.testing.factories import WorkdayOverrideFactory

    def make(date, is_working_day: bool = False, name: str = "测试假日"):
        row = WorkdayOverrideFactory(date=date, is_working_day=is_working_day, name=name)
        workdays.overrides_changed()
        return row

    yield make
    workdays.overrides_changed()


@pytest.fixture
def township_c(cast):
    """A third township of the cast's city, with a village: alike complaints from three townships (hotspots,
    projects and similar cases are tested on the same alike cases)."""
    township = TownshipFactory(code="T3", name="三界镇", parent=cast.city)
    village = VillageFactory(code="T3V1", name="南岭村", parent=township)
    return township, village


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates it with that user's token."""

    client = APIClient()

    def as_user(user):
        _token, key = ApiToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    client.as_user = as_user
    return client


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    from core.chromium import launch

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def signed_in(browser, live_server):
    """``signed_in(username)``: a page of a new phone-sized context signed in through the login form, on the
    home page; every context it opened is closed after the test."""
    from core.testing.browser import sign_in

    contexts = []

    def open_as(username):
        context, page = sign_in(browser, live_server, username)
        contexts.append(context)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh browser context at phone size (390 × 844), Chinese first."""
    from core.testing.browser import phone_context

    context = phone_context(browser)
    page = context.new_page()
    yield page
    context.close()
