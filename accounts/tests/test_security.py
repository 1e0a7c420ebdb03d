import os
import subprocess
import sys

import pytest

from accounts.models import LoginLock
from audit.models import AuditEvent
from core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def fail_login(client, times, username="officer"):
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong-one"})


def test_five_failures_lock_the_account_for_ten_minutes(client, cast):
    fail_login(client, 4)
    assert client.post("/accounts/login/", {"username": "officer", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    fail_login(client, 5)
    page = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    # Even the right password does not open a locked account, and the page says until when.
    assert page.status_code == 200 and "已锁定" in page.content.decode()
    assert AuditEvent.objects.filter(action="account_locked", username="officer").count() == 1


def test_the_token_endpoint_shares_the_lock(api, cast):
    def attempt(password):
        return api.post("/api/v1/auth/token/", {"username": "officer", "password": password}, format="json")

    assert [attempt("x").status_code for _ in range(5)] == [400, 400, 400, 400, 403]  # the fifth locks, and says so
    r = api.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json")
    assert r.status_code == 403 and "已锁定" in r.json()["detail"]


def test_the_lock_expires(client, cast, settings):
    fail_login(client, 5)
    LoginLock.objects.update(locked_until="2000-01-01T00:00:00Z")
    assert client.post("/accounts/login/", {"username": "officer", "password": PASSWORD}).status_code == 302


def test_logins_and_failures_are_audited_without_the_password(client, cast):
    fail_login(client, 1)
    client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "username", "outcome"))
    assert actions == [("login_failed", "officer", "failed"), ("login", "officer", "ok")]
    assert "wrong-one" not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_weak_passwords_are_refused(client, cast):
    client.force_login(cast.officer)
    r = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "abcdefgh1", "new_password2": "abcdefgh1"}
    )
    assert r.status_code == 200 and "至少三类" in r.content.decode()


def test_admin_can_force_a_password_change(client, cast):
    client.force_login(cast.admin)
    client.post(
        "/admin/accounts/user/",
        {"action": "force_password_change", "_selected_action": [cast.officer.pk]},
    )
    cast.officer.refresh_from_db()
    assert cast.officer.must_change_password
    client.force_login(cast.officer)
    assert client.get("/").url == "/accounts/password/"
    new = "Another-Pass-99"
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_pages_send_a_csp_without_inline_scripts(client, cast):
    client.force_login(cast.officer)
    for path in ["/", "/accounts/login/", "/api/docs/"]:
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        html = response.content.decode()
        assert "<script>" not in html, path


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minqing.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-only-secret-kept-in-a-vault-0123456789",
        "ALLOWED_HOSTS": "minqing.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
