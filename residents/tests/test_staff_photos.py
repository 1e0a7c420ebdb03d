"""Staff see the photos a resident sent with their request on the case's page, and open them there."""

import pytest

from core.testing.payloads import photo
from residents.models import ResidentPhoto

pytestmark = pytest.mark.django_db


def test_the_desk_sees_and_opens_the_residents_photo(cast, raise_request, client):
    made = raise_request(photos=[photo()])
    stored = ResidentPhoto.objects.get(request=made)
    client.force_login(cast.township_staff)
    page = client.get(f"/cases/{made.case.pk}/").content.decode()
    assert f'src="/residents/photos/{stored.pk}/"' in page
    sent = client.get(f"/residents/photos/{stored.pk}/")
    assert sent.status_code == 200 and sent["Content-Type"] == "image/jpeg"
    assert sent["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(sent.streaming_content)[:2] == b"\xff\xd8"


def test_someone_who_cannot_see_the_case_gets_404(cast, raise_request, client):
    made = raise_request(photos=[photo()])
    stored = ResidentPhoto.objects.get(request=made)
    client.force_login(cast.office_handler)  # not dispatched to the unit: not its case
    assert client.get(f"/residents/photos/{stored.pk}/").status_code == 404
    assert client.get("/residents/photos/999999/").status_code == 404
