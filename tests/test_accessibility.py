"""Accessibility as a test (QUALITY.md, issue 15): axe-core in Chromium over every page people use.

Each role, at phone size (390 × 844) and on a desktop (1366 × 768), opens every HTML page of the URL conf
it may open (the access matrix, tests/access_matrix.py, says which: a 200 for that role), the case list's
every tab, a case at each stage where that role has a form to act with, the admin for admins, and the
pages that show a form's errors. No page may have a serious or critical violation of WCAG 2.1 A/AA or
of axe's best practices (core/testing/axe.py). One browser context per role and size; each test
collects every page's findings into one message.
"""

from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.testing import PASSWORD
from core.testing.axe import axe_violations, dangling_references, describe, install_axe
from core.testing.factories import HouseholdTagFactory, RaisedCaseFactory
from core.testing.twofactor import totp_code, totp_device
from tests.access_matrix import MATRIX
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
ROLES = ("officer", "township_staff", "unit_handler", "dept_handler", "city_office", "leader", "admin")

# Matrix routes that are not pages to read: downloads (PDF, .xlsx), and the API's Swagger UI
# (drf-spectacular-sidecar's page, for developers rather than the people who use the system).
NOT_PAGES = {
    "dashboard/exports/<int:pk>/download/",
    "dashboard/export/cases/",
    "dashboard/export/<slug:kind>/",
    "api/docs/",
    "audit/export/",
    "households/import/template.xlsx",  # the register's template, a download
    "residents/photos/<int:pk>/",  # a resident's photo, a download
}

# Printable documents (督办单, 通报): downloads, not pages.
PRINTED = ("pdf/", ".pdf")
# The stages (core.testing.lifecycle) at which each role has a form on the case's page.
ACTING_AT = {
    "officer": ("approved",),  # feedback to the resident
    "township_staff": ("extension_pending", "replied", "fed_back", "closed_unhappy"),  # raised: case A
    "unit_handler": ("dispatched", "signed"),
    "dept_handler": ("city_dispatched",),
    "city_office": ("escalated",),  # and supervise on case A
    "leader": (),
    "admin": (),
}


def _context(browser, live_server, viewport, user=None):
    """A browser context at ``viewport``, Chinese first; signed in as ``user`` with a session made by the
    test client's force_login (both factors done), its cookie handed to the browser."""
    # The offline shell's service worker is not what is checked: blocked, it costs the live server nothing.
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN", service_workers="block")
    install_axe(context)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


class Walk:
    """Opens pages in one tab and keeps every page's serious and critical findings."""

    def __init__(self, page, base):
        self.page, self.base, self.seen, self.problems = page, base, [], []

    def goto(self, path, status=200):
        response = self.page.goto(urljoin(self.base, path))
        assert response is not None and response.status == status, (path, response and response.status)
        self.check(path.removeprefix(self.base))

    def check(self, label):
        self.seen.append(label)
        found = axe_violations(self.page) + dangling_references(self.page)
        if found:
            self.problems.append(describe(found, f"{label}  "))

    def report(self) -> str:
        return f"{len(self.problems)} of {len(self.seen)} pages:\n" + "\n".join(self.problems)


def matrix_pages(world, role) -> list[str]:
    """Every HTML page of the URL conf the matrix gives ``role`` a 200 for."""
    return [
        entry.path(world)
        for route, entry in MATRIX.items()
        if not entry.api and entry.method == "GET" and route not in NOT_PAGES and not route.endswith(PRINTED)
        and entry.expect.get(role) == 200
        and route not in ("healthz", "sw.js", "manifest.webmanifest")
    ]  # fmt: skip


def admin_pages(world, every_model: bool) -> list[str]:
    """The admin's index, and each registered model's list and the change form of its newest row (on the
    phone only the models people edit most: users, units and cases)."""
    from django.contrib import admin

    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        if not every_model and opts.model_name not in ("user", "orgunit", "case"):
            continue
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        newest = model._default_manager.order_by("-pk").first()
        if newest is not None:
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[newest.pk]))
    return pages


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_each_role_has_no_serious_violation(live_server, browser, cast, role, viewport):
    world = build_world(cast)
    user = world.by_role()[role]
    if role == "admin":
        totp_device(user)  # enrolled: /accounts/2fa/setup/ shows that it is
    cases = {stage: RaisedCaseFactory(cast=cast, stage=stage, title=f"案件 {stage}") for stage in ACTING_AT[role]}
    context = _context(browser, live_server, viewport, user)
    try:
        walk = Walk(context.new_page(), live_server.url)
        for path in matrix_pages(world, role):
            walk.goto(path)
            if path == "/cases/":
                tabs = walk.page.eval_on_selector_all("[data-tab]:not(.current)", "els => els.map(e => e.href)")
                for href in tabs:
                    walk.goto(href)
        for stage, case in cases.items():
            walk.goto(f"/cases/{case.pk}/")
            assert walk.page.locator("main form[method=post]").count(), f"{role} has no form on a case {stage}"
        walk.goto("/cases/999999999/", status=404)
        if role == "admin":
            # Lists with editable cells drawn whatever ran before: a transactional test empties the tags
            # the migration made, and the tag list had been checked only when it ran first.
            HouseholdTagFactory(interval_days=30)
            for path in admin_pages(world, every_model=viewport == "desktop"):
                walk.goto(path)
        # Errors carry their labels: a form sent empty.
        walk.goto("/accounts/password/")
        walk.page.click("main button[type=submit]")
        walk.page.wait_for_selector(".errors, .errorlist")
        walk.check("/accounts/password/ (sent empty)")
        if role == "officer":
            walk.goto("/diaries/new/")
            walk.page.click("#submit")
            walk.page.wait_for_selector(".errors, .errorlist, [aria-invalid=true]")
            walk.check("/diaries/new/ (sent empty)")
        if role == "township_staff":
            walk.goto("/cases/new/")
            walk.page.click("main button[type=submit]")
            walk.page.wait_for_selector(".errors, .errorlist")
            walk.check("/cases/new/ (sent empty)")
    finally:
        context.close()
    assert len(walk.seen) >= 8
    assert not walk.problems, walk.report()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_signing_in_and_the_second_factor_have_no_serious_violation(live_server, browser, cast, viewport):
    """Signed out: the sign-in page and its error, enrolment of a second factor and its recovery codes, and
    the code asked at the next sign-in, right and wrong."""
    context = _context(browser, live_server, viewport)
    try:
        walk = Walk(context.new_page(), live_server.url)
        page = walk.page

        def sign_in(username, password=PASSWORD):
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("main button[type=submit]")

        walk.goto("/accounts/login/")
        sign_in("city_office", "wrong-password")
        page.wait_for_selector(".errors, .errorlist")
        walk.check("/accounts/login/ (wrong password)")
        sign_in("city_office")  # must enrol a second factor
        page.wait_for_url("**/accounts/2fa/setup/**")
        walk.check("/accounts/2fa/setup/")
        page.fill("#id_code", "000000")
        page.click("main button[type=submit]")
        page.wait_for_selector(".errors, .errorlist")
        walk.check("/accounts/2fa/setup/ (wrong code)")
        page.wait_for_timeout(2100)  # django-otp throttles the device for a second or two after a wrong code
        page.fill("#id_code", totp_code(TOTPDevice.objects.get(user=cast.city_office)))
        page.click("main button[type=submit]")
        page.wait_for_selector("#recovery-codes")
        walk.check("/accounts/2fa/setup/ (recovery codes)")

        context.clear_cookies()
        walk.goto("/accounts/login/")
        sign_in("city_office")
        page.wait_for_url(lambda url: "/accounts/2fa/?" in url)
        walk.check("/accounts/2fa/")
        page.fill("#id_code", "000000")
        page.click("main button[type=submit]")
        page.wait_for_selector(".errors, .errorlist")
        walk.check("/accounts/2fa/ (wrong code)")
    finally:
        context.close()
    assert not walk.problems, walk.report()
