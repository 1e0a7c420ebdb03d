"""A resident on a phone, no sign-in: raise a request with a photo, follow it, rate it unsatisfied;
the township desk finds it on its redo queue."""

import pytest

from cases.models import Case
from core.testing import lifecycle
from core.testing.browser import sign_in
from core.testing.factories import StationCodeFactory
from core.testing.payloads import JPEG
from demo.categories import seed_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_raises_follows_and_rates(live_server, browser, phone_page, cast):
    seed_categories()
    code = StationCodeFactory(station=cast.village)
    page = phone_page
    page.goto(f"{live_server.url}/r/{code.token}/")
    assert cast.officer.name in page.content()
    page.fill("#id_content", "村口路灯坏了一个月，晚上看不见路")
    page.fill("#id_phone", "13900001234")
    page.set_input_files("#id_photos", {"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    page.check("#id_consent")
    page.click("form.public-form button[type=submit]")
    tracking = page.locator("#tracking-code").inner_text().strip()
    case = Case.objects.get(source="resident")
    assert tracking.startswith(case.code + "-")

    # The desk dispatches, the unit replies, the desk approves, the officer tells the resident.
    lifecycle.walk(case, "fed_back", cast)

    page.goto(f"{live_server.url}/r/track/")
    page.fill("#id_code", tracking)
    page.fill("#id_phone_tail", "1234")
    page.click("form.public-form button[type=submit]")
    assert page.locator("#story-feedback").inner_text().strip()
    page.check("input[name=solved][value='0']")
    page.check("input[name=satisfaction][value=unsatisfied]")
    page.fill("#id_comment", "路灯还是不亮")
    page.click("form.public-form button[type=submit]")
    page.wait_for_selector("#story-rating")

    context, desk = sign_in(browser, live_server, "township_staff")
    try:
        desk.goto(f"{live_server.url}/cases/?tab=to_redo")
        assert case.code in desk.content() or case.title in desk.content()
    finally:
        context.close()
