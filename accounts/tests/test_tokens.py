"""API tokens with a life (issue #22): per device, stored hashed, ending when idle, at their absolute end, at
logout, at a password change by any door, and revocable by their owner; a forced change closes the API."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.crypto import hash_token
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from audit.models import AuditEvent
from core.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Another-Pass-99"


def sign_in(username="officer", password=PASSWORD, **extra):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json")


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def me(key: str) -> int:
    return with_token(key).get("/api/v1/me/").status_code


def test_each_sign_in_issues_a_new_token_for_its_device(cast):
    first, second = sign_in(device="张伟的手机"), sign_in(device="办公室平板")
    assert first.status_code == second.status_code == 200
    assert set(first.json()) == {"token", "expiry"}
    assert first.json()["token"] != second.json()["token"]
    assert me(first.json()["token"]) == me(second.json()["token"]) == 200
    assert sorted(ApiToken.objects.filter(user=cast.officer).values_list("device", flat=True)) == [
        "办公室平板",
        "张伟的手机",
    ]


def test_only_a_digest_of_the_key_is_stored(cast):
    key = sign_in().json()["token"]
    row = ApiToken.objects.get(user=cast.officer)
    assert row.digest == hash_token(key) and key not in row.digest
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert key not in {str(v) for v in stored.values()}
    assert row.token_key == key[:15]  # knox's lookup prefix, not the key


def test_a_token_ends_after_thirty_idle_minutes(cast, clock):
    key = sign_in().json()["token"]
    clock.shift(datetime.timedelta(minutes=29))
    assert me(key) == 200
    clock.shift(datetime.timedelta(minutes=29))  # each use moves the idle end on
    assert me(key) == 200
    clock.shift(datetime.timedelta(minutes=31))
    assert me(key) == 401


def test_a_token_in_use_ends_twelve_hours_after_issue(cast, clock):
    key = sign_in().json()["token"]
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        clock.shift(datetime.timedelta(minutes=20))
        assert me(key) == 200
    clock.shift(datetime.timedelta(minutes=21))
    assert me(key) == 401


def test_the_lifetimes_are_settings(cast, clock, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(minutes=5)}
    body = sign_in().json()
    clock.shift(datetime.timedelta(minutes=6))
    assert me(body["token"]) == 401


def test_logout_ends_the_calling_token_only(cast):
    phone, tablet = sign_in().json()["token"], sign_in().json()["token"]
    assert with_token(phone).post("/api/v1/auth/logout/").status_code == 204
    assert me(phone) == 401 and me(tablet) == 200
    event = AuditEvent.objects.filter(action="token_revoked").get()
    assert event.user == cast.officer and phone not in str(event.detail)


def _change_on_page(cast):
    client = APIClient()
    client.force_login(cast.officer)
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302


def _forced_change(cast):
    User.objects.filter(pk=cast.officer.pk).update(must_change_password=True)
    _change_on_page(cast)


def _admin_set_password(cast):
    client = APIClient()
    client.force_login(cast.admin)
    r = client.post(
        f"/admin/accounts/user/{cast.officer.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert r.status_code == 302, r.content[:500]


def _changepassword_command(cast, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", "officer", stdout=io.StringIO())


def _in_code(cast):
    user = User.objects.get(pk=cast.officer.pk)
    user.set_password(NEW)
    user.save()


@pytest.mark.parametrize(
    "change",
    [_change_on_page, _forced_change, _admin_set_password, _changepassword_command, _in_code],
    ids=["own page", "forced change", "admin set-password", "manage.py changepassword", "set_password + save"],
)
def test_a_password_change_ends_every_token_of_the_user(cast, change, monkeypatch):
    phone, tablet = sign_in().json()["token"], sign_in().json()["token"]
    others = sign_in("township_staff").json()["token"]
    if change is _changepassword_command:
        change(cast, monkeypatch)
    else:
        change(cast)
    assert me(phone) == me(tablet) == 401
    assert me(others) == 200
    assert sign_in(password=NEW).status_code == 200
    assert AuditEvent.objects.filter(action="tokens_revoked", user=cast.officer).exists()


def test_signing_in_with_an_old_hash_format_keeps_the_tokens(cast, settings):
    """A hasher upgrade at sign-in rewrites the hash but is no password change."""
    key = sign_in().json()["token"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    assert sign_in().status_code == 200
    assert me(key) == 200


def test_an_admin_forcing_a_change_ends_the_tokens(cast):
    key = sign_in().json()["token"]
    admin = APIClient()
    admin.force_login(cast.admin)
    admin.post("/admin/accounts/user/", {"action": "force_password_change", "_selected_action": [cast.officer.pk]})
    assert me(key) == 401


def test_owners_list_their_tokens_without_the_keys(cast):
    phone = sign_in(device="手机").json()["token"]
    sign_in(device="平板")
    sign_in("township_staff")
    body = with_token(phone).get("/api/v1/auth/tokens/").json()
    assert body["count"] == 2
    rows = body["results"]
    assert set(rows[0]) == {"id", "prefix", "device", "created", "expiry", "current"}
    assert [(r["device"], r["current"]) for r in rows] == [("平板", False), ("手机", True)]
    assert rows[1]["prefix"] == phone[:8]
    text = str(body)
    for token in ApiToken.objects.all():
        assert token.digest not in text
    assert phone not in text


def test_owners_revoke_their_own_tokens_and_only_theirs(cast):
    phone, tablet = sign_in().json()["token"], sign_in().json()["token"]
    staff = sign_in("township_staff").json()["token"]
    tablet_id = ApiToken.objects.get(digest=hash_token(tablet)).pk
    staff_id = ApiToken.objects.get(digest=hash_token(staff)).pk
    client = with_token(phone)
    assert client.delete(f"/api/v1/auth/tokens/{staff_id}/").status_code == 404
    assert me(staff) == 200
    assert client.delete(f"/api/v1/auth/tokens/{tablet_id}/").status_code == 204
    assert me(tablet) == 401 and me(phone) == 200
    assert client.delete(f"/api/v1/auth/tokens/{tablet_id}/").status_code == 404


def test_issue_and_revoke_are_audited_without_the_key(cast):
    key = sign_in().json()["token"]
    with_token(key).post("/api/v1/auth/logout/")
    events = list(AuditEvent.objects.filter(action__startswith="token").order_by("id"))
    assert [(e.action, e.user_id) for e in events] == [
        ("token_issued", cast.officer.pk),
        ("token_revoked", cast.officer.pk),
    ]
    digest = hash_token(key)
    for event in events:
        assert key not in str(event.detail) and digest not in str(event.detail) and key not in event.object_id


def test_admins_see_and_delete_tokens_without_key_or_digest(client, cast):
    key = sign_in().json()["token"]
    token = ApiToken.objects.get(user=cast.officer)
    client.force_login(cast.admin)
    page = client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200 and key[:8] in page.content.decode()
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert detail.status_code == 200
    for html in (page.content.decode(), detail.content.decode()):
        assert key not in html and token.digest not in html
    assert client.get("/admin/authtoken/").status_code == 404  # DRF's plain-text tokens are gone
    assert client.get("/admin/knox/").status_code == 404
    r = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert me(key) == 401
    assert AuditEvent.objects.filter(action="token_revoked", user=cast.admin).exists()


def test_token_authentication_reads_the_user_and_unit_in_one_query(cast):
    key = sign_in().json()["token"]
    client = with_token(key)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me/").status_code == 200
    token_queries = [q["sql"] for q in ctx.captured_queries if "accounts_apitoken" in q["sql"]]
    assert len(token_queries) == 1 and "accounts_orgunit" in token_queries[0]
    assert not [q for q in ctx.captured_queries if q["sql"].startswith('SELECT "accounts_user"')]


# A forced password change closes the API until it is done.

FORCED = "请先在登录页面修改密码"


def test_a_forced_change_refuses_a_token(cast):
    User.objects.filter(pk=cast.officer.pk).update(must_change_password=True)
    r = sign_in()
    assert r.status_code == 403 and FORCED in r.json()["detail"]
    assert not ApiToken.objects.filter(user=cast.officer).exists()


def test_a_forced_change_closes_every_api_route_but_logout(cast):
    key = sign_in().json()["token"]
    User.objects.filter(pk=cast.officer.pk).update(must_change_password=True)  # e.g. ticked in the admin
    client = with_token(key)
    for path in ["/api/v1/me/", "/api/v1/cases/", "/api/v1/auth/tokens/", "/api/schema/?format=json"]:
        r = client.get(path)
        assert r.status_code == 403 and FORCED in r.json()["detail"], path
    r = client.post("/api/v1/diaries/", {}, format="json")
    assert r.status_code == 403 and FORCED in r.json()["detail"]
    assert client.post("/api/v1/auth/logout/").status_code == 204


def test_a_forced_change_closes_the_api_to_a_browser_session_too(client, cast):
    User.objects.filter(pk=cast.officer.pk).update(must_change_password=True)
    client.force_login(User.objects.get(pk=cast.officer.pk))
    r = client.get("/api/v1/me/")
    assert r.status_code == 403 and r["Content-Type"] == "application/json" and FORCED in r.json()["detail"]
    assert client.get("/").url == "/accounts/password/"  # pages still go to the form


# The contract and its docs are for signed-in people.


def test_schema_and_docs_need_a_sign_in(client, cast):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs.url.startswith("/accounts/login/")
    assert with_token(sign_in().json()["token"]).get("/api/schema/").status_code == 200
    client.force_login(cast.officer)
    assert client.get("/api/docs/").status_code == 200


def test_a_second_factor_is_asked_for_at_token_issue(cast):
    """The city office signs in with a second factor on the API too (issue 22): none enrolled → enrol on the
    website first; enrolled → the code must come with the password."""
    from core.testing.twofactor import totp_code, totp_device

    refused = sign_in("city_office")
    assert refused.status_code == 403 and "detail" in refused.json()
    device = totp_device(cast.city_office)
    assert sign_in("city_office").status_code == 403
    assert sign_in("city_office", otp=totp_code(device)).status_code == 200
    wrong = "000000" if totp_code(device) != "000000" else "111111"
    assert sign_in("city_office", otp=wrong).status_code == 403
    assert sign_in("officer").status_code == 200  # optional for the others: no device, no code asked
