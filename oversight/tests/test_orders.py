"""督办单: numbering, the reply date, who signs and answers, and the sweep's orders."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from core.testing.factories import RaisedCaseFactory, VillageCaseFactory
from notifications.models import Notification
from notifications.tests.support import at, sweep_at
from oversight.models import SupervisionOrder

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def issue(cast, case, reply_by="2026-11-20"):
    body = {"case": case.pk, "level": "supervise", "content": "请限期整改", "reply_by": reply_by}
    return api(cast.city_office).post("/api/v1/supervision-orders/", body, format="json")


@time_machine.travel(at("2026-11-10 10:00"), tick=False)
def test_numbers_run_per_city_and_year_and_restart_each_year(cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    first, second = issue(cast, case).json(), issue(cast, case).json()
    assert (first["number"], second["number"]) == ("督〔2026〕1号", "督〔2026〕2号")
    with time_machine.travel(at("2027-01-05 10:00"), tick=False):
        assert issue(cast, case, "2027-01-20").json()["number"] == "督〔2027〕1号"


@time_machine.travel(at("2026-09-28 10:00"), tick=False)
def test_a_reply_date_on_a_holiday_moves_to_the_next_working_day_and_the_past_is_refused(cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    answer = issue(cast, case, "2026-10-03")  # National Day holiday
    assert answer.status_code == 201 and answer.json()["reply_by_moved"] is True
    assert datetime.date.fromisoformat(answer.json()["reply_by"]) > datetime.date(2026, 10, 3)
    assert issue(cast, case, "2026-09-01").status_code == 400
    case.refresh_from_db()
    assert case.supervised and case.events.filter(action="order_issued").count() == 1


@time_machine.travel(at("2026-11-10 10:00"), tick=False)
def test_the_unit_signs_before_answering_and_nobody_else_may(cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    pk = issue(cast, case).json()["id"]
    unit = api(cast.office_handler)
    assert unit.post(f"/api/v1/supervision-orders/{pk}/reply/", {"content": "已整改"}, format="json").status_code == 409
    assert api(cast.dept_handler).post(f"/api/v1/supervision-orders/{pk}/sign/").status_code == 404
    assert api(cast.township_staff).post(f"/api/v1/supervision-orders/{pk}/sign/").status_code == 403
    assert unit.post(f"/api/v1/supervision-orders/{pk}/sign/").status_code == 200
    assert unit.post(f"/api/v1/supervision-orders/{pk}/reply/", {"content": " "}, format="json").status_code == 400
    done = unit.post(f"/api/v1/supervision-orders/{pk}/reply/", {"content": "已整改"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "replied"
    assert Notification.objects.filter(recipient=cast.city_office, kind="order.replied").count() == 1


def test_the_sweep_issues_one_order_and_tells_the_leaders_once_when_it_is_late(cast):
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-10-20 10:00", unit=cast.office)
    sweep_at("2026-11-10 10:00")
    sweep_at("2026-11-10 11:00")
    order = SupervisionOrder.objects.get()
    assert (order.issued_by, order.level, order.number) == (None, "supervise", "督〔2026〕1号")
    sweep_at("2026-11-20 10:00")
    sweep_at("2026-11-21 10:00")
    order.refresh_from_db()
    assert order.overdue
    told = set(Notification.objects.filter(kind="order.overdue").values_list("recipient__username", flat=True))
    assert told == {"leader", "township_leader"}
    assert Notification.objects.filter(kind="order.overdue").count() == 2
