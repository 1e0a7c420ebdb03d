"""The city office's instruments in the demo: one 挂账, one 督办单 and one 批示, written through their services,
so a first look at `make run` shows each of them where its users meet it (lists, case pages, dashboard)."""

import datetime

from django.utils import timezone

from accounts.models import OrgUnit, User
from cases import services as case_services
from cases.choices import Status
from cases.models import Case
from core import workdays
from oversight import services as order_services


def stage_oversight(city: OrgUnit) -> None:
    desk = User.objects.filter(username="township_staff").first()
    office = User.objects.filter(username="city_office").first()
    leader = User.objects.filter(username="leader").first()
    if not (desk and office and leader):
        return
    # Cases the demo desk (and so the demo unit handler) can open: in progress in the desk's township.
    waiting = list(
        Case.objects.filter(
            city=city, township_id=desk.org_unit_id, status=Status.IN_PROGRESS, unit__isnull=False
        ).order_by("handle_due", "id")[:3]
    )
    if len(waiting) < 3:
        return
    late, planned, watched = waiting
    today = timezone.localdate()
    order_services.order_issue(
        by=office, case_id=late.pk, level="supervise", content="请于期限内办结并书面回复办理情况。",
        reply_by=timezone.localdate(workdays.add_working_days(timezone.now(), 3)),
    )  # fmt: skip
    case_services.case_hold_request(
        case_id=planned.pk, by=desk, reason="需纳入明年村道提升工程计划，待预算批复后实施。",
        review_on=today + datetime.timedelta(days=60),
    )  # fmt: skip
    case_services.case_hold_decide(case_id=planned.pk, by=office, approve=True, note="同意挂账，到期复核。")
    case_services.case_instruction(case_id=watched.pk, by=leader, content="群众反映集中，请加快协调解决并及时反馈。")
