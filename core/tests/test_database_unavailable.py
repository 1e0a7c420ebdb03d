"""A lost database connection is a 503 "try again", on pages and in the API alike, never a 500."""

from django.db import OperationalError
from django.test import RequestFactory
from rest_framework.exceptions import APIException

from core.api.errors import exception_handler
from core.middleware import DatabaseUnavailableMiddleware


def test_page_answers_503_with_retry_after_in_chinese():
    request = RequestFactory().get("/cases/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    request.LANGUAGE_CODE = "zh-hans"
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    response = middleware.process_exception(request, OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "服务暂时不可用" in response.content.decode()
    assert "server closed" not in response.content.decode()


def test_other_errors_are_left_alone():
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("x")) is None


def test_api_answers_503_with_retry_after():
    response = exception_handler(OperationalError("terminating connection due to administrator command"), {})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "administrator" not in str(response.data["detail"])
    assert isinstance(exception_handler(APIException(), {}).status_code, int)
