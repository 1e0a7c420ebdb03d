"""Error answers the OpenAPI document promises, found by Schemathesis and kept here as plain tests."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client, cast):
    client.force_login(cast.officer)
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_a_body_that_is_not_json_is_a_400_with_field_errors(api, cast):
    response = api.as_user(cast.township_staff).generic(
        "POST", "/api/v1/cases/", b"\x00", content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("JSON parse error")


def test_an_api_url_that_names_no_route_is_a_json_404(api, cast):
    response = api.as_user(cast.officer).get("/api/v1/cases/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_url_that_names_no_route_is_still_a_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_error_answers(schema):
    ops = schema["paths"]
    dispatch = ops["/api/v1/cases/{id}/dispatch/"]["post"]["responses"]
    assert set(dispatch) == {"200", "400", "401", "403", "404", "409"}
    assert dispatch["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Conflict"}
    # Any signed-in call may be a 403 while an administrator's forced password change is pending.
    assert set(ops["/api/v1/me/"]["get"]["responses"]) == {"200", "401", "403"}
    # The token endpoint takes no credentials, so no 401; a locked-out account is a 403.
    assert set(ops["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "403"}
    assert schema["components"]["schemas"]["Conflict"]["required"] == ["detail", "status"]


def test_raising_a_case_is_documented_with_the_case_it_answers(schema):
    created = schema["paths"]["/api/v1/cases/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CaseDetail"}


def test_a_top_level_category_has_a_null_parent_in_the_schema(schema, api, cast):
    assert schema["components"]["schemas"]["Category"]["properties"]["parent"]["nullable"] is True


def test_an_unknown_api_path_is_a_json_404_for_anyone(client):
    for method in ("get", "post"):
        response = getattr(client, method)("/api/v1/no-such-thing/")
        assert response.status_code == 404 and response["Content-Type"] == "application/json", method
        assert set(response.json()) == {"detail"}


def test_too_many_photos_is_a_json_413_not_an_html_page(api, cast):
    """Over Django's DATA_UPLOAD_MAX_NUMBER_FILES (100) the body is refused before the view reads it."""
    from core.testing.payloads import photo

    body = {"payload": "{}", "photos": [photo(f"p{n}.jpg") for n in range(101)]}
    response = api.as_user(cast.officer).post("/api/v1/diaries/", body, format="multipart")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json" and set(response.json()) == {"detail"}


def test_a_page_over_the_upload_limits_is_still_an_html_400(client, cast, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    client.force_login(cast.officer)
    response = client.post("/diaries/new/", {"a": 1, "b": 2, "c": 3})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(api, cast, monkeypatch):
    from accounts.api.views import MeView

    def boom(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MeView, "get", boom)
    client = api.as_user(cast.officer)
    client.raise_request_exception = False
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json" and set(response.json()) == {"detail"}


def test_a_django_permission_denied_under_the_api_is_json(rf):
    from django.core.exceptions import PermissionDenied

    from core.views import permission_denied

    response = permission_denied(rf.get("/api/v1/anything/"), PermissionDenied())
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert permission_denied(rf.get("/cases/"), PermissionDenied())["Content-Type"].startswith("text/html")
