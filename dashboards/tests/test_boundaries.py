"""Uploading township outlines: a good file replaces them; any bad one says why and writes nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.testing.factories.dashboards import square
from dashboards.geo import centre_of, contains
from dashboards.models import TownshipBoundary

pytestmark = pytest.mark.django_db
URL = "/dashboard/map/boundaries/"


def feature(named: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": named, "geometry": geometry}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def good(cast) -> dict:
    return collection(
        feature({"code": cast.township.code}, square(120.8, 29.6)),
        feature({"name": cast.township_b.name}, {"type": "MultiPolygon", "coordinates": [square(120.9, 29.6)["coordinates"]]}),
    )  # fmt: skip


def post(client, cast, content: bytes):
    client.force_login(cast.admin)
    upload = SimpleUploadedFile("towns.geojson", content, content_type="application/geo+json")
    return client.post(URL, {"city": cast.city.pk, "file": upload})


def test_a_good_file_replaces_the_outlines_and_is_audited(client, cast):
    answer = post(client, cast, json.dumps(good(cast)).encode())
    assert answer.status_code == 302
    saved = {b.township_id: b for b in TownshipBoundary.objects.all()}
    assert set(saved) == {cast.township.pk, cast.township_b.pk}
    a = saved[cast.township.pk]
    assert (a.centre_lon, a.centre_lat) == pytest.approx((120.8, 29.6))
    assert a.updated_by == cast.admin
    assert saved[cast.township_b.pk].geojson["type"] == "MultiPolygon"
    event = AuditEvent.objects.get(action="boundaries_upload")
    assert event.user == cast.admin and event.detail["townships"] == sorted([cast.township.code, cast.township_b.code])
    # Again with one township: it is replaced, the other kept.
    post(client, cast, json.dumps(collection(feature({"code": cast.township.code}, square(121.0, 29.7)))).encode())
    assert TownshipBoundary.objects.get(township=cast.township).centre_lon == pytest.approx(121.0)
    assert TownshipBoundary.objects.count() == 2


def _open_ring(cast):
    data = good(cast)
    data["features"][0]["geometry"]["coordinates"][0][-1] = [120.0, 29.0]
    return json.dumps(data).encode()


def _lat_out(cast):
    data = good(cast)
    data["features"][1]["geometry"] = square(120.9, 95.0)
    return json.dumps(data).encode()


def _unknown(cast):
    data = good(cast)
    data["features"].append(feature({"code": "NOWHERE"}, square(121.0, 29.6)))
    return json.dumps(data).encode()


BAD = {
    "not json": (lambda cast: b"{not json", "not JSON"),
    "wrong type": (lambda cast: json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    "point": (
        lambda cast: json.dumps(
            collection(feature({"code": cast.township.code}, {"type": "Point", "coordinates": [120.8, 29.6]}))
        ).encode(),
        "Polygon or a MultiPolygon",
    ),  # fmt: skip
    "open ring": (_open_ring, "not closed"),
    "latitude out of range": (_lat_out, "latitude 94.98 is out of range"),
    "unknown township": (_unknown, "NOWHERE"),
    "too big": (lambda cast: b" " * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_says_why_and_writes_nothing(client, cast, case, settings):
    settings.LANGUAGE_CODE = "en"
    make, message = BAD[case]
    answer = post(client, cast, make(cast))
    assert answer.status_code == 200
    errors = " ".join(answer.context["form"].errors["file"])
    assert message in errors, errors
    assert not TownshipBoundary.objects.exists()
    assert not AuditEvent.objects.filter(action="boundaries_upload").exists()


def test_the_message_names_the_feature(client, cast, settings):
    settings.LANGUAGE_CODE = "en"
    answer = post(client, cast, _open_ring(cast))
    assert f"Feature 1 ({cast.township.code})" in answer.context["form"].errors["file"][0]


def test_only_admins_upload(client, cast):
    client.force_login(cast.city_office)
    assert client.post(URL, {"city": cast.city.pk}).status_code == 403
    assert not TownshipBoundary.objects.exists()


def test_a_crescent_keeps_its_centre_inside():
    ring = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 3], [3, 3], [3, 1], [0, 1], [0, 0]]
    shape = {"type": "Polygon", "coordinates": [ring]}
    lon, lat = centre_of(shape)
    assert contains(shape, lon, lat)
