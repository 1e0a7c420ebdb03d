"""申诉: the window at pinned clocks, the decision and its effect on the hand-computed scores of test_scores."""

import datetime

import pytest

from audit.models import AuditEvent
from cases.choices import Action
from cases.models import CaseEvent
from core.testing.moments import MONDAY, at
from notifications.models import Notification
from oversight.appeals import window_last_day
from oversight.models import AppealDecision, ScoreAppeal
from oversight.tests.october import by_label

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

URL = "/api/v1/score-appeals/"
SCORES = "/api/v1/stats/scores/"


def _d2(world):
    """The department's case of 3 October: signed late, answered late, basically satisfied."""
    return world.department.dispatches.get(dispatched_at=at(10, 3, 10)).case


def _file(api, world, *, case=None, month="2026-10", reason="政策原因超期，非本单位责任"):
    case = case or _d2(world)
    return api.as_user(world.dept_handler).post(URL, {"case": case.pk, "month": month, "reason": reason},
                                                format="json")  # fmt: skip


def test_october_closes_at_the_end_of_the_fifth_working_day_of_november():
    assert window_last_day(datetime.date(2026, 10, 1)) == datetime.date(2026, 11, 6)


@pytest.mark.parametrize(
    ("moment", "status", "says"),
    [
        (at(11, 6, 23, 59), 201, ""),  # the last minute of the 5th working day
        (at(11, 7, 0, 0), 400, "2026-11-06"),  # the first minute after: the message names the last day
        (at(10, 31, 23, 59), 400, "month"),
        (at(11, 2, 8, 0), 201, ""),
    ],
)
def test_the_window_at_its_edges(api, october, clock, moment, status, says):
    clock.move_to(moment)
    answer = _file(api, october)
    assert answer.status_code == status, answer.content
    assert says in answer.content.decode()
    assert ScoreAppeal.objects.count() == (1 if status == 201 else 0)
    if status == 400:
        assert not CaseEvent.objects.filter(action=Action.APPEAL_FILED).exists()


def test_a_holiday_inside_the_window_extends_it(api, october, clock, calendar_override):
    calendar_override(datetime.date(2026, 11, 4))
    assert window_last_day(datetime.date(2026, 10, 1)) == datetime.date(2026, 11, 9)
    clock.move_to(at(11, 9, 17, 0))
    assert _file(api, october).status_code == 201
    clock.move_to(at(11, 10, 0, 0))
    assert (
        _file(api, october, case=october.department.dispatches.get(dispatched_at=at(10, 4, 10)).case).status_code == 400
    )


def test_bad_filings_write_nothing(api, october, clock):
    clock.move_to(at(11, 3, 10))
    office_case = october.office_b.dispatches.filter(dispatched_at__month=10).first().case
    refused = _file(api, october, case=office_case)  # not a case of the department
    assert refused.status_code == 400 and "case" in refused.json()
    assert _file(api, october, reason="  ").status_code == 400
    assert _file(api, october, month="2026-13").status_code == 400
    assert api.as_user(october.city_office).post(URL, {"case": _d2(october).pk, "month": "2026-10", "reason": "x"},
                                                 format="json").status_code == 403  # fmt: skip
    assert not ScoreAppeal.objects.exists()
    assert _file(api, october).status_code == 201
    assert _file(api, october).status_code == 409  # one pending appeal per case, unit and month
    assert ScoreAppeal.objects.count() == 1


def test_an_upheld_appeal_takes_the_case_out_of_the_month_score(api, october, clock):
    before = by_label(api.as_user(october.city_office).get(SCORES, {"month": "2026-10"}).json())
    assert before[october.department.label]["score"] == 70.1
    clock.move_to(at(11, 5, 10))
    appeal = _file(api, october).json()
    assert appeal["decision"] == "pending" and appeal["month"] == "2026-10"
    # The city office hears of it; the case's timeline and the audit trail say it.
    assert Notification.objects.filter(recipient=october.city_office, kind="appeal.filed").exists()
    assert CaseEvent.objects.filter(case=_d2(october), action=Action.APPEAL_FILED).exists()
    assert AuditEvent.objects.filter(action="appeal_file").exists()
    clock.move_to(MONDAY)
    decision = f"{URL}{appeal['id']}/decision/"
    assert api.as_user(october.dept_handler).post(decision, {"uphold": True}, format="json").status_code == 403
    assert api.as_user(october.township_staff_b).post(decision, {"uphold": True}, format="json").status_code == 404
    answer = api.as_user(october.city_office).post(decision, {"uphold": True}, format="json")
    assert answer.status_code == 200 and answer.json()["decision"] == "upheld"
    assert (
        api.as_user(october.city_office).post(decision, {"uphold": False, "note": "x"}, format="json").status_code
        == 409
    )
    assert Notification.objects.filter(recipient=october.dept_handler, kind="appeal.decided").exists()
    assert CaseEvent.objects.filter(case=_d2(october), action=Action.APPEAL_DECIDED).exists()
    assert AuditEvent.objects.filter(action="appeal_decide").exists()
    # Scores are computed on read: the next read is the recomputed score. The department without d2: signed in time
    # d1 d3 d5 → 1.0 → 30; on time d1 d3 d5 → 1.0 → 35; satisfied d1 of d1 d3 → 0.5 → 17.5; − 2 (d1's order) = 80.5, B.
    d = by_label(api.as_user(october.city_office).get(SCORES, {"month": "2026-10"}).json())[october.department.label]
    assert (d["score"], d["grade"]) == (80.5, "B")
    # The unit appealed, not the township: township A's score still counts d2 (41.3, as in test_scores).
    townships = by_label(api.as_user(october.city_office).get(SCORES, {"month": "2026-10", "kind": "township"}).json())
    assert townships[october.township.label]["score"] == 41.3
    # Another month is not touched by it.
    assert ScoreAppeal.objects.get().month == datetime.date(2026, 10, 1)


def test_a_rejected_appeal_changes_nothing(api, october, clock):
    clock.move_to(at(11, 5, 10))
    appeal = _file(api, october).json()
    clock.move_to(MONDAY)
    decision = f"{URL}{appeal['id']}/decision/"
    office = api.as_user(october.city_office)
    refused = office.post(decision, {"uphold": False, "note": ""}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    assert ScoreAppeal.objects.get().decision == AppealDecision.PENDING
    assert office.post(decision, {"uphold": False, "note": "超期系本单位原因"}, format="json").status_code == 200
    d = by_label(office.get(SCORES, {"month": "2026-10"}).json())[october.department.label]
    assert d["score"] == 70.1
    # A rejected appeal may be followed by a new one (within the window).
    clock.move_to(at(11, 6, 10))
    assert _file(api, october).status_code == 201


def test_the_pages_file_list_and_decide(client, october, clock):
    clock.move_to(at(11, 4, 10))
    case = _d2(october)
    client.force_login(october.dept_handler)
    form = client.get("/oversight/appeals/new/", {"case": case.pk, "month": "2026-10"})
    assert form.status_code == 200 and 'value="2026-10"' in form.content.decode()
    empty = client.post("/oversight/appeals/new/", {"case": case.pk, "month": "2026-10", "reason": ""})
    assert empty.status_code == 400 and not ScoreAppeal.objects.exists()
    filed = client.post("/oversight/appeals/new/", {"case": case.pk, "month": "2026-10", "reason": "政策原因"})
    appeal = ScoreAppeal.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/oversight/appeals/{appeal.pk}/"
    listed = f'href="/oversight/appeals/{appeal.pk}/"'
    assert listed in client.get("/oversight/appeals/").content.decode()
    assert "form-appeal-decide" not in client.get(f"/oversight/appeals/{appeal.pk}/").content.decode()
    client.force_login(october.city_office)
    page = client.get(f"/oversight/appeals/{appeal.pk}/").content.decode()
    assert "form-appeal-decide" in page
    assert client.post(f"/oversight/appeals/{appeal.pk}/", {"uphold": "reject", "note": ""}).status_code == 400
    assert client.post(f"/oversight/appeals/{appeal.pk}/", {"uphold": "uphold"}).status_code == 302
    assert ScoreAppeal.objects.get().decision == AppealDecision.UPHELD
    client.force_login(october.township_staff_b)
    assert listed not in client.get("/oversight/appeals/").content.decode()
    assert client.get(f"/oversight/appeals/{appeal.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("moment", "offered"),
    [(at(11, 6, 23, 59), True), (at(11, 7, 0, 0), False)],  # the window's last minute, and the first after it
)
def test_the_case_page_offers_the_unit_its_appeal_while_the_window_is_open(client, october, clock, moment, offered):
    clock.move_to(moment)
    case = _d2(october)
    client.force_login(october.dept_handler)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert (f"/oversight/appeals/new/?case={case.pk}&amp;month=2026-10" in html) is offered
    client.force_login(october.city_office)  # the city office decides appeals; it files none
    assert 'id="file-appeal"' not in client.get(f"/cases/{case.pk}/").content.decode()
