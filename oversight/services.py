"""督办单: the city office issues a numbered order on a case; the unit signs for it and answers in writing.

Each write locks what it changes, writes a timeline event on the case, the notices and an audit row in
one transaction. Numbers come from OrderCounter, whose row is locked while they are taken, so two issuers
(or the sweep) never get the same one.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.services import audit_log
from cases.actions.base import ActionForbidden
from cases.choices import Action
from cases.selectors import cases_visible_to
from cases.services.core import now_or, record, required_text
from cases.transitions import check
from core import workdays
from core.errors import StateConflict
from notifications.services import notify
from oversight import texts
from oversight.models import OrderCounter, OrderLevel, SupervisionOrder
from oversight.selectors import orders_visible_to


class OrderConflict(StateConflict):
    """The order (or its case) does not allow this now (HTTP 409)."""

    def __init__(self, message: str, status: str = ""):
        super().__init__(message)
        self.message, self.status = message, status

    def explain(self) -> str:
        return self.message


@dataclass(frozen=True)
class Issued:
    order: SupervisionOrder
    # The reply-by date fell on a day off and was moved to the next working day.
    reply_by_moved: bool


def take_numbers(*, city_id: int, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers of the city's year; answer the first. Call inside a transaction."""
    OrderCounter.objects.bulk_create([OrderCounter(city_id=city_id, year=year)], ignore_conflicts=True)
    counter = OrderCounter.objects.select_for_update().get(city_id=city_id, year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


def working_reply_by(day: datetime.date) -> tuple[datetime.date, bool]:
    """The day itself when it is a working day, else the next one (and True: it moved)."""
    if workdays.is_working_day(day):
        return day, False
    return workdays.next_working_day(day), True


def _event_data(order: SupervisionOrder, **extra) -> dict:
    return {"order": order.pk, "number": order.number, "level": order.level, **extra}


def _unit_handlers(unit_id: int):
    return User.objects.filter(is_active=True, org_unit_id=unit_id, roles__role=Role.UNIT_HANDLER)


def _order_url(order: SupervisionOrder) -> str:
    return reverse("oversight:detail", args=[order.pk])


def _params(order: SupervisionOrder) -> dict:
    case = order.case
    return {"number": order.number, "code": case.code or str(case.pk), "title": case.title,
            "date": order.reply_by.isoformat(), "unit": str(order.unit)}  # fmt: skip


@transaction.atomic
def order_issue(
    *, by, case_id: int, level: str, content: str, reply_by: datetime.date, now=None, request=None
) -> Issued:
    """Issue an order on an open case that has a unit (city office only); the case is flagged supervised."""
    if not may_issue(by):
        raise ActionForbidden(_("Only the city office issues supervision orders."))
    now = now_or(now)
    case = cases_visible_to(by).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        raise ValidationError({"case": _("Unknown case.")})
    check(Action.ORDER_ISSUED, case.status)
    if case.unit_id is None:
        raise OrderConflict(_("The case has no responsible unit yet: dispatch it first."), case.status)
    if level not in OrderLevel.values:
        raise ValidationError({"level": _("Choose a level.")})
    content = required_text(content, field="content", message=_("Say what is expected of the unit."))
    if reply_by is None or reply_by < timezone.localdate(now):
        raise ValidationError({"reply_by": _("The reply date cannot be in the past.")})
    reply_by, moved = working_reply_by(reply_by)
    year = timezone.localdate(now).year
    serial = take_numbers(city_id=case.city_id, year=year)
    order = SupervisionOrder.objects.create(
        city_id=case.city_id, year=year, serial=serial, case=case, unit_id=case.unit_id, level=level,
        content=content, reply_by=reply_by, issued_by=by, issued_at=now,
    )  # fmt: skip
    case.supervised = True
    case.save(update_fields=["supervised", "updated_at"])
    record(case, action=Action.ORDER_ISSUED, actor=by, from_status=case.status, now=now, note=content,
           unit=case.unit_id, data=_event_data(order, reply_by=reply_by.isoformat()))  # fmt: skip
    notify(recipients=_unit_handlers(order.unit_id), kind="order.issued", text=texts.ISSUED, params=_params(order),
           url=_order_url(order), case=case, dedupe_key=f"order:{order.pk}:issued", now=now)  # fmt: skip
    audit_log(action="order_issue", user=by, obj=order, request=request,
              detail={"case": case.pk, "number": order.number, "level": level, "reply_by_moved": moved})  # fmt: skip
    return Issued(order, moved)


def unit_may_act(user, order: SupervisionOrder) -> bool:
    """Signing for and answering an order are for the handlers of the unit it was sent to."""
    return Role.UNIT_HANDLER in user.role_names and user.org_unit_id == order.unit_id


def require_unit(user, order: SupervisionOrder) -> None:
    if not unit_may_act(user, order):
        raise ActionForbidden(_("Only a handler of the unit the order was sent to may do this."))


def may_issue(user) -> bool:
    return Role.CITY_OFFICE in user.role_names


def _lock_for_unit(*, by, order_id: int) -> SupervisionOrder:
    """The order, locked, through the caller's scope (404 outside it); only its unit's handlers act (403)."""
    order = orders_visible_to(by).select_for_update(of=("self",)).select_related("case", "unit").get(pk=order_id)
    require_unit(by, order)
    return order


@transaction.atomic
def order_sign(*, by, order_id: int, now=None, request=None) -> SupervisionOrder:
    now = now_or(now)
    order = _lock_for_unit(by=by, order_id=order_id)
    if order.signed_at:
        raise OrderConflict(_("The order has already been signed for."), order.state)
    order.signed_by, order.signed_at = by, now
    order.save(update_fields=["signed_by", "signed_at"])
    case = order.case
    record(case, action=Action.ORDER_SIGNED, actor=by, from_status=case.status, now=now, unit=order.unit_id,
           data=_event_data(order))  # fmt: skip
    audit_log(action="order_sign", user=by, obj=order, request=request, detail={"number": order.number})
    return order


@transaction.atomic
def order_reply(*, by, order_id: int, content: str, now=None, request=None) -> SupervisionOrder:
    now = now_or(now)
    order = _lock_for_unit(by=by, order_id=order_id)
    if not order.signed_at:
        raise OrderConflict(_("Sign for the order before answering it."), order.state)
    if order.replied_at:
        raise OrderConflict(_("The order has already been answered."), order.state)
    content = required_text(content, field="content", message=_("Write the answer."))
    order.reply, order.replied_by, order.replied_at = content, by, now
    order.save(update_fields=["reply", "replied_by", "replied_at"])
    case = order.case
    record(case, action=Action.ORDER_REPLIED, actor=by, from_status=case.status, now=now, note=content,
           unit=order.unit_id, data=_event_data(order))  # fmt: skip
    office = User.objects.filter(is_active=True, org_unit__city_id=order.city_id, roles__role=Role.CITY_OFFICE)
    notify(recipients=office, kind="order.replied", text=texts.REPLIED, params=_params(order), url=_order_url(order),
           case=case, dedupe_key=f"order:{order.pk}:replied", now=now)  # fmt: skip
    audit_log(action="order_reply", user=by, obj=order, request=request, detail={"number": order.number})
    return order


__all__ = [
    "Issued",
    "OrderConflict",
    "may_issue",
    "order_issue",
    "order_reply",
    "order_sign",
    "require_unit",
    "take_numbers",
    "unit_may_act",
    "working_reply_by",
]
