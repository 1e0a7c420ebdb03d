"""An officer on a phone opens the ledger from the Me panel, then a record with its visits, in real Chromium."""

import pytest

from core.testing.browser import sign_in
from core.testing.factories import DiaryEntryFactory, VisitFactory
from core.testing.factories.households import HouseholdTagFactory
from households.services import household_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_opens_the_ledger_and_a_record_on_a_phone(browser, live_server, cast):
    # A transactional test before this one empties the tables the migrations filled: the tag is made here.
    HouseholdTagFactory(name="独居老人", interval_days=30)
    widow = household_create(by=cast.officer, station=cast.village, name="王秀英", address="三组12号",
                             phone="13812345678", tags=["独居老人"])  # fmt: skip
    household_create(by=cast.officer, station=cast.village, name="李四", address="一组3号")
    VisitFactory(entry=DiaryEntryFactory(officer=cast.officer, station=cast.village, content="看望王秀英"),
                 household=widow)  # fmt: skip
    context, page = sign_in(browser, live_server, "officer")
    try:
        page.click("nav .nav-more summary")
        page.click("nav a.ledger")
        page.wait_for_url("**/households/")
        assert page.locator("[data-household]").count() == 2
        assert page.locator("[data-due]").get_attribute("data-due") == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
        page.click(f"[data-household='{widow.pk}'] a")
        page.wait_for_url(f"**/households/{widow.pk}/")
        assert "13812345678" in page.locator(".household .phone").inner_text()
        assert page.locator("[data-timeline^=visit]").count() == 1
        assert "看望王秀英" in page.locator(".timeline").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
