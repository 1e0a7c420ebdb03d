"""督办单 in real Chromium: the city office issues one on an overdue case, the unit signs for it and answers."""

import datetime
import re

import pytest
from django.utils import timezone

from core.testing.browser import overdue_case, sign_in
from core.testing.twofactor import totp_device
from oversight.models import SupervisionOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = re.compile(r"督〔\d{4}〕\d+号")


def test_the_city_office_issues_an_order_and_the_unit_signs_and_answers_it(browser, live_server, cast, clock):
    case = overdue_case(cast, clock)
    case_url = f"{live_server.url}/cases/{case.pk}/"
    reply_by = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()

    # The city office's session stays open to the end: a second sign-in would replay the same one-time code.
    office_context, office = sign_in(browser, live_server, "city_office", totp_device(cast.city_office))
    office.goto(case_url)
    assert office.locator("h1 + p .tag.alert", has_text="超期").count() == 1  # the case is overdue before anyone acts
    office.click("#issue-order")
    office.wait_for_url(f"{live_server.url}/oversight/cases/{case.pk}/order/")
    office.select_option("#id_level", "supervise")
    office.fill("#id_content", "请于期限内修复路面并书面报告")
    office.fill("#id_reply_by", reply_by)
    office.click("#form-order-issue button[type=submit]")
    office.wait_for_selector("#order-number")
    order = SupervisionOrder.objects.get(case=case)
    number = office.locator("#order-number").inner_text()
    assert NUMBER.fullmatch(number) and number == order.number
    assert (order.level, order.unit, order.issued_by) == ("supervise", cast.office, cast.city_office)

    office.goto(case_url)
    assert number in office.locator("#supervision-orders").inner_text()
    office.goto(f"{live_server.url}/oversight/orders/")
    assert number in office.locator("#orders").inner_text()
    # The printable order: fetched with the page's session, not through the browser's PDF viewer.
    pdf = office.request.get(f"{live_server.url}/oversight/orders/{order.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    context, unit = sign_in(browser, live_server, "office_handler")
    unit.goto(f"{live_server.url}/oversight/orders/")
    unit.click(f"text={number}")
    unit.wait_for_selector("#form-order-sign")
    assert unit.locator("#form-order-reply").count() == 0  # signing comes first
    unit.click("#form-order-sign button[type=submit]")
    unit.wait_for_selector("#form-order-reply")
    unit.fill("#id_content", "已组织施工队修复路面，现场照片已存档")
    unit.click("#form-order-reply button[type=submit]")
    unit.wait_for_selector("#order-reply")
    assert "已组织施工队修复路面" in unit.locator("#order-reply").inner_text()
    assert unit.locator("#order-state").inner_text() == "已回复"
    assert unit.locator("#form-order-reply").count() == 0
    context.close()

    office.goto(f"{live_server.url}/oversight/orders/?state=replied")
    assert number in office.locator("#orders").inner_text()
    office.goto(case_url)
    assert "已回复" in office.locator("#supervision-orders").inner_text()
    office_context.close()
    order.refresh_from_db()
    assert (order.signed_by, order.replied_by) == (cast.office_handler, cast.office_handler)
