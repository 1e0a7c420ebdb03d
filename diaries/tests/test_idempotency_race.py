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
