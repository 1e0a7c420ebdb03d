"""申诉 and awards in real Chromium (issue 18, "Done when"): a unit appeals a case of last month, the city office
upholds it, sees the score change on the scores page, and confirms the month's awards."""

import pytest

from core.testing.browser import sign_in
from core.testing.moments import at
from core.testing.twofactor import totp_device
from oversight.models import AppealDecision, AwardDecision, AwardKind, ScoreAppeal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_upheld_appeal_changes_the_score_and_the_city_office_confirms_the_awards(
    browser, live_server, october, units, clock
):
    # The 4th working day of November: October's appeal window is open (the live server reads the same clock).
    clock.move_to(at(11, 5, 10))
    case = october.department.dispatches.get(dispatched_at=at(10, 3, 10)).case
    context, unit = sign_in(browser, live_server, "dept_handler")
    unit.goto(f"{live_server.url}/oversight/appeals/new/?case={case.pk}&month=2026-10")
    unit.fill("#id_reason", "该事项因上级政策调整暂缓，非本单位原因超期")
    unit.click("#form-appeal button[type=submit]")
    unit.wait_for_selector("#decision")
    appeal = ScoreAppeal.objects.get()
    assert (appeal.case, appeal.unit, appeal.decision) == (case, october.department, AppealDecision.PENDING)
    context.close()

    office_context, office = sign_in(browser, live_server, "city_office", totp_device(october.city_office))
    office.goto(f"{live_server.url}/dashboard/scores/?month=2026-10")
    assert "70.1" in office.locator("#table-scores").inner_text()
    office.goto(f"{live_server.url}/oversight/appeals/")
    office.click(f'a[href="/oversight/appeals/{appeal.pk}/"]')
    office.wait_for_selector("#form-appeal-decide")
    office.check("#id_uphold_0")
    office.click("#form-appeal-decide button[type=submit]")
    office.wait_for_selector("#decision")
    assert "form-appeal-decide" not in office.content()
    appeal.refresh_from_db()
    assert appeal.decision == AppealDecision.UPHELD

    # Scores are computed on read: the department's October without the appealed case (test_appeals: 80.5).
    office.goto(f"{live_server.url}/dashboard/scores/?month=2026-10")
    scores = office.locator("#table-scores").inner_text()
    assert "80.5" in scores and "70.1" not in scores

    office.goto(f"{live_server.url}/oversight/awards/?month=2026-10")
    assert "测试办公室0" in office.locator("#proposal").inner_text()
    office.click("#form-awards button[type=submit]")  # confirmed as proposed
    office.wait_for_selector("#confirmed a[href*='bulletin.pdf']")
    assert "测试办公室3" in office.locator("#confirmed").inner_text()
    pdf = office.request.get(f"{live_server.url}/oversight/awards/bulletin.pdf?month=2026-10")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    office_context.close()
    running = AwardDecision.objects.get(kind=AwardKind.RUNNING)
    assert running.units == [u.pk for u in units.offices[:3]] and running.confirmed_by == october.city_office
