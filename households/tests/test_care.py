"""The care schedule in the sweep: key records due in three days, and overdue ones, told once per due date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing.factories.households import HouseholdFactory
from households import care
from households.models import Household
from households.services import visits_recorded
from notifications.models import Notification
from notifications.tests.support import at, received, sweep_at

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SOON, OVERDUE = "household.care_soon", "household.care_overdue"


def key_record(station, due: str, **fields) -> Household:
    record = HouseholdFactory(station=station, **fields)
    Household.objects.filter(pk=record.pk).update(interval_days=30, next_visit_due=datetime.date.fromisoformat(due))
    return record


def test_the_officer_is_reminded_three_days_before_once(cast):
    widow = key_record(cast.village, "2026-11-12", name="王阿婆")
    key_record(cast.village, "2026-11-20")  # later
    HouseholdFactory(station=cast.village)  # not a key record
    sweep_at("2026-11-08 10:00")
    assert received(SOON) == []
    for _ in range(3):
        sweep_at("2026-11-09 10:00")
    assert received(SOON) == [("officer", SOON)]
    notice = Notification.objects.get(kind=SOON)
    assert "王阿婆" in notice.title and "2026-11-12" in notice.body and notice.url == f"/households/{widow.pk}/"


def test_an_overdue_record_is_told_to_the_officer_and_the_township_staff_once_per_due_date(cast):
    record = key_record(cast.village, "2026-11-12")
    key_record(cast.village_b, "2026-12-30")
    sweep_at("2026-11-13 10:00")
    sweep_at("2026-11-14 10:00")
    assert received(OVERDUE) == [("officer", OVERDUE), ("township_staff", OVERDUE)]
    # A visit moves the due date: a new subject, told again when it too has passed.
    visits_recorded([record.pk], on=datetime.date(2026, 11, 14))
    sweep_at("2026-12-15 10:00")
    assert received(OVERDUE) == [("officer", OVERDUE)] * 2 + [("township_staff", OVERDUE)] * 2
    assert received(SOON) == []  # never swept in the three days before either date


def test_inactive_records_are_not_followed(cast):
    key_record(cast.village, "2026-11-12", status="moved")
    sweep_at("2026-11-13 10:00")
    assert received(OVERDUE) == [] and received(SOON) == []


@pytest.mark.parametrize("rule", [care.remind_due_soon, care.tell_overdue])
def test_the_query_count_does_not_grow_with_the_records(cast, rule):
    def count(n: int, moment: str) -> int:
        for _ in range(n):
            key_record(cast.village, "2026-11-12")
        with CaptureQueriesContext(connection) as queries:
            rule(at(moment))
        return len(queries.captured_queries)

    assert (
        count(3, "2026-11-10 10:00") == count(30, "2026-11-10 11:00") == (1 if connection.vendor == "postgresql" else 3)
    )
    assert count(3, "2026-11-13 10:00") == count(30, "2026-11-13 11:00")


def test_a_record_is_marked_told_for_its_due_date_and_looked_at_again_only_when_it_moves(cast):
    record = key_record(cast.village, "2026-11-12")
    sweep_at("2026-11-13 10:00")
    record.refresh_from_db()
    assert record.care_overdue_told_for == datetime.date(2026, 11, 12)
    assert record.care_soon_told_for is None  # never swept in its three days before
    visits_recorded([record.pk], on=datetime.date(2026, 11, 13))
    record.refresh_from_db()
    assert record.next_visit_due != record.care_overdue_told_for  # a new subject for both rules


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the partial indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("rule", "moment"), [(care.remind_due_soon, "2026-11-10 10:00"), (care.tell_overdue, "2026-11-13 10:00")]
)
def test_a_run_reads_the_records_not_yet_told_through_the_partial_index(cast, rule, moment):
    name = "soon" if rule is care.remind_due_soon else "overdue"
    # A station's records told already and one not yet, with the statistics of that: the plan must not
    # depend on what earlier tests left in the table or whether autovacuum has analysed it (with a few
    # rows and no statistics the planner sometimes walked the station's records instead).
    told = HouseholdFactory.create_batch(300, station=cast.village)
    due = datetime.date(2026, 11, 12)
    Household.objects.filter(pk__in=[h.pk for h in told]).update(
        interval_days=30, next_visit_due=due, **{f"care_{name}_told_for": due}
    )
    key_record(cast.village, "2026-11-12")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE households_household")
    with CaptureQueriesContext(connection) as ctx:
        rule(at(moment))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few hundred rows: make the planner show its choice
        cursor.execute("EXPLAIN " + ctx.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"household_care_{name}_todo" in plan, plan
