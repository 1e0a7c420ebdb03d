"""The diary POST reads its reference tables from the process's cache (core/tablecache.py); a change
saved in this process is seen by the very next entry, and the cache gives way after its TTL."""

import datetime
import uuid

import pytest

from accounts.models import StationAssignment
from cases.choices import Status
from cases.models import Case, Category
from core import tablecache
from core.testing.factories import DeadlinePolicyFactory, RoutingRuleFactory
from core.testing.payloads import payload
from diaries.tests.test_create_queries import QUERIES, URL, body_with, warmed

pytestmark = pytest.mark.django_db


def post(client, body):
    return client.post(URL, body, format="json", headers={"Idempotency-Key": str(uuid.uuid4())})


def test_a_category_made_inactive_is_refused_at_once(api, cast, categories):
    client = warmed(api, cast)
    road = Category.objects.get(code="infra.road")
    road.is_active = False
    road.save()
    r = post(client, payload(cast))
    assert r.status_code == 400
    assert r.json()["issues"][0]["category"]


def test_an_ended_assignment_is_refused_at_once(api, cast, categories, today):
    client = warmed(api, cast)
    assignment = StationAssignment.objects.get(officer=cast.officer, station=cast.village)
    assignment.end = today - datetime.timedelta(days=1)
    assignment.save()
    r = post(client, payload(cast))
    assert r.status_code == 400
    assert r.json()["station"]


def test_a_new_automatic_rule_dispatches_the_next_case(api, cast, categories):
    client = warmed(api, cast)
    road = Category.objects.get(code="infra.road")
    RoutingRuleFactory(category=road, unit=cast.office, township=cast.township, auto_dispatch=True)
    r = post(client, payload(cast))
    assert r.status_code == 201, r.json()
    first = Case.objects.get(pk=r.json()["raised_cases"][0]["id"])
    assert (first.status, first.unit_id) == (Status.PENDING_SIGN, cast.office.pk)


def test_a_new_deadline_policy_counts_for_the_next_case(api, cast, categories, clock):
    client = warmed(api, cast)
    before = post(client, payload(cast)).json()["raised_cases"][0]["id"]
    DeadlinePolicyFactory(level="township", urgency="normal", clock="dispatch", amount=3, unit="working_days")
    after = post(client, payload(cast)).json()["raised_cases"][0]["id"]
    due_before, due_after = (Case.objects.get(pk=pk).due_at for pk in (before, after))
    assert due_after > due_before


def test_an_entry_like_an_earlier_one_adds_only_the_desk_notice(api, cast, categories, django_assert_num_queries):
    client = warmed(api, cast)
    body = body_with(cast, 2)
    assert post(client, body).status_code == 201
    assert post(client, body).status_code == 201  # a copy of the first: the desk's list is cached now
    with django_assert_num_queries(QUERIES + 2):  # the notice and its deliveries
        assert post(client, body).status_code == 201


def test_the_cache_gives_way_after_its_ttl(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(tablecache.time, "monotonic", lambda: now[0])
    loads = []
    assert tablecache.cached("t", lambda: loads.append(1) or len(loads), 7) == 1
    assert tablecache.cached("t", lambda: loads.append(1) or len(loads), 7) == 1
    now[0] += tablecache.TTL + 1
    assert tablecache.cached("t", lambda: loads.append(1) or len(loads), 7) == 2
    tablecache.forget("t")
    assert tablecache.cached("t", lambda: loads.append(1) or len(loads), 7) == 3
