"""A resident on a phone, no sign-in: raise a request with a photo; the desk dispatches it, the unit
replies, the officer gives feedback (each in their own browser session); the resident follows it and
rates it unsatisfied; the township desk finds it on its redo queue. Every page the resident sees is
checked by axe-core (0 serious or critical findings) and read at 200 % text without sideways
scrolling (QUALITY.md)."""

import pytest

from cases.models import Case
from core.testing.axe import axe_violations, dangling_references, describe, install_axe
from core.testing.factories import StationCodeFactory
from core.testing.payloads import JPEG
from demo.categories import seed_categories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def _readable(page, label: str, problems: list[str]) -> None:
    """axe's serious findings, then the same page at 200 % text: nothing may scroll sideways."""
    if found := axe_violations(page) + dangling_references(page):
        problems.append(describe(found, f"{label}  "))
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    if (over := page.evaluate(SIDEWAYS)) > 0:
        problems.append(f"{label} at 200 % text: {over} px sideways")
    page.evaluate("document.documentElement.style.fontSize = ''")


def test_a_resident_raises_follows_and_rates(live_server, signed_in, phone_page, cast):
    seed_categories()
    code = StationCodeFactory(station=cast.village)
    page, problems = phone_page, []
    install_axe(page.context)
    page.goto(f"{live_server.url}/r/{code.token}/")
    _readable(page, "the station's form", problems)
    assert cast.officer.name in page.content()
    page.fill("#id_content", "村口路灯坏了一个月，晚上看不见路")
    page.fill("#id_phone", "13900001234")
    page.set_input_files("#id_photos", {"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    page.check("#id_consent")
    page.click("form.public-form button[type=submit]")
    tracking = page.locator("#tracking-code").inner_text().strip()
    _readable(page, "the confirmation", problems)
    case = Case.objects.get(source="resident")
    assert tracking.startswith(case.code + "-")

    # The staff's side, each in their own browser session through the case page's forms: the desk
    # dispatches, the unit signs for it and replies, the desk approves, the officer tells the resident.
    url = f"{live_server.url}/cases/{case.pk}/"

    def staff(username):
        staff_page = signed_in(username)
        staff_page.goto(url)
        return staff_page

    desk = staff("township_staff")
    desk.select_option("#id_dispatch-unit", str(cast.office.pk))
    desk.click("#form-dispatch button[type=submit]")
    desk.wait_for_selector("text=已完成：派单")
    unit = staff("office_handler")
    unit.click("#form-sign button[type=submit]")
    unit.wait_for_selector("text=已完成：签收")
    unit.fill("#id_reply-result", "已更换村口路灯")
    unit.check("#id_reply-outcome_0")
    unit.click("#form-reply button[type=submit]")
    unit.wait_for_selector("text=已完成：办复")
    desk.goto(url)
    desk.click("text=审核通过")
    desk.wait_for_selector("text=已完成：审核办复")
    officer = staff("officer")
    officer.select_option("#id_feedback-channel", "visit")
    officer.fill("#id_feedback-content", "村口路灯已经换好了")
    officer.click("#form-feedback button[type=submit]")
    officer.wait_for_selector("text=已完成：反馈")
    case.refresh_from_db()
    assert case.status == "pending_callback"

    page.goto(f"{live_server.url}/r/track/")
    _readable(page, "the tracking form", problems)
    page.fill("#id_code", tracking)
    page.fill("#id_phone_tail", "1234")
    page.click("form.public-form button[type=submit]")
    assert page.locator("#story-feedback").inner_text().strip()
    _readable(page, "the story with the rating form", problems)
    page.check("input[name=solved][value='0']")
    page.check("input[name=satisfaction][value=unsatisfied]")
    page.fill("#id_comment", "路灯还是不亮")
    page.click("form.public-form button[type=submit]")
    page.wait_for_selector("#story-rating")
    _readable(page, "the story after the rating", problems)
    assert not problems, "\n".join(problems)

    desk.goto(f"{live_server.url}/cases/?tab=to_redo")
    assert case.code in desk.content() or case.title in desk.content()
    # The photo the resident sent is on the case's page, and opens.
    desk.goto(url)
    src = desk.locator("#resident .photos img").first.get_attribute("src")
    assert desk.request.get(f"{live_server.url}{src}").status == 200
