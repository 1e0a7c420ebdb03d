"""民情码: one per station, rotated by an admin or the township, its page, its QR code and its PDFs."""

import pytest

from audit.models import AuditEvent
from residents import codes
from residents.models import StationCode

pytestmark = [pytest.mark.django_db]


def test_code_for_makes_one_code_per_station(cast):
    first = codes.code_for(cast.village)
    assert codes.code_for(cast.village) == first
    assert StationCode.objects.filter(station=cast.village).count() == 1
    assert len(first.token) >= 20


def test_rotating_gives_a_new_token_and_the_old_one_stops_working(cast, client, settings):
    settings.SITE_URL = ""
    old = codes.code_for(cast.village).token
    client.force_login(cast.township_staff)
    r = client.post(f"/residents/stations/{cast.village.pk}/rotate/")
    assert r.status_code == 302
    code = StationCode.objects.get(station=cast.village)
    assert code.token != old and code.rotated_at is not None
    assert codes.station_by_token(old) is None
    assert codes.station_by_token(code.token).station == cast.village
    audit = AuditEvent.objects.get(action="station_code_rotate")
    assert audit.user == cast.township_staff and old not in str(audit.detail) and code.token not in str(audit.detail)


def test_only_the_township_staff_and_admins_rotate(cast):
    from django.core.exceptions import PermissionDenied

    for user in (cast.officer, cast.city_office, cast.township_staff_b):
        with pytest.raises(PermissionDenied):
            codes.code_rotate(user, cast.village)
    codes.code_rotate(cast.admin, cast.village)


def test_the_page_shows_the_qr_code_of_the_absolute_url(cast, client, settings):
    settings.SITE_URL = "https://minqing.example.gov.cn"
    client.force_login(cast.officer)
    page = client.get(f"/residents/stations/{cast.village.pk}/").content.decode()
    code = StationCode.objects.get(station=cast.village)
    url = f"https://minqing.example.gov.cn/r/{code.token}/"
    assert url in page
    assert codes.qr_svg(url) in page
    assert "form-station-rotate" not in page  # the officer may not change it


def test_without_a_site_url_the_request_host_makes_it_absolute(cast, client, settings):
    settings.SITE_URL = ""
    client.force_login(cast.township_staff)
    page = client.get(f"/residents/stations/{cast.village.pk}/").content.decode()
    code = StationCode.objects.get(station=cast.village)
    assert f"http://testserver/r/{code.token}/" in page and "form-station-rotate" in page


@pytest.mark.parametrize("name", ["card.pdf", "poster.pdf"])
def test_the_pdfs_render(cast, client, name):
    client.force_login(cast.township_staff)
    r = client.get(f"/residents/stations/{cast.village.pk}/{name}")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 1000


def test_another_township_gets_404(cast, client):
    client.force_login(cast.township_staff_b)
    assert client.get(f"/residents/stations/{cast.village.pk}/card.pdf").status_code == 404
    assert client.post(f"/residents/stations/{cast.village.pk}/rotate/").status_code == 404
