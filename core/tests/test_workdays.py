"""Working-day arithmetic across a real holiday (National Day 2026) and a make-up Saturday."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from core import workdays

SH = ZoneInfo("Asia/Shanghai")
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SH)


def test_calendar_knows_holidays_and_make_up_days():
    assert not workdays.is_working_day(datetime.date(2026, 10, 1))  # National Day
    assert workdays.is_working_day(datetime.date(2026, 10, 10))  # make-up Saturday
    assert not workdays.is_working_day(datetime.date(2026, 10, 11))  # an ordinary Sunday


def test_working_days_skip_the_national_day_holiday():
    # Dispatched Wednesday 30 Sep 10:00: 1 working day later is Thursday 8 Oct,
    # after the 1–7 October holiday.
    assert workdays.add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 8)
    # Friday 9 Oct + 1 lands on the make-up Saturday 10 Oct.
    assert workdays.add_working_days(at(2026, 10, 9), 1) == at(2026, 10, 10)
    # … and + 2 skips Sunday to Monday 12 Oct.
    assert workdays.add_working_days(at(2026, 10, 9), 2) == at(2026, 10, 12)


def test_clock_started_out_of_hours_starts_at_next_opening():
    # Raised Saturday night before a normal week: counts from Monday 08:30.
    assert workdays.add_working_days(at(2026, 11, 21, 22), 1) == at(2026, 11, 24, 8, 30)


def test_working_hours_skip_lunch_and_nights():
    # 11:00 + 2 working hours: one before lunch, one after 13:30 → 14:30.
    assert workdays.add_working_hours(at(2026, 11, 23, 11), 2) == at(2026, 11, 23, 14, 30)
    # 17:00 + 4 working hours: 0.5 today, 3.5 tomorrow morning → 12:00 next day.
    assert workdays.add_working_hours(at(2026, 11, 23, 17), 4) == at(2026, 11, 24, 12, 0)


def test_working_hours_between():
    assert workdays.working_hours_between(at(2026, 11, 23, 8, 30), at(2026, 11, 24, 8, 30)) == 7.5
    assert workdays.working_hours_between(at(2026, 9, 30, 17, 30), at(2026, 10, 8, 8, 30)) == 0


def test_admin_override_wins_and_covers_unknown_years(calendar_override):
    assert workdays.is_working_day(datetime.date(2027, 1, 1))  # library does not know 2027: Mon–Fri fallback
    calendar_override(datetime.date(2027, 1, 1), name="元旦")
    assert not workdays.is_working_day(datetime.date(2027, 1, 1))
