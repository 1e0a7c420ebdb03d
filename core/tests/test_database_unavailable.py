"""A lost or busy database is a 503 "try again", on pages and in the API alike; a bug in a query is a 500."""

import sqlite3

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from rest_framework.exceptions import APIException

from core.api.errors import exception_handler
from core.db import is_unavailable
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


def _sqlite_error(make) -> Exception:
    """A real sqlite3 error, wrapped the way Django's backend wraps it."""
    try:
        make()
    except sqlite3.Error as cause:
        wrapper = OperationalError if isinstance(cause, sqlite3.OperationalError) else InterfaceError
        try:
            raise wrapper(str(cause)) from cause
        except wrapper as wrapped:
            return wrapped
    raise AssertionError("no error raised")


def _locked(tmp_path):
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    return lambda: waiter.execute("BEGIN IMMEDIATE")


def test_a_busy_sqlite_file_is_unavailable_and_answers_503(tmp_path):
    error = _sqlite_error(_locked(tmp_path))
    assert is_unavailable(error)
    assert exception_handler(error, {}).status_code == 503


@pytest.mark.parametrize(
    "make",
    [
        lambda: sqlite3.connect(":memory:").execute("SELECT FROM nowhere"),  # syntax: "unrecognized token" kind
        lambda: sqlite3.connect(":memory:").execute("SELECT * FROM missing_table"),
        lambda: sqlite3.connect(":memory:").execute("SELECT ?", ([1, 2],)),  # a list bound as a parameter
    ],
    ids=["syntax", "no-such-table", "bad-parameter"],
)
def test_programming_errors_on_sqlite_are_bugs_not_outages(make):
    error = _sqlite_error(make)
    assert not is_unavailable(error)
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    assert middleware.process_exception(RequestFactory().get("/"), error) is None  # Django answers 500 and logs it
    with pytest.raises(type(error)):
        # DRF's handler returns None for it, so the view re-raises: a logged 500, never "try again".
        if exception_handler(error, {}) is None:
            raise error


@pytest.mark.django_db
def test_an_unhandled_programming_error_is_a_logged_500(client, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise _sqlite_error(lambda: sqlite3.connect(":memory:").execute("SELECT FROM nowhere"))

    client.raise_request_exception = False
    monkeypatch.setattr("django.contrib.auth.views.LoginView.get", broken)
    response = client.get("/accounts/login/")
    assert response.status_code == 500
    assert any(r.levelname == "ERROR" and r.name == "django.request" for r in caplog.records)


def _refused_post(data, **extra):
    request = RequestFactory().post("/cases/7/reply/", data, **extra)
    request.LANGUAGE_CODE = "zh-hans"
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    return middleware.process_exception(request, OperationalError("the database system is shutting down"))


def test_a_refused_form_keeps_what_was_typed_and_can_send_it_again():
    reply = "已联系施工队，周三前修好路灯。" * 5
    response = _refused_post({"result": reply, "outcome": "solved", "csrfmiddlewaretoken": "t0k"})
    html = response.content.decode()
    assert response.status_code == 503
    assert 'action="/cases/7/reply/"' in html and "再次提交" in html
    assert html.count(reply) == 2  # shown to read, and in the form that sends it again
    assert 'name="outcome" value="solved"' in html and 'name="csrfmiddlewaretoken" value="t0k"' in html


def test_a_refused_form_is_escaped_and_never_gives_back_a_secret():
    html = _refused_post({"result": "<script>alert(1)</script>" * 3}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    html = _refused_post({"username": "officer_village", "password": "Secret-123"}).content.decode()
    assert "Secret-123" not in html and "data-kept-input" not in html
