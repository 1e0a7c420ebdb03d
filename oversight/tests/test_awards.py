"""奔跑奖 / 蜗牛奖: proposed from the month's unit scores, confirmed (or changed with a reason) by the city office,
shown by the monthly report and printed as the 通报."""

import pytest

from audit.models import AuditEvent
from core.testing.factories import AwardDecisionFactory
from core.testing.moments import MONDAY
from oversight.awards import proposal
from oversight.models import AwardDecision, AwardKind

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PAGE = "/oversight/awards/"


def _row(unit: int, score: float, dispatches: int = 5) -> dict:
    return {"unit": {"id": unit, "label": f"单位{unit}"}, "score": score, "dispatches": dispatches}


def test_the_proposal_is_the_top_and_bottom_three_with_enough_dispatches():
    rows = [_row(u, 100 - u) for u in range(1, 9)]  # best first, as scores() answers
    rows.insert(0, _row(99, 100.0, dispatches=4))  # the best score, too few dispatches
    assert proposal(rows) == {AwardKind.RUNNING: [1, 2, 3], AwardKind.SNAIL: [8, 7, 6]}
    # Fewer than six units: the snail award gets the rest, never a unit of the running award.
    assert proposal(rows[:5]) == {AwardKind.RUNNING: [1, 2, 3], AwardKind.SNAIL: [4]}
    assert proposal([]) == {AwardKind.RUNNING: [], AwardKind.SNAIL: []}


def _confirm(client, running, snail, reason=""):
    return client.post(f"{PAGE}?month=2026-10", {"running": [u.pk for u in running], "snail": [u.pk for u in snail],
                                                 "reason": reason})  # fmt: skip


def test_the_city_office_confirms_the_proposal_as_is(client, units):
    o = units.offices
    client.force_login(units.city_office)
    assert f'href="{PAGE}?month=2026-10"' in client.get("/dashboard/scores/", {"month": "2026-10"}).content.decode()
    page = client.get(PAGE, {"month": "2026-10"}).content.decode()
    assert "测试办公室0、测试办公室1、测试办公室2" in page and 'id="awards-pending"' in page
    report = client.get("/dashboard/report/", {"month": "2026-10"}).content.decode()
    assert 'id="report-awards-pending"' in report and 'id="report-awards"' not in report
    assert client.get("/oversight/awards/bulletin.pdf", {"month": "2026-10"}).status_code == 404
    answer = _confirm(client, o[:3], o[3:])
    assert answer.status_code == 302
    decided = {d.kind: d for d in AwardDecision.objects.all()}
    assert decided[AwardKind.RUNNING].units == [u.pk for u in o[:3]] == decided[AwardKind.RUNNING].proposed
    assert decided[AwardKind.SNAIL].units == [o[3].pk] and decided[AwardKind.SNAIL].reason == ""
    assert AuditEvent.objects.filter(action="awards_confirm").count() == 1
    report = client.get("/dashboard/report/", {"month": "2026-10"}).content.decode()
    assert (
        'id="report-awards"' in report and "测试办公室3" in report.split('id="report-awards"')[1].split("</table>")[0]
    )
    pdf = client.get("/oversight/awards/bulletin.pdf", {"month": "2026-10"})
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint is not usable here")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_change_needs_a_reason_and_nothing_is_written_without_one(client, units):
    o = units.offices
    client.force_login(units.city_office)
    refused = _confirm(client, [o[0], o[2], o[1]], [o[3]])
    assert refused.status_code == 400 and "reason" in refused.content.decode().lower()
    assert not AwardDecision.objects.exists() and not AuditEvent.objects.filter(action="awards_confirm").exists()
    # A unit in both awards, or one without enough dispatches, is refused whatever the reason.
    assert _confirm(client, o[:3], [o[0]], reason="调整").status_code == 400
    assert _confirm(client, [units.few], [o[3]], reason="调整").status_code == 400
    assert not AwardDecision.objects.exists()
    assert _confirm(client, [o[0], o[2], o[1]], [o[3]], reason="测试办公室2 获市领导表扬").status_code == 302
    running = AwardDecision.objects.get(kind=AwardKind.RUNNING)
    assert running.units == [o[0].pk, o[2].pk, o[1].pk] and running.reason == "测试办公室2 获市领导表扬"
    # Confirming again the proposal after a change is itself a change: it needs a reason too.
    assert _confirm(client, o[:3], o[3:]).status_code == 400
    assert AwardDecision.objects.get(kind=AwardKind.RUNNING).units == [o[0].pk, o[2].pk, o[1].pk]
    assert _confirm(client, o[:3], o[3:], reason="恢复原建议").status_code == 302
    assert AuditEvent.objects.filter(action="awards_confirm").count() == 2


def test_only_the_city_office_confirms(client, units):
    for user in (units.township_staff, units.leader, units.office_handler, units.admin):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert _confirm(client, units.offices[:3], units.offices[3:]).status_code == 403
    assert not AwardDecision.objects.exists()


def test_another_city_decision_is_not_shown(client, units):
    AwardDecisionFactory(month=MONDAY.date().replace(month=10, day=1), units=[units.offices[3].pk])
    client.force_login(units.city_office)
    report = client.get("/dashboard/report/", {"month": "2026-10"}).content.decode()
    assert 'id="report-awards-pending"' in report


def test_a_bad_month_is_said_beside_the_picker_and_the_bulletin_is_404(client, units):
    client.force_login(units.city_office)
    page = client.get(PAGE, {"month": "2026-13"})
    assert page.status_code == 200
    assert 'id="month-errors"' in page.content.decode()  # last month is shown, and the page says why
    assert client.get("/oversight/awards/bulletin.pdf", {"month": "2026-13"}).status_code == 404
    assert not AwardDecision.objects.exists()
