"""Abuse limits (residents.limits): per phone and per address, under a burst; captcha near a limit; the honeypot."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.models import Case
from residents import limits
from residents.models import ResidentRequest

BODY = {"content": "路灯坏了", "phone": "13900001234", "consent": True, "confidential": False}


def _post(api, code, ip="203.0.113.9", **changes):
    return api.post("/api/v1/public/requests/", {"station_token": code.token, **BODY, **changes}, format="json",
                    REMOTE_ADDR=ip)  # fmt: skip


@pytest.mark.django_db
def test_the_sixth_request_of_a_phone_in_a_day_is_refused(raise_request):
    for i in range(5):
        raise_request(ip=f"10.0.0.{i}")
    with pytest.raises(limits.LimitReached) as caught:
        raise_request(ip="10.0.0.99")
    assert "今天" in caught.value.message or "today" in caught.value.message
    assert ResidentRequest.objects.count() == 5


@pytest.mark.django_db
def test_the_api_answers_201_then_429_near_the_limit(code):
    api = APIClient()
    answers = [_post(api, code).status_code for _ in range(4)]
    # Three taken; near the limit the page would ask for a captcha, which the API cannot: 429, use the form.
    assert answers == [201, 201, 201, 429]
    assert ResidentRequest.objects.count() == 3
    assert "网页" in _post(api, code).json()["detail"] or "form" in _post(api, code).json()["detail"]


@pytest.mark.django_db
def test_the_honeypot_writes_nothing(code, client):
    assert _post(APIClient(), code, website="http://spam.example").status_code == 400
    page = client.post(f"/r/{code.token}/", {**BODY, "consent": "on", "website": "x"})
    assert page.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_page_asks_for_a_captcha_near_the_limit(code, client, raise_request):
    form = {**BODY, "consent": "on"}
    assert "captcha" not in client.get(f"/r/{code.token}/").content.decode()
    for _ in range(3):
        raise_request(ip="127.0.0.1")
    page = client.post(f"/r/{code.token}/", form)
    assert page.status_code == 400 and 'name="captcha_1"' in page.content.decode()
    assert ResidentRequest.objects.count() == 3


@pytest.fixture
def burst_code(transactional_db):
    from core.testing import build_cast
    from core.testing.factories import StationCodeFactory
    from demo.categories import seed_categories

    cast = build_cast()
    seed_categories()
    return StationCodeFactory(station=cast.village)


def _burst(code, n, *, phone=None, ip=None) -> tuple[int, int]:
    from residents.intake import request_raise

    barrier = threading.Barrier(n)
    taken, refused, errors = [], [], []

    def worker(i):
        try:
            barrier.wait()
            request_raise(token=code.token, content="路灯坏了", consent=True, phone=phone or f"139000{i:05d}",
                          ip=ip or f"10.1.0.{i}")  # fmt: skip
            taken.append(i)
        except limits.LimitReached:
            refused.append(i)
        except Exception as exc:  # a deadlock or anything half-written would land here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return len(taken), len(refused)


@pytest.mark.postgres
def test_a_burst_from_one_phone_takes_exactly_the_limit(burst_code):
    assert _burst(burst_code, 9, phone="13900001234") == (5, 4)
    assert ResidentRequest.objects.count() == Case.objects.count() == 5


@pytest.mark.postgres
def test_a_burst_from_one_address_takes_exactly_the_limit(burst_code, settings):
    settings.RESIDENT_LIMIT_PER_ADDRESS_PER_HOUR = 4
    assert _burst(burst_code, 8, ip="198.51.100.77") == (4, 4)
    assert ResidentRequest.objects.count() == Case.objects.count() == 4


@pytest.mark.django_db
def test_wrong_look_ups_past_their_window_are_forgotten():
    import datetime

    from django.utils import timezone

    from core.testing.factories import TrackingMissFactory
    from residents.models import TrackingMiss
    from residents.tasks import prune_tracking_misses

    now = timezone.now()
    TrackingMissFactory(at=now - limits.TRACKING_WINDOW - datetime.timedelta(seconds=1))
    recent = TrackingMissFactory(at=now - datetime.timedelta(minutes=1))
    assert prune_tracking_misses() == 1
    assert list(TrackingMiss.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_a_public_submission_counts_its_limits_once(code):
    """Both limits and the near-limit refusal of the API come from one count each, taken under the locks:
    counted before the locks as well, a burst could pass the first check and meet the second."""
    api = APIClient()
    _post(api, code, phone="13900000001")  # caches warm: categories, roles
    with CaptureQueriesContext(connection) as ctx:
        assert _post(api, code, phone="13900000002", ip="203.0.113.10").status_code == 201
    counts = [
        q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] and "residents_residentrequest" in q["sql"]
    ]
    assert len(counts) == 2
    assert len(ctx.captured_queries) <= 26
