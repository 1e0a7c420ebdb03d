"""The fake platform sends signed orders the API takes (it is the README's way to try the integration)."""

import pytest

from integrations.fake import FakePlatform, sample_order, send_order
from integrations.models import InboundOrder

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_fake_platforms_orders_are_taken(live_server, cast, platform):
    url = f"{live_server.url}/api/v1/inbound/orders/"
    answers = [send_order(url, source="12345", secret=platform.secret, order=sample_order(n, township_code="T1"))
               for n in (1, 2)]  # fmt: skip
    assert [a.status_code for a in answers] == [201, 201]
    assert InboundOrder.objects.filter(status="created").count() == 2
    wrong = send_order(url, source="12345", secret="x" * 20, order=sample_order(3))
    assert wrong.status_code == 401


def test_the_fake_refuses_a_push_signed_with_another_secret():
    import requests

    fake = FakePlatform("right-secret").start()
    try:
        from integrations import signing

        r = requests.post(fake.url, data=b"{}", headers=signing.headers("wrong", 1, b"{}"), timeout=5)
        assert r.status_code == 401 and fake.refused and not fake.received
    finally:
        fake.stop()
