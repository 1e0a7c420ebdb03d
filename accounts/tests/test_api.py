import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.testing import PASSWORD
from core.testing.factories import StationAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_for_right_credentials(api, cast):
    r = api.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json")
    assert r.status_code == 200 and len(r.json()["token"]) == 64 and r.json()["expiry"]


def test_token_refused_for_wrong_password(api, cast):
    r = api.post("/api/v1/auth/token/", {"username": "officer", "password": "nope"}, format="json")
    assert r.status_code == 400
    assert "non_field_errors" in r.json()


def test_token_needs_both_fields(api, cast):
    r = api.post("/api/v1/auth/token/", {"username": "officer"}, format="json")
    assert r.status_code == 400 and "password" in r.json()


def test_api_requires_credentials(api, cast):
    for path in ["/api/v1/me/", "/api/v1/org-units/", "/api/v1/stations/", "/api/v1/categories/"]:
        assert api.get(path).status_code == 401, path


def test_me(api, cast):
    body = api.as_user(cast.township_staff).get("/api/v1/me/").json()
    assert body["username"] == "township_staff"
    assert body["roles"] == ["township_staff"]
    assert body["org_unit"]["id"] == cast.township.pk
    assert body["township"]["id"] == cast.township.pk
    assert body["city"]["name"] == "清溪市"


def test_org_units_are_scoped_and_filterable(api, cast):
    client = api.as_user(cast.township_staff_b)
    body = client.get("/api/v1/org-units/", {"page_size": 200}).json()
    names = {u["code"] for u in body["results"]}
    assert "T2V1" in names and "T1V1" not in names
    villages = client.get("/api/v1/org-units/", {"kind": "village"}).json()["results"]
    assert [u["code"] for u in villages] == ["T2V1"]
    children = client.get("/api/v1/org-units/", {"parent": cast.township_b.pk}).json()
    assert {u["code"] for u in children["results"]} == {"T2V1", "T2O1"}


def test_units_carry_their_label_so_two_offices_of_one_name_are_told_apart(api, cast):
    label_a, label_b = "甘霖镇 · 综合治理办公室", "长乐镇 · 综合治理办公室"
    offices = api.as_user(cast.city_office).get("/api/v1/org-units/", {"kind": "township_office"}).json()["results"]
    assert sorted((u["name"], u["label"]) for u in offices) == [
        ("综合治理办公室", label_a),
        ("综合治理办公室", label_b),
    ]
    handler_b = UserFactory(username="office_handler_b", roles=[Role.UNIT_HANDLER], org_unit=cast.office_b)
    mine = api.as_user(cast.office_handler).get("/api/v1/me/").json()
    theirs = api.as_user(handler_b).get("/api/v1/me/").json()
    assert (mine["org_unit"]["name"], mine["org_unit"]["label"]) == ("综合治理办公室", label_a)
    assert (theirs["org_unit"]["name"], theirs["org_unit"]["label"]) == ("综合治理办公室", label_b)
    assert (mine["township"]["label"], theirs["township"]["label"], mine["city"]["label"]) == (
        "甘霖镇",
        "长乐镇",
        "清溪市",
    )
    station = api.as_user(cast.officer).get("/api/v1/stations/").json()["results"][0]
    assert (station["station"]["label"], station["township"]["label"]) == ("东溪村", "甘霖镇")


def test_org_unit_list_is_paginated_with_constant_queries(api, cast, django_assert_max_num_queries):
    client = api.as_user(cast.admin)
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/org-units/", {"page_size": 5}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 5 and body["next"]


def test_page_size_is_capped(api, cast):
    body = api.as_user(cast.admin).get("/api/v1/org-units/", {"page_size": 10_000}).json()
    assert len(body["results"]) == body["count"] <= 200


def test_bad_filter_value_is_a_400_not_a_500(api, cast):
    r = api.as_user(cast.admin).get("/api/v1/org-units/", {"kind": "castle", "parent": "x"})
    assert r.status_code == 400


def test_stations_lists_only_active_own_assignments(api, cast):
    StationAssignmentFactory(cast=cast, station=cast.community, start=datetime.date(2025, 1, 1),
                             end=datetime.date(2025, 6, 30))  # fmt: skip
    body = api.as_user(cast.officer).get("/api/v1/stations/").json()
    assert [(s["station"]["name"], s["kind"]) for s in body["results"]] == [("东溪村", "village")]
    assert set(body["results"][0]) >= {"id", "station", "kind", "start", "end"}
    assert api.as_user(cast.township_staff).get("/api/v1/stations/").json()["count"] == 0


def test_categories(api, cast):
    from demo.categories import seed_categories

    seed_categories()
    body = api.as_user(cast.officer).get("/api/v1/categories/", {"page_size": 200}).json()
    road = next(c for c in body["results"] if c["code"] == "infra.road")
    assert road == {
        "id": road["id"],
        "code": "infra.road",
        "name": "道路交通",
        "parent": "infra",
        "default_difficulty": "normal",
    }


def test_schema_and_offline_docs(client, cast):
    client.force_login(cast.officer)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/me/" in schema.content
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI comes from the vendored sidecar, never a CDN.
    assert "cdn" not in html.lower() and "swagger-ui" in html
