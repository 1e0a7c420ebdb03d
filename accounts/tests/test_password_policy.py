"""Password expiry and history, and the absolute session lifetime beside the idle timeout."""

import datetime

import pytest
from django.test import Client

from accounts.models import PasswordHistory
from core.testing import PASSWORD

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def change(client, old, new):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_an_expired_password_sends_its_user_to_the_change_form(client, cast, clock, settings):
    settings.PASSWORD_EXPIRY_DAYS = 90  # the default (the suite's settings switch it off)
    clock.shift(89 * DAY)
    client.force_login(cast.officer)
    assert client.get("/cases/").status_code == 200
    clock.shift(2 * DAY)
    client.force_login(cast.officer)  # a new sign-in: the idle timeout ended the old session long ago
    assert client.get("/cases/")["Location"] == "/accounts/password/"
    assert client.get("/admin/", follow=False).status_code == 302
    form = client.get("/accounts/password/")
    assert "90 天" in form.content.decode()
    assert change(client, PASSWORD, "Fresh-Pass-2027").status_code == 302
    assert client.get("/cases/").status_code == 200


def test_the_expiry_is_a_setting(client, cast, clock, settings):
    settings.PASSWORD_EXPIRY_DAYS = 0
    clock.shift(400 * DAY)
    client.force_login(cast.officer)
    assert client.get("/cases/").status_code == 200
    settings.PASSWORD_EXPIRY_DAYS = 365
    assert client.get("/cases/").status_code == 302


def test_the_last_five_passwords_cannot_be_chosen_again(client, cast):
    client.force_login(cast.officer)
    assert "不能使用最近" in change(client, PASSWORD, PASSWORD).content.decode()
    passwords = [PASSWORD, "Second-Pass-1", "Third-Pass-22", "Fourth-Pass-3", "Fifth-Pass-44"]
    for old, new in zip(passwords, passwords[1:], strict=False):
        assert change(client, old, new).status_code == 302, new
    # Five passwords: the first one is still among the last five…
    refused = change(client, passwords[-1], PASSWORD)
    assert refused.status_code == 200 and "不能使用最近" in refused.content.decode()
    assert change(client, passwords[-1], "Sixth-Pass-555").status_code == 302
    # … and after a sixth it may come back.
    assert change(client, "Sixth-Pass-555", PASSWORD).status_code == 302
    assert PasswordHistory.objects.filter(user=cast.officer).count() == 5
    # Only hashes are kept.
    assert not PasswordHistory.objects.filter(password__contains="Pass").exists()


def test_the_admin_set_password_form_checks_the_history_too(client, cast):
    client.force_login(cast.admin)
    r = client.post(f"/admin/accounts/user/{cast.officer.pk}/password/", {"password1": PASSWORD, "password2": PASSWORD})
    assert r.status_code == 200 and "不能使用最近" in r.content.decode()


def test_a_busy_session_still_ends_after_twelve_hours(cast, clock):
    client = Client()
    client.force_login(cast.officer)
    for _ in range(28):  # a request every 25 minutes: never idle for 30
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get("/cases/").status_code == 200
    clock.shift(datetime.timedelta(minutes=25))  # 12 h 5 min after the sign-in
    r = client.get("/cases/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_the_absolute_lifetime_is_a_setting(cast, clock, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    client = Client()
    client.force_login(cast.officer)
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/cases/").status_code == 200
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get("/cases/").status_code == 200
    clock.shift(datetime.timedelta(minutes=5))
    assert client.get("/cases/").status_code == 302


def test_sessions_still_end_after_thirty_idle_minutes(cast, clock):
    client = Client()
    client.force_login(cast.officer)
    clock.shift(datetime.timedelta(minutes=31))
    assert client.get("/cases/").status_code == 302
