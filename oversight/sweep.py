"""The deadline sweep's 督办单 rules (cases.sweep.rules calls them; LIFECYCLE.md, OVERSIGHT.md).

Set-based like the rest of the sweep: the statements do not grow with the number of cases, only with
the number of cities that get an order in one run (one counter row each).
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from cases.choices import Action
from cases.models import Case, CaseEvent
from cases.services.core import push_written
from core import workdays
from notifications import texts as notice_texts
from notifications.services import Notice, notify_many
from oversight import texts
from oversight.models import OrderLevel, SupervisionOrder
from oversight.services import take_numbers

AUTOMATIC_REPLY_WORKING_DAYS = 3


def issue_automatic_orders(state, claimed_case_ids) -> int:
    """A 督办-level order by no one on each case the sweep has just supervised, due in 3 working days.

    ``claimed_case_ids`` is a query of this run's claims (one per case and handle deadline), so a case
    gets one order per deadline however often the sweep runs; the partial unique index says so too.
    """
    cases = list(
        Case.objects.filter(pk__in=claimed_case_ids, supervised=True, unit__isnull=False)
        .exclude(
            Exists(
                SupervisionOrder.objects.filter(case=OuterRef("pk"), issued_by=None, handle_due=OuterRef("handle_due"))
            )
        )
        .order_by("city_id", "pk")
        .values("pk", "city_id", "unit_id", "handle_due", "status", "level")
    )
    if not cases:
        return 0
    now = state.now
    year = timezone.localdate(now).year
    reply_by = timezone.localdate(workdays.add_working_days(now, AUTOMATIC_REPLY_WORKING_DAYS))
    content = notice_texts.render(texts.AUTOMATIC_CONTENT)
    by_city = defaultdict(list)
    for row in cases:
        by_city[row["city_id"]].append(row)
    orders = []
    # Counters are locked in city order, so two sweeps queue instead of deadlocking.
    for city_id in sorted(by_city):
        rows = by_city[city_id]
        first = take_numbers(city_id=city_id, year=year, count=len(rows))
        orders += [
            SupervisionOrder(city_id=city_id, year=year, serial=first + n, case_id=row["pk"], unit_id=row["unit_id"],
                             level=OrderLevel.SUPERVISE, content=content, reply_by=reply_by, issued_by=None,
                             issued_at=now, handle_due=row["handle_due"])
            for n, row in enumerate(rows)
        ]  # fmt: skip
    SupervisionOrder.objects.bulk_create(orders)
    case_rows = {row["pk"]: row for row in cases}
    events = CaseEvent.objects.bulk_create(
        CaseEvent(case_id=o.case_id, action=Action.ORDER_ISSUED, actor=None, from_status=case_rows[o.case_id]["status"],
                  to_status=case_rows[o.case_id]["status"], level=case_rows[o.case_id]["level"], unit_id=o.unit_id,
                  note=content, data={"order": o.pk, "number": o.number, "level": o.level, "automatic": True,
                                      "reply_by": reply_by.isoformat()}, created_at=now)
        for o in orders
    )  # fmt: skip
    push_written(CaseEvent.objects.filter(pk__in=[e.pk for e in events]))
    AuditEvent.objects.bulk_create(
        AuditEvent(action="order_issue", object_type=SupervisionOrder._meta.label_lower, object_id=str(o.pk),
                   outcome="ok", detail={"case": o.case_id, "number": o.number, "automatic": True})
        for o in orders
    )  # fmt: skip
    return len(orders)


def flag_overdue_orders(state) -> int:
    """Orders past their reply-by date without an answer: flagged overdue, and the leaders told once.

    The leaders of the order's city (those at the city itself) and of the case's township. The flag is set
    by the same statement that picks the orders, so each order is announced once.
    """
    today = timezone.localdate(state.now)
    late = SupervisionOrder.objects.select_for_update().filter(
        overdue=False, replied_at__isnull=True, reply_by__lt=today
    )
    ids = list(late.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    SupervisionOrder.objects.filter(pk__in=ids).update(overdue=True)
    orders = list(SupervisionOrder.objects.filter(pk__in=ids).select_related("case", "unit").order_by("pk"))
    leaders = User.objects.filter(
        is_active=True, roles__role=Role.LEADER, org_unit__city_id__in={o.city_id for o in orders}
    ).values_list("pk", "org_unit__city_id", "org_unit__township_id")
    city_leaders, township_leaders = defaultdict(set), defaultdict(set)
    for pk, city_id, township_id in leaders:
        if township_id:
            township_leaders[township_id].add(pk)
        else:
            city_leaders[city_id].add(pk)
    notify_many([
        Notice(
            recipients=city_leaders[o.city_id] | township_leaders.get(o.case.township_id, set()),
            kind="order.overdue", text=texts.OVERDUE,
            params={"number": o.number, "code": o.case.code or str(o.case_id), "title": o.case.title,
                    "date": o.reply_by.isoformat(), "unit": str(o.unit)},
            url=reverse("oversight:detail", args=[o.pk]), case=o.case, dedupe_key=f"order:{o.pk}:overdue", now=state.now,
        )
        for o in orders
    ])  # fmt: skip
    return len(ids)
