"""Rows with explicit timestamps for the dashboard tests (the transition services are not used here)."""

import datetime
from zoneinfo import ZoneInfo

from cases.choices import Level, Status
from cases.models import Callback, Case, Dispatch, Feedback
from core import workdays
from diaries.models import DiaryEntry

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SH)


def case(cast, category, *, raised, township=None, level=Level.TOWNSHIP, status=Status.PENDING_DISPATCH, unit=None,
         closed_at=None, handle_due=None, title="道路坑洼", officer=None, project=None, **kw) -> Case:  # fmt: skip
    township = township or cast.township
    return Case.objects.create(
        title=title,
        category=category,
        level=level,
        status=status,
        city=cast.city,
        township=township,
        created_by=cast.township_staff,
        created_at=raised,
        unit=unit,
        closed_at=closed_at or (raised if status == Status.CLOSED else None),
        handle_due=handle_due,
        officer=officer,
        project=project,
        **kw,
    )


def dispatch(c: Case, unit, *, at_, sign_due, handle_due, signed=None, returned=None, replied=None, approved=None,
             level=Level.TOWNSHIP) -> Dispatch:  # fmt: skip
    # As case_review stores it when the desk approves the reply.
    hours = workdays.working_hours_between(at_, replied or approved) if approved else None
    return Dispatch.objects.create(
        case=c, level=level, unit=unit, dispatched_at=at_, sign_due=sign_due, handle_due=handle_due,
        signed_at=signed, returned_at=returned, replied_at=replied, approved_at=approved, handle_hours=hours,
    )  # fmt: skip


def feedback(c: Case, by, when) -> Feedback:
    return Feedback.objects.create(case=c, channel="phone", content="已告知", given_by=by, given_at=when)


def callback(c: Case, by, when, *, reached=True, solved=None, satisfaction="") -> Callback:
    return Callback.objects.create(case=c, reached=reached, solved=solved, satisfaction=satisfaction, by=by, at=when)


def diary(officer, station, day: datetime.date, *, household=0, enterprise=0) -> DiaryEntry:
    return DiaryEntry.objects.create(
        officer=officer, station=station, township=station.township, city=station.city, visit_date=day,
        visit_type="household", content="走访", household_visits=household, enterprise_visits=enterprise,
    )  # fmt: skip
