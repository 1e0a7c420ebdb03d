"""申诉: a responsible unit appeals a case's effect on its month's score; the city office decides.

A unit's handler files within 5 working days after the month ends (core.workdays: the window closes at
the end of the 5th working day of the next month). An upheld appeal takes the case out of that month's
scores in ``oversight.scores.left_out_of_scores``; the scores are computed on read, so every later read is the
recomputed score. Each step writes a timeline event on the case, the notices and an audit row together.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.scope import scope_of
from audit.services import audit_log
from cases.actions.base import ActionForbidden
from cases.choices import Action
from cases.models import Case, Dispatch
from cases.services.core import now_or, record, required_text
from core import workdays
from core.errors import StateConflict
from dashboards.facts import day_start
from dashboards.forms import month_bounds
from notifications.services import notify
from oversight import texts
from oversight.models import AppealDecision, ScoreAppeal

WINDOW_WORKING_DAYS = 5


class AppealConflict(StateConflict):
    """The appeal (or an earlier one) does not allow this now (HTTP 409)."""

    def __init__(self, message: str, status: str = ""):
        super().__init__(message)
        self.message, self.status = message, status

    def explain(self) -> str:
        return self.message


def window_last_day(month: datetime.date) -> datetime.date:
    """The 5th working day after ``month`` ends: appeals on that month are taken until the end of that day."""
    _first, last = month_bounds(month)
    day = last
    for _n in range(WINDOW_WORKING_DAYS):
        day = workdays.next_working_day(day)
    return day


def window_closes(month: datetime.date) -> datetime.datetime:
    return day_start(window_last_day(month) + datetime.timedelta(days=1))


def appeals_visible_to(user) -> QuerySet[ScoreAppeal]:
    """The city office sees its cities' appeals, a unit its own; admins all of them; nobody else any."""
    scope = scope_of(user)
    appeals = ScoreAppeal.objects.all()
    if scope.everything:
        return appeals
    q = Q(pk__in=[])
    if Role.CITY_OFFICE in user.role_names and scope.city_ids:
        q |= Q(case__city_id__in=scope.city_ids)
    if Role.UNIT_HANDLER in user.role_names and user.org_unit_id:
        q |= Q(unit_id=user.org_unit_id)
    return appeals.filter(q)


def for_list(appeals: QuerySet[ScoreAppeal]) -> QuerySet[ScoreAppeal]:
    return appeals.select_related("case", "unit", "filed_by", "decided_by")


def may_file(user) -> bool:
    return Role.UNIT_HANDLER in user.role_names and user.org_unit_id is not None


def may_decide(user) -> bool:
    return Role.CITY_OFFICE in user.role_names


def _params(appeal: ScoreAppeal, **extra) -> dict:
    case = appeal.case
    return {"code": case.code or str(case.pk), "title": case.title, "unit": str(appeal.unit),
            "month": f"{appeal.month:%Y-%m}", **extra}  # fmt: skip


def _url(appeal: ScoreAppeal) -> str:
    return reverse("oversight:appeal", args=[appeal.pk])


def appealable_month(user, case, now: datetime.datetime) -> datetime.date | None:
    """The month whose score the user's unit may still appeal this case from, or None: last month, while
    its window is open, when the case was dispatched to their unit in it (the case page offers the link)."""
    if not may_file(user):
        return None
    month = (timezone.localdate(now).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if now >= window_closes(month):
        return None
    return month if _dispatched_in(case.pk, user.org_unit_id, month).exists() else None


def _dispatched_in(case_id: int, unit_id: int, month: datetime.date) -> QuerySet[Dispatch]:
    """The case's dispatches to the unit in the month: what makes the case count in the unit's score."""
    first, last = month_bounds(month)
    return Dispatch.objects.filter(
        case_id=case_id, unit_id=unit_id, dispatched_at__gte=day_start(first),
        dispatched_at__lt=day_start(last + datetime.timedelta(days=1)),
    )  # fmt: skip


def _check_window(month: datetime.date, now: datetime.datetime) -> None:
    start_of_next = day_start(month_bounds(month)[1] + datetime.timedelta(days=1))
    if now < start_of_next:
        raise ValidationError({"month": _("The month has not ended yet: appeal once its scores are final.")})
    if now >= window_closes(month):
        raise ValidationError({"month": _(
            "The appeal window for %(month)s closed at the end of %(day)s (5 working days after the month)."
        ) % {"month": f"{month:%Y-%m}", "day": window_last_day(month).isoformat()}})  # fmt: skip


@transaction.atomic
def appeal_file(*, by, case_id: int, month: datetime.date, reason: str, now=None, request=None) -> ScoreAppeal:
    """A handler of a unit the case was dispatched to in ``month`` appeals its effect on that month's score."""
    if not may_file(by):
        raise ActionForbidden(_("Only a handler of a responsible unit files a score appeal."))
    now = now_or(now)
    month = month.replace(day=1)
    dispatched = _dispatched_in(case_id, by.org_unit_id, month).exists()
    case = Case.objects.select_for_update().filter(pk=case_id).first() if dispatched else None
    if case is None:
        raise ValidationError({"case": _("Not a case dispatched to your unit in that month.")})
    _check_window(month, now)
    reason = required_text(reason, field="reason", message=_("Say why the case should leave the score."))
    if (
        ScoreAppeal.objects.filter(case=case, unit_id=by.org_unit_id, month=month)
        .exclude(decision=AppealDecision.REJECTED)
        .exists()
    ):
        raise AppealConflict(_("This case already has an appeal on that month."))
    try:
        with transaction.atomic():
            appeal = ScoreAppeal.objects.create(case=case, unit_id=by.org_unit_id, month=month, reason=reason,
                                                filed_by=by, filed_at=now)  # fmt: skip
    except IntegrityError:  # filed at the same moment by a colleague
        raise AppealConflict(_("This case already has an appeal on that month.")) from None
    record(case, action=Action.APPEAL_FILED, actor=by, from_status=case.status, now=now, note=reason,
           unit=appeal.unit_id, data={"appeal": appeal.pk, "month": f"{month:%Y-%m}"})  # fmt: skip
    office = User.objects.filter(is_active=True, org_unit__city_id=case.city_id, roles__role=Role.CITY_OFFICE)
    notify(recipients=office, kind="appeal.filed", text=texts.APPEAL_FILED, params=_params(appeal, reason=reason),
           url=_url(appeal), case=case, dedupe_key=f"appeal:{appeal.pk}:filed", now=now)  # fmt: skip
    audit_log(action="appeal_file", user=by, obj=appeal, request=request,
              detail={"case": case.pk, "unit": appeal.unit_id, "month": f"{month:%Y-%m}"})  # fmt: skip
    return appeal


def require_decider(user) -> None:
    if not may_decide(user):
        raise ActionForbidden(_("Only the city office decides score appeals."))


@transaction.atomic
def appeal_decide(*, by, appeal_id: int, uphold: bool, note: str = "", now=None, request=None) -> ScoreAppeal:
    """The city office upholds (the case leaves the month's score) or rejects (a note says why)."""
    appeal = appeals_visible_to(by).select_for_update(of=("self",)).select_related("case", "unit").get(pk=appeal_id)
    require_decider(by)
    if appeal.decision != AppealDecision.PENDING:
        raise AppealConflict(_("The appeal has already been decided."), appeal.decision)
    note = (note or "").strip()
    if not uphold:
        note = required_text(note, field="note", message=_("Say why the appeal is rejected."))
    now = now_or(now)
    appeal.decision = AppealDecision.UPHELD if uphold else AppealDecision.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.note = by, now, note
    appeal.save(update_fields=["decision", "decided_by", "decided_at", "note"])
    case = appeal.case
    record(case, action=Action.APPEAL_DECIDED, actor=by, from_status=case.status, now=now, note=note,
           unit=appeal.unit_id,
           data={"appeal": appeal.pk, "month": f"{appeal.month:%Y-%m}", "decision": appeal.decision})  # fmt: skip
    handlers = User.objects.filter(is_active=True, org_unit_id=appeal.unit_id, roles__role=Role.UNIT_HANDLER)
    notify(recipients=handlers, kind="appeal.decided", text=texts.APPEAL_DECIDED,
           params=_params(appeal, decision=str(appeal.get_decision_display()), note=note), url=_url(appeal),
           case=case, dedupe_key=f"appeal:{appeal.pk}:decided", now=now)  # fmt: skip
    audit_log(action="appeal_decide", user=by, obj=appeal, request=request,
              detail={"case": case.pk, "unit": appeal.unit_id, "decision": appeal.decision})  # fmt: skip
    return appeal


def decided_count(city_ids, month: datetime.date) -> int:
    return (
        ScoreAppeal.objects.filter(case__city_id__in=city_ids, month=month)
        .exclude(decision=AppealDecision.PENDING)
        .count()
    )
