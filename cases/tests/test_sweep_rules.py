"""Every rule of the deadline sweep, by time travel with `sweep_deadlines --at`."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import CitySettings
from cases.models import Case, CaseEvent
from core.testing.factories import DiaryEntryFactory, DispatchFactory, VillageCaseFactory
from diaries.models import DiaryEntry
from notifications.models import Delivery, Notification, SweepClaim
from notifications.tests.support import at, duplicates, received, sweep_at
from oversight.models import SupervisionOrder

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REMIND, OVERDUE = "deadline.reminder", "deadline.overdue"


@pytest.fixture(autouse=True)
def quiet_officers(cast):
    """Give the cast's officers a fresh diary so the silent-officer rule stays out of the other tests."""
    for officer, station in ((cast.officer, cast.village), (cast.officer_b, cast.village_b)):
        DiaryEntryFactory(officer=officer, station=station, visit_date=datetime.date(2026, 12, 31))


def test_handling_reminders_one_working_day_and_two_working_hours_before(cast):
    # Tuesday 10:00: the first reminder at 7.5 working hours left (Monday 10:00),
    # the last at 2 working hours left (Monday 17:00: 0.5 h + 1.5 h on Tuesday).
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office)
    sweep_at("2026-11-09 09:59")
    assert received() == []
    sweep_at("2026-11-09 10:00")
    assert received() == [("office_handler", REMIND)]
    sweep_at("2026-11-09 16:59")
    assert received() == [("office_handler", REMIND)]
    sweep_at("2026-11-09 17:00")
    assert received() == [("office_handler", REMIND)] * 2
    notice = Notification.objects.filter(case=case).first()
    assert case.code in notice.title and "办理" in notice.title and "2026-11-10 10:00" in notice.body
    assert notice.url.endswith(f"/{case.pk}/")


def test_sweeping_three_times_sends_each_notice_once(cast):
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office)
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-06 10:00", unit=cast.department)
    for _ in range(3):
        sweep_at("2026-11-09 17:00")
    assert received() == [("dept_handler", OVERDUE), ("office_handler", REMIND), ("township_staff", OVERDUE)]
    assert duplicates() == {}


def test_a_late_first_sight_sends_only_the_last_reminder(cast):
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office)
    sweep_at("2026-11-10 09:00")
    sweep_at("2026-11-10 09:30")
    assert received() == [("office_handler", REMIND)]
    assert SweepClaim.objects.get().rule == "remind_last"


def test_no_first_reminder_on_a_one_day_clock(cast):
    # Dispatch has one working day: "one working day before" is the moment it arrives.
    VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-11-10 10:00")
    sweep_at("2026-11-09 10:05")
    assert received() == []
    sweep_at("2026-11-10 08:00")
    assert received() == [("township_staff", REMIND)]


def test_urgent_and_emergency_reminders_come_closer_to_the_deadline(cast):
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 15:00", unit=cast.office, urgency="urgent")
    VillageCaseFactory(
        cast=cast, status="in_progress", due="2026-11-14 03:00", unit=cast.department, urgency="emergency"
    )
    sweep_at("2026-11-10 10:00")  # 3.5 working hours left: nothing yet
    assert received() == []
    sweep_at("2026-11-10 14:00")  # 1 working hour left: the first urgent one (2 h)
    assert received() == [("office_handler", REMIND)]
    sweep_at("2026-11-10 14:30")  # 30 minutes: the last
    assert received() == [("office_handler", REMIND)] * 2
    sweep_at("2026-11-14 01:59")  # Saturday night, emergencies keep clock time
    assert received(case=Case.objects.get(urgency="emergency")) == []
    sweep_at("2026-11-14 02:00")
    sweep_at("2026-11-14 02:45")
    assert received(case=Case.objects.get(urgency="emergency")) == [("dept_handler", REMIND)] * 2


def test_reminders_skip_the_national_day_holiday(cast):
    # Due Thursday 8 October 10:00, the first working day after 1–7 October:
    # 7.5 working hours before is Wednesday 30 September 10:00, not 7 October.
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-10-08 10:00", unit=cast.office)
    sweep_at("2026-09-30 09:59")
    assert received() == []
    sweep_at("2026-09-30 10:00")
    assert received() == [("office_handler", REMIND)]
    sweep_at("2026-09-30 17:00")  # 0.5 h that day + 1.5 h on the 8th
    assert received() == [("office_handler", REMIND)] * 2
    sweep_at("2026-10-08 09:00")
    assert len(received()) == 2


def test_saturday_10_october_is_a_working_day(cast):
    # Due Monday 12 October 09:00: one working day before is Saturday 10 October 09:00.
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-10-12 09:00", unit=cast.office)
    sweep_at("2026-10-10 08:59")
    assert received() == []
    sweep_at("2026-10-10 09:00")
    assert received() == [("office_handler", REMIND)]


def test_overdue_flags_the_case_and_urges_the_holder_and_its_desk(cast):
    handle = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-09 10:00", unit=cast.department)
    city = VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-11-09 10:00", level="city")
    review = VillageCaseFactory(cast=cast, status="pending_review", due="2026-11-09 10:00", unit=cast.department)
    sweep_at("2026-11-09 09:59")
    assert not Case.objects.filter(overdue=True).exists()
    sweep_at("2026-11-09 10:00")
    assert set(Case.objects.filter(overdue=True)) == {handle, city, review}
    assert received(OVERDUE, handle) == [("dept_handler", OVERDUE), ("township_staff", OVERDUE)]
    assert received(OVERDUE, city) == [("city_office", OVERDUE)]
    assert received(OVERDUE, review) == [("township_staff", OVERDUE)]
    assert "催办" in Notification.objects.filter(kind=OVERDUE).first().title
    event = CaseEvent.objects.get(case=handle)  # on the timeline too, by no one
    assert (event.action, event.actor, event.data) == ("overdue", None, {"clock": "handle"})
    assert event.note == "办理已超过时限（2026-11-09 10:00）。"
    sweep_at("2026-11-09 11:00")
    assert CaseEvent.objects.filter(action="overdue").count() == 3


def test_feedback_overdue_tells_the_officer_and_the_township_staff(cast):
    case = VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-11-09 10:00", unit=cast.department)
    sweep_at("2026-11-09 11:00")
    sweep_at("2026-11-09 12:00")
    kind = "deadline.feedback_overdue"
    assert received(case=case) == [("officer", kind), ("township_staff", kind)]
    assert "反映必反馈" in Notification.objects.filter(case=case).first().title
    assert Case.objects.get(pk=case.pk).overdue


def test_an_extension_reminds_again_and_lifts_the_overdue_flag(cast):
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office)
    sweep_at("2026-11-10 09:00")
    sweep_at("2026-11-10 10:30")
    assert [k for _, k in received()] == [OVERDUE, REMIND, OVERDUE]
    # What an approved extension leaves behind: the handle deadline moved.
    Case.objects.filter(pk=case.pk).update(handle_due=at("2026-11-13 10:00"), due_at=at("2026-11-13 10:00"))
    sweep_at("2026-11-10 11:00")
    assert not Case.objects.get(pk=case.pk).overdue
    sweep_at("2026-11-12 10:00")
    sweep_at("2026-11-13 09:00")
    sweep_at("2026-11-13 10:00")
    assert [k for u, k in received() if u == "office_handler"] == [OVERDUE, OVERDUE, REMIND, REMIND, REMIND]
    assert Case.objects.get(pk=case.pk).overdue


def test_five_working_days_past_the_handle_deadline_the_case_is_supervised(cast):
    # Due Wednesday 30 September; five working days after the holiday:
    # 8, 9, 10 (Saturday, a working day), 12 and 13 October.
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-09-30 10:00", unit=cast.department)
    sweep_at("2026-10-13 09:59")
    assert not Case.objects.get(pk=case.pk).supervised
    sweep_at("2026-10-13 10:00")
    sweep_at("2026-10-13 10:05")
    assert Case.objects.get(pk=case.pk).supervised
    event = CaseEvent.objects.get(case=case, action="supervise")
    assert (event.actor, event.from_status, event.to_status, event.data) == (
        None,
        "in_progress",
        "in_progress",
        {"automatic": True},
    )
    assert event.note == "系统自动督办：已超过办理时限五个工作日。"
    assert received("deadline.supervised") == [
        ("city_office", "deadline.supervised"),
        ("dept_handler", "deadline.supervised"),
    ]


@pytest.mark.parametrize("status", ["pending_sign", "pending_review", "pending_feedback", "pending_callback"])
def test_supervised_five_working_days_past_the_handle_deadline_whatever_status_it_waits_in(cast, status):
    # Handle deadline Monday 2 November 10:00: five working days past is Monday 9 November 10:00.
    # The clock running now (sign-for, review, …) has a deadline of its own, passed as well.
    late = VillageCaseFactory(
        cast=cast, status=status, due="2026-11-03 10:00", handle_due=at("2026-11-02 10:00"), unit=cast.department
    )
    four_days = VillageCaseFactory(
        cast=cast, status=status, due="2026-11-04 10:00", handle_due=at("2026-11-03 10:00"), unit=cast.department
    )
    closed = VillageCaseFactory(cast=cast, status="closed", handle_due=at("2026-11-02 10:00"), unit=cast.department)
    sweep_at("2026-11-09 09:59")
    assert not Case.objects.filter(supervised=True).exists()
    sweep_at("2026-11-09 10:00")
    sweep_at("2026-11-09 10:05")
    assert set(Case.objects.filter(supervised=True)) == {late}
    event = CaseEvent.objects.get(action="supervise")
    assert (event.case, event.actor, event.from_status, event.to_status, event.data) == (
        late,
        None,
        status,
        status,
        {"automatic": True},
    )
    claim = SweepClaim.objects.get(rule="supervise")
    assert (claim.case, claim.clock, claim.due_at) == (late, "handle", at("2026-11-02 10:00"))
    supervised = "deadline.supervised"
    assert received(supervised) == [("city_office", supervised), ("dept_handler", supervised)]
    assert "2026-11-02 10:00" in Notification.objects.get(kind=supervised, recipient=cast.city_office).body
    # A working day later the other one is five days past too: supervised once, the first not again.
    sweep_at("2026-11-10 10:00")
    sweep_at("2026-11-10 11:00")
    assert set(Case.objects.filter(supervised=True)) == {late, four_days}
    assert CaseEvent.objects.filter(action="supervise").count() == 2
    assert not CaseEvent.objects.filter(case=closed).exists() and not Case.objects.get(pk=closed.pk).supervised
    assert len(received(supervised)) == 4 and duplicates() == {}


@pytest.mark.parametrize("status", ["pending_review", "pending_feedback", "pending_callback"])
def test_a_unit_that_replied_in_time_is_not_supervised_for_the_desk_being_slow(cast, status):
    on_time = VillageCaseFactory(
        cast=cast, status=status, due="2026-11-03 10:00", handle_due=at("2026-11-02 10:00"), unit=cast.department
    )
    late = VillageCaseFactory(
        cast=cast, status=status, due="2026-11-03 10:00", handle_due=at("2026-11-02 10:00"), unit=cast.department
    )
    for case, replied in ((on_time, "2026-11-02 09:00"), (late, "2026-11-02 11:00")):
        DispatchFactory(case=case, unit=cast.department, dispatched_at=at("2026-10-26 10:00"),
                        handle_due=case.handle_due, replied_at=at(replied))  # fmt: skip
    sweep_at("2026-11-12 10:00")
    assert set(Case.objects.filter(supervised=True)) == {late}


def test_a_case_supervised_by_hand_is_not_supervised_again(cast):
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-09-30 10:00", unit=cast.department, supervised=True)
    sweep_at("2026-10-20 10:00")
    assert not CaseEvent.objects.filter(action="supervise").exists()
    assert received("deadline.supervised") == []


def test_an_officer_silent_for_14_days_is_noticed_once_per_silence(cast):
    DiaryEntry.objects.all().delete()
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=datetime.date(2026, 11, 1))
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=datetime.date(2026, 11, 20))
    sweep_at("2026-11-14 10:00")
    assert received() == []
    sweep_at("2026-11-15 10:00")
    sweep_at("2026-11-16 10:00")
    silent = "diary.silent"
    assert received() == [("officer", silent), ("township_staff", silent)]
    assert "周建国" in Notification.objects.first().title
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=datetime.date(2026, 11, 16))
    sweep_at("2026-11-29 10:00")
    assert len(received()) == 2
    sweep_at("2026-11-30 10:00")
    assert len(received()) == 4
    # officer_b wrote on the 20th: silent from 4 December, and their township's staff hear of it.
    sweep_at("2026-12-04 10:00")
    assert ("township_staff_b", silent) in received()


def test_an_officer_newly_stationed_is_not_silent_from_before(cast):
    DiaryEntry.objects.all().delete()
    cast.officer.assignments.update(start=datetime.date(2026, 11, 10))
    cast.officer_b.assignments.update(start=datetime.date(2026, 11, 10))
    sweep_at("2026-11-23 10:00")
    assert received() == []
    sweep_at("2026-11-24 10:00")
    assert len(received("diary.silent")) == 4  # two officers, each with their township's staff


def test_a_county_with_a_seven_day_reminder_hears_after_seven_days(cast):
    DiaryEntry.objects.all().delete()
    CitySettings.objects.create(city=cast.city, silence_reminder_days=7)
    DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=datetime.date(2026, 11, 1))
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=datetime.date(2026, 11, 20))
    sweep_at("2026-11-07 10:00")
    assert received() == []
    sweep_at("2026-11-08 10:00")
    assert received() == [("officer", "diary.silent"), ("township_staff", "diary.silent")]
    assert Notification.objects.first().title == "周建国 已连续 7 天未写民情日记"


@pytest.mark.parametrize("off", [None, 0])
def test_a_county_that_switched_the_silence_reminder_off_hears_nothing(cast, off):
    DiaryEntry.objects.all().delete()
    CitySettings.objects.create(city=cast.city, silence_reminder_days=off)
    sweep_at("2026-12-20 10:00")
    assert received() == [] and not SweepClaim.objects.exists()


def test_notices_get_an_outbox_row_per_channel_that_reaches_the_person(cast):
    cast.office_handler.email = "zhao@example.cn"
    cast.office_handler.save()
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.office)
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.department)
    sweep_at("2026-11-10 09:00")
    assert list(Delivery.objects.values_list("notification__recipient__username", "channel", "status")) == [
        ("office_handler", "email", "pending")
    ]


def test_closed_cases_and_stopped_clocks_are_left_alone(cast):
    VillageCaseFactory(cast=cast, status="closed", clock="handle", due="2026-11-09 10:00", unit=cast.office)
    sweep_at("2026-11-20 10:00")
    assert received() == [] and not Case.objects.filter(overdue=True).exists()


def test_the_query_count_does_not_grow_with_the_number_of_cases(cast):

    def scenario(n: int, day: str) -> int:
        for _ in range(n):
            VillageCaseFactory(cast=cast, status="in_progress", due=f"{day} 15:00", unit=cast.office)  # first
            VillageCaseFactory(cast=cast, status="in_progress", due=f"{day} 09:00", unit=cast.office)  # last
            VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-09-01 10:00")  # overdue
            VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-09-01 10:00")
            VillageCaseFactory(cast=cast, status="in_progress", due="2026-09-01 10:00", unit=cast.department)
            VillageCaseFactory(  # never signed for: supervised too
                cast=cast, status="pending_sign", due="2026-09-01 10:00", handle_due=at("2026-09-02 10:00"),
                unit=cast.department,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            sweep_at(f"{day} 08:00")
        DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=at(f"{day} 08:00").date())
        return len(queries)

    sweep_at("2026-08-01 10:00")  # warm the calendar cache
    DiaryEntry.objects.filter(officer=cast.officer).delete()  # silent in both scenarios
    small = scenario(1, "2026-11-10")
    # Answer the small run's 督办单, so the large run has no overdue order to announce either.
    SupervisionOrder.objects.update(replied_at=at("2026-11-11 10:00"))
    large = scenario(40, "2026-12-10")
    assert small == large
    assert set(SweepClaim.objects.values_list("rule", flat=True)) == {
        "remind_first", "remind_last", "overdue", "feedback_overdue", "supervise", "silent_officer"
    }  # fmt: skip
    assert Notification.objects.filter(kind=REMIND).count() == 82
    assert Case.objects.filter(status="pending_sign", supervised=True).count() == 41


def test_at_must_be_a_date_and_time():
    with pytest.raises(CommandError):
        call_command("sweep_deadlines", at="next tuesday")
