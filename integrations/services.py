"""Receiving an order: store it once, raise its case through cases.services, or queue it for a mapping."""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import OrgUnit, User, UserRole
from accounts.roles import Role
from audit.services import audit_log
from cases.choices import Action, Level, Urgency
from cases.models import Case
from cases.services import case_raise
from integrations import pushes, texts
from integrations.models import CategoryMapping, InboundOrder, Source
from notifications.services import notify

logger = logging.getLogger(__name__)

# What the order keeps of what was sent; the phone goes to the case only (PIPL).
KEPT = ("category_code", "title", "content", "reporter_name", "address", "township_code", "deadline", "reported_at")


def order_receive(*, source: Source, data: dict, now: datetime.datetime | None = None) -> tuple[InboundOrder, bool]:
    """The order for ``(source, data["external_id"])`` and whether it is new; a repeat changes nothing.

    ``data`` is checked (api.serializers). A known category raises the case now; an unknown one
    leaves the order ``awaiting_mapping`` and tells the city office.
    """
    now = now or timezone.now()
    found = InboundOrder.objects.filter(source=source, external_id=data["external_id"]).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            order = InboundOrder.objects.create(
                source=source,
                external_id=data["external_id"],
                payload={k: _plain(data.get(k)) for k in KEPT},
                reporter_phone=data.get("reporter_phone", ""),
                status=InboundOrder.Status.AWAITING_MAPPING,
                received_at=now,
            )
            if _mapped_category(order) is not None:
                order_create_case(order, now=now)
                order.refresh_from_db()
            else:
                _tell_city_office(order, now=now)
            audit_log(action="inbound_order", obj=order, username=f"platform:{source.code}",
                      detail={"external_id": order.external_id, "status": order.status})  # fmt: skip
    except IntegrityError:
        # The same order arrived twice at once: the other request stored it.
        return InboundOrder.objects.get(source=source, external_id=data["external_id"]), False
    return order, True


@transaction.atomic
def order_create_case(order: InboundOrder, *, now: datetime.datetime | None = None) -> Case:
    """Raise the order's case (its category must be mapped), as the platform's system user."""
    now = now or timezone.now()
    order = InboundOrder.objects.select_for_update().select_related("source").get(pk=order.pk)
    if order.case_id is not None:
        return order.case
    category = _mapped_category(order)
    if category is None:
        raise ValueError(f"order {order.pk} has no mapped category")
    p, source = order.payload, order.source
    township = OrgUnit.objects.filter(
        code=p.get("township_code") or "", city_id=source.city_id, kind__in=("township", "park"), is_active=True
    ).first()
    at_township = township is not None and source.default_level == Level.TOWNSHIP
    case = case_raise(
        by=system_user(source, township if at_township else None),
        now=now,
        title=p["title"],
        description=p["content"],
        category=category,
        urgency=Urgency.NORMAL,
        source=source.case_source,
        township=township,
        reporter_name=p.get("reporter_name", ""),
        reporter_phone=order.reporter_phone,
        reporter_address=p.get("address", ""),
    )
    order.case, order.status, order.reporter_phone = case, InboundOrder.Status.CREATED, ""
    order.save(update_fields=["case", "status", "reporter_phone"])
    # Events written while raising (an automatic dispatch) happened before the order knew its case.
    pushes.queue(case.events.exclude(action=Action.RAISE).order_by("created_at", "id"), case=case)
    return case


def system_user(source: Source, township: OrgUnit | None) -> User:
    """The inactive user a platform's cases are raised by: the city office desk of the platform's
    city, or the desk of the township the order names. No password, no other role, never signs in."""
    unit = township or source.city
    role = Role.TOWNSHIP_STAFF if township else Role.CITY_OFFICE
    user, created = User.objects.get_or_create(
        username=f"platform-{source.code}-{unit.code}"[:150],
        defaults={"name": source.name[:50], "org_unit": unit, "is_active": False, "password": "!"},
    )
    if created:
        UserRole.objects.create(user=user, role=role)
    return user


def _mapped_category(order: InboundOrder):
    mapping = (
        CategoryMapping.objects.select_related("category")
        .filter(source_id=order.source_id, external_code=order.payload.get("category_code", ""))
        .first()
    )
    return mapping.category if mapping is not None and mapping.category.is_active else None


def _tell_city_office(order: InboundOrder, *, now: datetime.datetime) -> None:
    desk = User.objects.filter(
        is_active=True, roles__role=Role.CITY_OFFICE, org_unit__city_id=order.source.city_id
    ).values_list("pk", flat=True)
    notify(
        recipients=list(desk), kind="integrations.awaiting_mapping", text=texts.AWAITING_MAPPING,
        params={"platform": order.source.name, "external_id": order.external_id,
                "code": order.payload.get("category_code", "")},
        url="/admin/integrations/awaitingorder/", dedupe_key=f"inbound:{order.pk}", now=now,
    )  # fmt: skip


def _plain(value):
    """JSON-ready: dates as ISO text."""
    return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else (value or "")
