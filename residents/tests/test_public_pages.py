"""/r/<token>/: the station's page and form, and the confirmation with the tracking code."""

import pytest
from rest_framework.test import APIClient

from cases.models import Case
from core.testing.payloads import HTML, photo
from residents.models import ResidentRequest

pytestmark = pytest.mark.django_db

FORM = {"content": "村口路灯坏了", "phone": "13900001234", "name": "李四", "consent": "on"}


def test_the_page_shows_the_station_its_officer_and_the_privacy_notice(client, cast, code):
    cast.officer.phone = "13700001111"
    cast.officer.save()
    page = client.get(f"/r/{code.token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert cast.village.name in html and cast.officer.name in html and "13700001111" in html
    assert 'id="privacy-title"' in html and 'name="consent"' in html and 'name="confidential"' in html
    assert "<script" not in html and 'class="nav' not in html  # no scripts, no staff navigation
    assert "Content-Security-Policy" in page.headers


def test_a_resident_raises_a_request_and_gets_the_code(client, code):
    page = client.post(f"/r/{code.token}/", {**FORM, "photos": [photo()]})
    made = ResidentRequest.objects.get()
    assert page.status_code == 200 and made.tracking_code in page.content.decode()
    assert made.photos.count() == 1


def test_bad_input_shows_the_form_again_with_messages(client, code):
    empty = client.post(f"/r/{code.token}/", {**FORM, "content": "", "consent": ""})
    assert empty.status_code == 400 and empty.content.decode().count('role="alert"') >= 2
    not_a_photo = client.post(f"/r/{code.token}/", {**FORM, "photos": [photo("a.jpg", HTML)]})
    assert not_a_photo.status_code == 400 and "a.jpg" in not_a_photo.content.decode()
    long = client.post(f"/r/{code.token}/", {**FORM, "content": "长" * 10_000, "phone": "123"})
    assert long.status_code == 400
    assert not Case.objects.exists()


def test_an_unknown_or_rotated_code_is_a_plain_404(client, code):
    assert client.get("/r/not-a-code/").status_code == 404
    assert client.post("/r/not-a-code/", FORM).status_code == 404
    assert APIClient().get("/api/v1/public/stations/not-a-code/").status_code == 404


def test_the_station_api(code, cast):
    body = APIClient().get(f"/api/v1/public/stations/{code.token}/").json()
    assert body == {"station": cast.village.name, "township": cast.township.name,
                    "officer": {"name": cast.officer.name, "phone": cast.officer.phone}}  # fmt: skip
