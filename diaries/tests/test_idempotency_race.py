"""Five copies of one POST at the same moment, one Idempotency-Key: exactly one entry (real PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Case
from core.testing.factories import TokenFactory
from core.testing.payloads import payload
from diaries.models import DiaryEntry, Visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_parallel_requests_with_one_key_make_one_entry_and_one_set_of_cases(cast, categories):
    token = TokenFactory(user=cast.officer).key
    body = payload(cast)
    start = threading.Barrier(5)
    answers: list = [None] * 5

    def send(i: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()
            r = client.post("/api/v1/diaries/", body, format="json", headers={"Idempotency-Key": "race-key-1"})
            answers[i] = (r.status_code, r.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert DiaryEntry.objects.count() == 1
    assert Case.objects.count() == 2 and Visit.objects.count() == 2
    assert {a[0] for a in answers} == {201}
    assert all(a[1] == answers[0][1] for a in answers)
    assert answers[0][1]["cases"] == list(Case.objects.order_by("id").values_list("id", flat=True))


def test_five_parallel_requests_bringing_a_new_household_make_one_record(cast, categories):
    from core.testing.factories.households import HouseholdTagFactory
    from households.models import Household

    HouseholdTagFactory(name="独居老人", interval_days=30)  # a transactional test's flush took the seeded tags
    token = TokenFactory(user=cast.officer).key
    new = {"kind": "household", "name": "李大爷", "address": "东溪村4组1号", "tags": ["独居老人"]}
    body = payload(cast, visits=[{"kind": "household", "new_household": new}])
    start = threading.Barrier(5)
    answers: list = [None] * 5

    def send(i: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()
            r = client.post("/api/v1/diaries/", body, format="json", headers={"Idempotency-Key": "race-key-2"})
            answers[i] = (r.status_code, r.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert {a[0] for a in answers} == {201}, answers[0]
    assert Household.objects.count() == 1 and DiaryEntry.objects.count() == 1
    assert Visit.objects.get().household_id == Household.objects.get().pk
