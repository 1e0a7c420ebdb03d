"""Error answers the OpenAPI document promises, found by Schemathesis and kept here as plain tests."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
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
    assert set(ops["/api/v1/me/"]["get"]["responses"]) == {"200", "401"}
    # The token endpoint takes no credentials, so no 401; a locked-out account is a 403.
    assert set(ops["/api/v1/auth/token/"]["post"]["responses"]) == {"200", "400", "403"}
    assert schema["components"]["schemas"]["Conflict"]["required"] == ["detail", "status"]


def test_raising_a_case_is_documented_with_the_case_it_answers(schema):
    created = schema["paths"]["/api/v1/cases/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CaseDetail"}


def test_a_top_level_category_has_a_null_parent_in_the_schema(schema, api, cast):
    assert schema["components"]["schemas"]["Category"]["properties"]["parent"]["nullable"] is True
