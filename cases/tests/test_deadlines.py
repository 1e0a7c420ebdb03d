"""Case deadlines on the working-day calendar across National Day 2026 (1–7 Oct; Saturday 10 Oct is a working day)."""

import datetime

import pytest
from django.utils import translation

from cases import services
from cases.models import Case, Dispatch
from cases.timing import remaining_text
from core import workdays
from core.testing.factories import DeadlinePolicyFactory, RaisedCaseFactory, WorkdayOverrideFactory
from core.testing.moments import SH

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def at(m, d, hh=10, mm=0):
    return datetime.datetime(2026, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def before_the_holiday(cast):
    return RaisedCaseFactory(cast=cast, now=at(9, 30, 9))


def dispatch(cast, case, now, **kw):
    return services.case_dispatch(case_id=case.pk, by=cast.township_staff, unit=cast.office, now=now, **kw)


def test_dispatch_clocks_skip_the_holiday_and_count_the_make_up_saturday(cast, before_the_holiday):
    case = before_the_holiday
    assert case.dispatch_due == at(10, 8, 9)  # 1 working day after Wednesday 30 Sep, 09:00
    case = dispatch(cast, case, at(9, 30))
    assert case.sign_due == at(10, 8)
    # 5 working days: 8, 9, 10 (make-up Saturday), 12, 13 October.
    assert case.handle_due == at(10, 13)
    dispatch_row = Dispatch.objects.get(case=case)
    assert (dispatch_row.sign_due, dispatch_row.handle_due) == (at(10, 8), at(10, 13))


def test_city_handle_clock_is_ten_working_days(cast, before_the_holiday):
    case = services.case_escalate(case_id=before_the_holiday.pk, by=cast.township_staff, reason="市级", now=at(9, 30))
    case = services.case_dispatch(case_id=case.pk, by=cast.city_office, unit=cast.department, now=at(9, 30))
    assert case.handle_due == at(10, 20)


def test_urgent_sign_for_counts_working_hours_over_the_holiday(cast):
    case = RaisedCaseFactory(cast=cast, urgency="urgent", now=at(9, 30, 16, 30))
    case = dispatch(cast, case, at(9, 30, 16, 30))
    # One working hour left on 30 Sep, the second on the first working morning after the holiday.
    assert case.sign_due == at(10, 8, 9, 30)


def test_approved_extension_moves_the_handle_deadline_by_working_days(cast, before_the_holiday):
    case = dispatch(cast, before_the_holiday, at(9, 30))
    services.case_sign(case_id=case.pk, by=cast.office_handler, now=at(10, 8))
    services.case_extension_request(case_id=case.pk, by=cast.office_handler, days=3, reason="材料", now=at(10, 9))
    case = services.case_extension_decide(case_id=case.pk, by=cast.township_staff, approve=True, now=at(10, 9))
    assert case.handle_due == case.due_at == at(10, 16)


def test_feedback_clock_lands_on_the_make_up_saturday(cast, before_the_holiday):
    case = dispatch(cast, before_the_holiday, at(9, 30))
    services.case_sign(case_id=case.pk, by=cast.office_handler, now=at(10, 8))
    services.case_reply(case_id=case.pk, by=cast.office_handler, result="已修", outcome="solved", now=at(10, 8, 15))
    case = services.case_review(case_id=case.pk, by=cast.township_staff, approve=True, now=at(10, 9, 15))
    assert case.feedback_due == at(10, 12, 15)  # 2 working days: Saturday 10, Monday 12
    case = services.case_feedback(case_id=case.pk, by=cast.officer, channel="phone", content="已告知",
                                  now=at(10, 9, 16))  # fmt: skip
    assert case.callback_due == at(10, 13, 16)  # 3 working days: 10, 12, 13 October


def test_admin_policy_and_calendar_overrides_apply(cast, before_the_holiday):
    DeadlinePolicyFactory(level="township", urgency="normal", clock="handle", amount=3, unit="working_days")
    WorkdayOverrideFactory(date=datetime.date(2026, 10, 9), is_working_day=False, name="示例调整")
    workdays.overrides_changed()
    try:
        case = dispatch(cast, before_the_holiday, at(9, 30))
        # 3 working days with 9 Oct taken out: 8, 10, 12 October.
        assert case.handle_due == at(10, 12)
    finally:
        workdays.overrides_changed()


@pytest.mark.parametrize(
    ("due", "now", "text"),
    [
        (at(11, 25, 10), at(11, 23, 10), "剩余 2 个工作日"),
        (at(11, 23, 14), at(11, 23, 10), "剩余 2 个工作小时"),
        (at(11, 23, 10, 20), at(11, 23, 10), "剩余 20 分钟"),
        (at(11, 23, 7), at(11, 23, 10), "已超期 3 小时"),
        (at(11, 20, 9), at(11, 23, 10), "已超期 3 天"),
    ],
)
def test_remaining_time_reads_plainly(due, now, text):
    case = Case(status="in_progress", due_at=due)
    with translation.override("zh-hans"):
        assert remaining_text(case, now) == text
