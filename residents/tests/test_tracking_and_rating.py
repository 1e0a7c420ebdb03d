"""Following and rating a request (residents.tracking, residents.rating) through the API and the page."""

import random
import string

import pytest
from rest_framework.test import APIClient

from cases.models import Callback
from cases.queues import queues_for
from cases.selectors import cases_visible_to
from cases.services import case_redo
from core.testing import lifecycle
from residents.models import TrackingMiss

pytestmark = pytest.mark.django_db

REVEALING = ("status_text", "feedback", "unit", "received_at")


@pytest.fixture
def client_api():
    return APIClient()


def _get(api, code, tail="1234", ip="198.51.100.1"):
    return api.get(f"/api/v1/public/requests/{code}/", {"phone_tail": tail}, REMOTE_ADDR=ip)


def _rate(api, code, tail="1234", **body):
    data = {"phone_tail": tail, "solved": True, "satisfaction": "satisfied", "comment": ""} | body
    return api.post(f"/api/v1/public/requests/{code}/rating/", data, format="json", REMOTE_ADDR="198.51.100.2")


def test_the_story_says_what_happened_without_internal_detail(cast, raise_request, client_api):
    made = raise_request()
    code = made.tracking_code
    answer = _get(client_api, code)
    assert answer.status_code == 200
    assert answer.json()["status"] == "received" and answer.json()["feedback"] == "" and answer.json()["rating"] is None
    lifecycle.walk(made.case, "fed_back", cast)
    made.case.refresh_from_db()
    body = _get(client_api, code.lower()).json()
    assert body["status"] == "answered" and body["unit"] == made.case.unit.label and body["feedback"]
    assert body["answered_at"] is not None
    text = str(body)
    for person in (cast.by_role()["unit_handler"], cast.township_staff, cast.officer):
        assert person.name not in text
    assert "13900001234" not in text and "李四" not in text


def test_probes_reveal_nothing_and_are_throttled(cast, raise_request, client_api):
    made = raise_request()
    code = made.tracking_code
    rng = random.Random(7)
    alphabet = string.ascii_uppercase + string.digits
    answers = []
    for i in range(200):
        probe = f"{made.case.code}-{''.join(rng.choice(alphabet) for _ in range(6))}" if i % 2 else \
            "".join(rng.choice(alphabet + "-") for _ in range(rng.randint(1, 40)))  # fmt: skip
        answers.append(_get(client_api, probe, ip=f"10.0.{i // 250}.{i % 250}"))
    for tail in ("0000", "4321", "123", "12345", "abcd", ""):
        answers.append(_get(client_api, code, tail=tail, ip="10.9.9.9"))
    assert {a.status_code for a in answers} <= {404, 429}
    assert not any(key in a.content.decode() for a in answers for key in REVEALING)
    assert len({a.content for a in answers if a.status_code == 404}) == 1  # the same answer whatever was wrong
    # One address: five misses, then it waits, even for the right tail.
    assert [_get(client_api, code, tail="0000", ip="10.1.1.1").status_code for _ in range(5)] == [404] * 5
    assert _get(client_api, code, ip="10.1.1.1").status_code == 429
    assert _get(client_api, code, ip="10.1.1.2").status_code == 200
    assert TrackingMiss.objects.exists()


def test_rating_closes_a_case_waiting_for_its_callback(cast, raise_request, client_api):
    made = raise_request()
    assert _rate(client_api, made.tracking_code).status_code == 409  # nothing to rate before feedback
    lifecycle.walk(made.case, "fed_back", cast)
    answer = _rate(client_api, made.tracking_code, comment="修好了")
    assert answer.status_code == 200 and answer.json()["status"] == "closed"
    callback = Callback.objects.get(case=made.case)
    assert (callback.channel, callback.by, callback.closes, callback.note) == ("self", None, True, "修好了")
    made.case.refresh_from_db()
    assert made.case.status == "closed"
    assert _rate(client_api, made.tracking_code).status_code == 409  # once only


def test_a_rating_after_the_desk_closed_is_recorded_beside(cast, raise_request, client_api):
    made = raise_request()
    lifecycle.walk(made.case, "closed", cast)
    answer = _rate(client_api, made.tracking_code, solved=False, satisfaction="unsatisfied", comment="还是坏的")
    assert answer.status_code == 200
    own = Callback.objects.get(case=made.case, channel="self")
    assert own.closes is False and own.solved is False
    # The desk's redo queue lists it; the desk decides, and may redo it.
    redo = next(q for q in queues_for(cast.township_staff) if q.key == "to_redo")
    assert list(cases_visible_to(cast.township_staff).filter(redo.q).values_list("pk", flat=True)) == [made.case.pk]
    case_redo(case_id=made.case.pk, by=cast.township_staff, reason="群众自评不满意")
    assert not cases_visible_to(cast.township_staff).filter(redo.q).exists()


def test_an_unsatisfied_rating_puts_the_case_on_the_redo_queue(cast, raise_request, client_api):
    made = raise_request()
    lifecycle.walk(made.case, "fed_back", cast)
    assert _rate(client_api, made.tracking_code, satisfaction="unsatisfied").status_code == 200
    redo = next(q for q in queues_for(cast.township_staff) if q.key == "to_redo")
    assert cases_visible_to(cast.township_staff).filter(redo.q).get() == made.case


def test_bad_rating_bodies_are_400_and_write_nothing(cast, raise_request, client_api):
    made = raise_request()
    lifecycle.walk(made.case, "fed_back", cast)
    for body in ({"satisfaction": "meh"}, {"solved": "perhaps"}, {"comment": "长" * 600}):
        assert _rate(client_api, made.tracking_code, **body).status_code == 400
    assert _rate(client_api, made.tracking_code, tail="9999").status_code == 404
    assert not Callback.objects.filter(case=made.case, channel="self").exists()


def test_the_tracking_page_shows_the_story_and_takes_the_rating(cast, raise_request, client):
    made = raise_request()
    code = made.tracking_code
    assert client.get("/r/track/").status_code == 200
    wrong = client.post("/r/track/", {"code": code, "phone_tail": "0000"})
    assert wrong.status_code == 404 and "李四" not in wrong.content.decode()
    lifecycle.walk(made.case, "fed_back", cast)
    page = client.post("/r/track/", {"code": code, "phone_tail": "1234"})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="satisfaction"' in html
    rated = client.post("/r/track/", {"code": code, "phone_tail": "1234", "solved": "0",
                                      "satisfaction": "unsatisfied", "comment": "没修好"})  # fmt: skip
    assert rated.status_code == 200
    assert Callback.objects.get(case=made.case, channel="self").satisfaction == "unsatisfied"
    again = client.post("/r/track/", {"code": code, "phone_tail": "1234", "solved": "1", "satisfaction": "satisfied"})
    assert again.status_code == 409 and 'name="satisfaction"' not in again.content.decode()


def test_a_residents_own_rating_counts_as_resident_rated_and_in_the_rates(cast, raise_request, client_api):
    """METRICS.md resident_rated: callbacks the residents gave themselves, also in 解决率 and 满意率."""
    from django.utils import timezone

    made = raise_request()
    lifecycle.walk(made.case, "fed_back", cast)
    assert _rate(client_api, made.tracking_code, solved=False, satisfaction="unsatisfied").status_code == 200
    today = timezone.localdate().isoformat()
    staff = APIClient()
    staff.force_authenticate(cast.city_office)
    figures = staff.get("/api/v1/stats/overview/", {"date_from": today, "date_to": today}).json()
    assert figures["resident_rated"] == 1
    assert figures["resolution_rate"] == 0 and figures["satisfaction_rate"] == 0  # the one callback: unsolved
