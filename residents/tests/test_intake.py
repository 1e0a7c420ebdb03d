"""Raising a request through a 民情码 (residents.intake): the case it makes, and bad input that makes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from cases.models import Case
from core.testing.factories import StationCodeFactory
from core.testing.payloads import EXE, HTML, JPEG, photo
from notifications.models import Notification
from residents.models import ResidentPhoto, ResidentRequest

pytestmark = pytest.mark.django_db


def test_a_request_raises_a_township_case_for_the_station_officer(
    cast, raise_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = raise_request(photos=[photo()], confidential=True, category="infra")
    case = made.case
    assert (case.source, case.level, case.status) == ("resident", "township", "pending_dispatch")
    assert (case.officer, case.created_by, case.township, case.station) == (
        cast.officer,
        cast.officer,
        cast.township,
        cast.village,
    )
    assert (case.reporter_name, case.reporter_phone, case.confidential) == ("李四", "13900001234", True)
    assert case.category.code == "infra" and case.description.startswith("村口路灯")
    assert case.events.get().actor is None  # the resident raised it
    assert made.phone_tail == "1234" and len(made.secret) == 6
    assert made.tracking_code == f"{case.code}-{made.secret}"
    assert made.address_hash and "203.0.113.7" not in made.address_hash
    assert ResidentPhoto.objects.filter(request=made).count() == 1
    told = set(Notification.objects.filter(case=case).values_list("recipient__username", flat=True))
    assert told == {cast.officer.username, cast.township_staff.username}


def test_without_a_category_the_desk_gets_the_catch_all(raise_request):
    assert raise_request().case.category.code == "other"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"content": "长" * 10_000}, "content"),
        ({"content": "a\x00b"}, "content"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "0575-83012345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"consent": False}, "consent"),
        ({"category": "nonsense"}, "category"),
        ({"name": "名" * 60}, "name"),
        ({"photos": [photo("x.jpg", HTML, "image/jpeg")]}, "photos"),
        ({"photos": [photo("x.exe", EXE, "application/octet-stream")]}, "photos"),
        ({"photos": [photo(f"{i}.jpg", JPEG) for i in range(4)]}, "photos"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(raise_request, changes, field):
    with pytest.raises(ValidationError) as caught:
        raise_request(**changes)
    assert field in caught.value.message_dict and all(caught.value.message_dict[field])
    assert not Case.objects.exists() and not ResidentRequest.objects.exists() and not ResidentPhoto.objects.exists()


def test_a_rotated_or_unknown_code_is_not_found(cast, raise_request, code):
    for token in ("", "nope", code.token + "x"):
        with pytest.raises(Http404):
            raise_request(token=token)
    old = code.token
    code.token = "rotated-" + old[:10]
    code.save()
    with pytest.raises(Http404):
        raise_request(token=old)
    assert not Case.objects.exists()


def test_a_station_without_an_officer_refuses_politely(cast, raise_request):
    lonely = StationCodeFactory(station=cast.village_b)
    cast.officer_b.assignments.update(end=cast.officer_b.assignments.get().start)
    with pytest.raises(ValidationError):
        raise_request(token=lonely.token)
    assert not Case.objects.exists()


def test_staff_cannot_raise_a_case_posing_as_a_resident(api, cast, code):
    body = {"title": "路灯不亮", "category": "infra.road", "source": "resident", "township": cast.township.pk}
    for user in (cast.officer, cast.township_staff):
        assert api.as_user(user).post("/api/v1/cases/", body, format="json").status_code in (400, 403)
    assert not Case.objects.filter(source="resident").exists()
