"""The household picker in real Chromium at phone size: type, pick a key record, submit; its schedule moves."""

import datetime

import pytest
from django.utils import timezone

from core.testing.factories.households import HouseholdTagFactory
from demo.categories import seed_categories
from diaries.models import Visit
from diaries.tests.test_browser import sign_in
from households.models import Household
from households.services import household_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_picks_a_key_household_as_they_type_and_its_next_visit_moves(live_server, phone_page, cast):
    seed_categories()
    HouseholdTagFactory(name="独居老人", interval_days=30)  # a transactional test's flush took the seeded tags
    widow = household_create(
        by=cast.admin, station=cast.village, tags=["独居老人"], name="王阿婆", address="东溪村2组5号"
    )
    household_create(by=cast.admin, station=cast.village, name="李四", address="东溪村1组")
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")

    search = page.locator("[data-row] [data-picker-q]").first
    search.type("王阿")
    pick = page.locator(".picker-pick").first
    pick.wait_for()
    assert "王阿婆" in pick.inner_text() and page.locator(".picker-pick").count() == 1
    pick.click()
    assert page.input_value("#id_visits-0-household") == str(widow.pk)
    page.fill("#id_content", "走访独居老人王阿婆，身体尚好，叮嘱注意用电安全，院子积水已帮忙清理。")
    page.click("#submit")
    page.wait_for_url(lambda url: "/diaries/new/" not in url)

    visit = Visit.objects.get()
    assert (visit.household_id, visit.name) == (widow.pk, "王阿婆")
    today = timezone.localdate()
    assert Household.objects.get(pk=widow.pk).next_visit_due == today + datetime.timedelta(days=30)
