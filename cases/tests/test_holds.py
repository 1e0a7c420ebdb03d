"""挂账: asking, deciding and releasing a hold; the clocks stop while it is in force and restart
later by the working time held (hand-computed deadlines at pinned moments)."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import Action
from cases.models import Case, CaseEvent, Dispatch, Hold
from cases.overdue import overdue_now
from cases.services import case_hold_decide, case_hold_request, case_release
from cases.timing import remaining_text
from core import workdays
from core.testing.factories import (
    DispatchFactory,
    HoldFactory,
    RaisedCaseFactory,
    VillageCaseFactory,
    WorkdayOverrideFactory,
)
from core.testing.lifecycle import walk
from notifications.models import Notification
from notifications.tests.support import at, received, sweep_at

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def url(case, action):
    return f"/api/v1/cases/{case.pk}/{action}/"


def _held_case(cast, *, due: str, since: str, review_on: datetime.date) -> Case:
    """A case in progress with the office, its handle clock due at ``due``, on hold since ``since``."""
    case = VillageCaseFactory(cast=cast, status="in_progress", due=due, unit=cast.office)
    DispatchFactory(case=case, unit=cast.office, dispatched_at=at(due) - datetime.timedelta(days=7),
                    handle_due=at(due), signed_at=at(due) - datetime.timedelta(days=6))  # fmt: skip
    HoldFactory(case=case, approved=True, requested_at=at(since), review_on=review_on,
                requested_by=cast.township_staff, decided_by=cast.city_office)  # fmt: skip
    case.refresh_from_db()
    return case


# --- asking ---------------------------------------------------------------------------------------------------


def _days_on(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"reason": "纳入明年计划"}, "review_on", "review"),
        ({"reason": "纳入明年计划", "review_on": 0}, "review_on", "after today"),
        ({"reason": "纳入明年计划", "review_on": -20}, "review_on", "after today"),
        ({"reason": " ", "review_on": 30}, "reason", "plan or budget"),
        ({"reason": "纳入明年计划", "review_on": "not a date"}, "review_on", ""),
    ],
)
def test_a_bad_hold_request_is_400_with_why_and_writes_nothing(api, cast, body, field, words, settings):
    settings.LANGUAGE_CODE = "en"
    if isinstance(body.get("review_on"), int):  # days from today, whenever the suite's clock is pinned
        body = {**body, "review_on": _days_on(body["review_on"])}
    case = RaisedCaseFactory(cast=cast, stage="signed")
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(cast.township_staff).post(url(case, "hold"), body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert words in str(r.json()[field])
    assert CaseEvent.objects.filter(case=case).count() == before
    assert not Hold.objects.exists()


def test_the_desk_asks_the_city_office_is_told_and_a_second_request_is_409(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    body = {"reason": "纳入明年道路拓宽计划", "review_on": "2027-03-01"}
    r = api.as_user(cast.township_staff).post(url(case, "hold"), body, format="json")
    assert r.status_code == 200, r.content
    hold = Hold.objects.get(case=case)
    assert (hold.decision, hold.review_on, hold.requested_by) == ("pending", datetime.date(2027, 3, 1),
                                                                  cast.township_staff)  # fmt: skip
    event = CaseEvent.objects.get(case=case, action=Action.HOLD_REQUEST)
    assert event.data == {"hold": hold.pk, "review_on": "2027-03-01"}
    assert received(kind="case.hold_request") == [("city_office", "case.hold_request")]
    assert "2027" in Notification.objects.get(kind="case.hold_request").title
    case.refresh_from_db()
    assert case.held_since is None  # asking stops nothing
    again = api.as_user(cast.township_staff).post(url(case, "hold"), body, format="json")
    assert again.status_code == 409, again.content
    assert Hold.objects.filter(case=case).count() == 1


def test_a_city_case_is_put_on_hold_by_the_city_office_not_the_township(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="escalated")
    body = {"reason": "需列入市级预算", "review_on": "2027-03-01"}
    assert api.as_user(cast.township_staff).post(url(case, "hold"), body, format="json").status_code == 403
    assert api.as_user(cast.city_office).post(url(case, "hold"), body, format="json").status_code == 200


# --- deciding -------------------------------------------------------------------------------------------------


def test_refusing_needs_a_note_and_stops_no_clock(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="hold_pending")
    office = api.as_user(cast.city_office)
    assert office.post(url(case, "hold-decision"), {"approve": False}, format="json").status_code == 400
    r = office.post(url(case, "hold-decision"), {"approve": False, "note": "可先行部分处理"}, format="json")
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.held_since is None
    assert Hold.objects.get(case=case).decision == "refused"
    assert received(kind="case.hold_decision") == [("office_handler", "case.hold_decision"),
                                                  ("officer", "case.hold_decision"),
                                                  ("township_staff", "case.hold_decision")]  # fmt: skip
    # Refused, the desk may ask again.
    body = {"reason": "预算已报", "review_on": "2027-03-01"}
    assert api.as_user(cast.township_staff).post(url(case, "hold"), body, format="json").status_code == 200


def test_approving_stops_the_clocks_and_tells_the_desk_the_unit_and_the_officer(api, cast, clock):
    case = RaisedCaseFactory(cast=cast, stage="hold_pending")
    r = api.as_user(cast.city_office).post(url(case, "hold-decision"), {"approve": True}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["overdue"] is False
    case.refresh_from_db()
    assert case.held_since is not None
    event = CaseEvent.objects.get(case=case, action=Action.HOLD_DECISION)
    assert event.data["approve"] is True and event.data["review_on"] == Hold.objects.get().review_on.isoformat()
    assert received(kind="case.hold_decision") == [("office_handler", "case.hold_decision"),
                                                   ("officer", "case.hold_decision"),
                                                   ("township_staff", "case.hold_decision")]  # fmt: skip
    officer_notice = Notification.objects.get(kind="case.hold_decision", recipient=cast.officer)
    assert Hold.objects.get().review_on.isoformat() in officer_notice.body
    # The desk sees it on hold: no second request, release offered.
    detail = api.as_user(cast.township_staff).get(f"/api/v1/cases/{case.pk}/").json()
    assert "release" in detail["actions"] and "hold" not in detail["actions"]


# --- while held -----------------------------------------------------------------------------------------------


def test_a_held_case_is_neither_overdue_nor_on_time(cast):
    case = _held_case(cast, due="2026-11-20 10:00", since="2026-11-19 10:00", review_on=datetime.date(2027, 1, 4))
    assert not Case.objects.filter(overdue_now(at("2026-11-25 10:00")), pk=case.pk).exists()
    assert "hold" in remaining_text(case, at("2026-11-25 10:00")) or "挂账" in remaining_text(
        case, at("2026-11-25 10:00")
    )


def test_the_sweep_leaves_a_held_case_alone(cast):
    # Handling due Friday 20 Nov; five working days later it would be supervised, and overdue long before.
    case = _held_case(cast, due="2026-11-20 10:00", since="2026-11-19 10:00", review_on=datetime.date(2027, 1, 4))
    for moment in ("2026-11-19 16:00", "2026-11-20 11:00", "2026-12-01 11:00"):
        sweep_at(moment)
    case.refresh_from_db()
    assert (case.overdue, case.supervised) == (False, False)
    assert Notification.objects.filter(case=case).count() == 0
    assert not CaseEvent.objects.filter(case=case, action__in=[Action.OVERDUE, Action.SUPERVISE]).exists()


# --- release --------------------------------------------------------------------------------------------------


def test_releasing_by_hand_moves_the_running_deadlines_by_the_working_time_held(cast):
    # Held Wednesday 25 Nov 10:00, released Monday 30 Nov 10:00: 6 + 7.5 + 7.5 + 1.5 = 22.5 working hours.
    # Handling was due Friday 27 Nov 10:00; 22.5 working hours later is Wednesday 2 Dec 10:00.
    case = _held_case(cast, due="2026-11-27 10:00", since="2026-11-25 10:00", review_on=datetime.date(2027, 1, 4))
    case_release(case_id=case.pk, by=cast.township_staff, note="资金已到位", now=at("2026-11-30 10:00"))
    case.refresh_from_db()
    assert case.held_since is None
    assert case.due_at == case.handle_due == at("2026-12-02 10:00")
    assert Dispatch.objects.get(case=case).handle_due == at("2026-12-02 10:00")
    hold = Hold.objects.get(case=case)
    assert (hold.released_at, hold.released_by, hold.released_how) == (at("2026-11-30 10:00"), cast.township_staff,
                                                                       "by_hand")  # fmt: skip
    event = CaseEvent.objects.get(case=case, action=Action.RELEASE)
    assert event.data == {"hold": hold.pk, "automatic": False, "hours": 22.5}
    assert received(kind="case.release") == [("office_handler", "case.release")]


def test_a_released_case_can_be_put_on_hold_again(cast):
    case = RaisedCaseFactory(cast=cast, stage="held")
    case_release(case_id=case.pk, by=cast.city_office)
    case_hold_request(case_id=case.pk, by=cast.township_staff, reason="二次挂账", review_on=datetime.date(2027, 5, 1))
    case_hold_decide(case_id=case.pk, by=cast.city_office, approve=True)
    assert Hold.objects.filter(case=case).count() == 2


@pytest.fixture
def holiday_monday_7_dec():
    WorkdayOverrideFactory(date=datetime.date(2026, 12, 7), is_working_day=False, name="测试假日")
    workdays.overrides_changed()
    yield
    workdays.overrides_changed()  # the row rolls back with the test: forget it


def test_the_sweep_releases_on_the_review_date_across_a_weekend_and_a_holiday(cast, holiday_monday_7_dec):
    # Held Friday 4 Dec 16:30 with half a working hour of handling left (due 17:00). Monday 7 Dec is made a
    # holiday; the review date is Tuesday 8 Dec. The sweep at Tuesday 09:00 releases it: held 1 h on Friday
    # and 0.5 h on Tuesday = 1.5 h, so handling is due Friday 17:00 + 1.5 working hours = Tuesday 09:30.
    case = _held_case(cast, due="2026-12-04 17:00", since="2026-12-04 16:30", review_on=datetime.date(2026, 12, 8))
    sweep_at("2026-12-07 23:59")  # the day before: nothing
    case.refresh_from_db()
    assert case.held_since is not None
    sweep_at("2026-12-08 09:00")
    sweep_at("2026-12-08 09:05")  # once per hold, however often the sweep runs
    case.refresh_from_db()
    assert case.held_since is None
    assert case.due_at == case.handle_due == at("2026-12-08 09:30")
    assert Dispatch.objects.get(case=case).handle_due == at("2026-12-08 09:30")
    hold = Hold.objects.get(case=case)
    assert (hold.released_at, hold.released_by, hold.released_how) == (at("2026-12-08 09:00"), None, "review_date")
    event = CaseEvent.objects.get(case=case, action=Action.RELEASE)
    assert event.actor is None and event.data == {"hold": hold.pk, "automatic": True, "hours": 1.5}
    assert received(kind="case.release") == [("office_handler", "case.release"), ("township_staff", "case.release")]
    # The clock runs again: its last reminder comes in the same run.
    assert received(kind="deadline.reminder") == [("office_handler", "deadline.reminder")]
    sweep_at("2026-12-08 09:31")
    case.refresh_from_db()
    assert case.overdue is True


# --- listed apart and counted ---------------------------------------------------------------------------------


def test_held_cases_are_listed_apart_and_not_among_the_overdue(api, cast, client, clock):
    clock.move_to(at("2026-11-23 10:00"))  # both cases were due on the 20th
    held = _held_case(cast, due="2026-11-20 10:00", since="2026-11-19 10:00", review_on=datetime.date(2027, 1, 4))
    late = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-20 10:00", unit=cast.office)
    desk = api.as_user(cast.township_staff)

    def ids(params):
        r = desk.get("/api/v1/cases/", params)
        assert r.status_code == 200, r.content
        return sorted(row["id"] for row in r.json()["results"])

    assert ids({"held": "true"}) == [held.pk]
    assert ids({"held": "false"}) == [late.pk]
    assert ids({"overdue": "true"}) == [late.pk]
    assert desk.get("/api/v1/cases/", {"held": "maybe"}).status_code == 400
    client.force_login(cast.township_staff)
    page = client.get("/cases/", {"tab": "held"})
    assert page.status_code == 200
    assert [c.pk for c in page.context["page"].object_list] == [held.pk]
    assert "data-held" in page.content.decode()
    counted = {t.key: n for t, n in page.context["tabs"]}
    assert (counted["held"], counted["overdue"]) == (1, 1)


def test_the_dashboard_counts_held_cases_apart_from_the_overdue(api, cast, clock):
    clock.move_to(at("2026-11-23 10:00"))  # both cases were due on the 20th
    _held_case(cast, due="2026-11-20 10:00", since="2026-11-19 10:00", review_on=datetime.date(2027, 1, 4))
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-20 10:00", unit=cast.office)
    body = api.as_user(cast.city_office).get("/api/v1/stats/overview/").json()
    assert (body["held"], body["overdue_open"]) == (1, 1)
    by_township = api.as_user(cast.township_staff_b).get("/api/v1/stats/overview/").json()
    assert (by_township["held"], by_township["overdue_open"]) == (0, 0)


# --- the resident is told ---------------------------------------------------------------------------------------


def test_the_feedback_form_and_event_record_the_hold(cast, client, clock):
    case = RaisedCaseFactory(cast=cast, stage="held")
    hold = Hold.objects.get(case=case)
    clock.shift(datetime.timedelta(days=2))
    case_release(case_id=case.pk, by=cast.township_staff)
    walk(case, "approved", cast, since="signed")
    client.force_login(cast.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert hold.reason in page
    walk(case, "fed_back", cast, since="approved")
    event = CaseEvent.objects.get(case=case, action=Action.FEEDBACK)
    hold.refresh_from_db()
    held_from, held_to = timezone.localdate(hold.decided_at), timezone.localdate(hold.released_at)
    assert held_to - held_from == datetime.timedelta(days=2)
    assert event.data["holds"] == [{"reason": hold.reason, "from": held_from.isoformat(), "to": held_to.isoformat()}]
