"""Two factors: required for admins and the city office, optional for the rest; pages, admin and the token check."""

import datetime

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from core.testing import PASSWORD
from core.testing.factories import UserFactory
from core.testing.twofactor import totp_code, totp_device

pytestmark = pytest.mark.django_db

NEXT_STEP = datetime.timedelta(seconds=31)  # a new TOTP code, past django-otp's one-second throttle


def sign_in(username, path="/accounts/login/") -> Client:
    client = Client()
    r = client.post(path, {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return client


@pytest.mark.parametrize("who", ["city_office", "admin"])
def test_a_required_role_without_a_device_is_sent_to_enrolment_before_any_page(cast, who):
    client = sign_in(who)
    for path in ["/", "/cases/", "/dashboard/", "/accounts/password/", "/admin/"]:
        r = client.get(path)
        assert r.status_code == 302 and r["Location"] == f"/accounts/2fa/setup/?next={path.replace('/', '%2F')}", path
    # A browser session half signed in gets nothing from the API either.
    assert client.get("/api/v1/me/").status_code == 403


def test_enrolment_shows_the_qr_code_and_the_secret_then_ten_recovery_codes_once(cast, clock):
    client = sign_in("city_office")
    page = client.get("/accounts/2fa/setup/?next=/dashboard/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=cast.city_office, confirmed=False)
    assert page.status_code == 200 and "<svg" in html and twofactor.secret_text(device) in html
    assert "otpauth://totp/Minqing%3Acity_office?secret=" in html.replace("&amp;", "&")
    assert "no-store" in page["Cache-Control"]
    assert client.get("/accounts/2fa/setup/").content.decode().count(twofactor.secret_text(device)) == 1  # same key

    wrong = client.post("/accounts/2fa/setup/", {"code": "000000", "next": "/dashboard/"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    clock.shift(NEXT_STEP)
    done = client.post("/accounts/2fa/setup/", {"code": totp_code(device), "next": "/dashboard/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(c in done.content.decode() for c in codes)
    assert StaticToken.objects.filter(device__user=cast.city_office).count() == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/dashboard/").status_code == 200
    # Shown once: the setup page now only says a device exists.
    assert not any(c in client.get("/accounts/2fa/setup/").content.decode() for c in codes)
    outcomes = list(
        AuditEvent.objects.filter(action__startswith="otp_").order_by("id").values_list("action", "outcome")
    )
    assert outcomes == [("otp_enrol_failed", "failed"), ("otp_enrolled", "ok")]


def test_a_user_with_a_device_is_asked_for_the_code_before_any_page(cast, clock):
    device = totp_device(cast.officer)  # optional for officers, but once enrolled it is asked
    client = sign_in("officer")
    r = client.get("/cases/")
    assert r["Location"] == "/accounts/2fa/?next=%2Fcases%2F"
    assert client.get("/accounts/2fa/setup/")["Location"] == "/accounts/2fa/"  # no second device without the first
    wrong = client.post("/accounts/2fa/", {"code": "123456", "next": "/cases/"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    assert client.get("/").status_code == 302
    clock.shift(NEXT_STEP)
    right = client.post("/accounts/2fa/", {"code": totp_code(device), "next": "/cases/"})
    assert right.status_code == 302 and right["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    outcomes = list(
        AuditEvent.objects.filter(action__startswith="otp_").order_by("id").values_list("action", "outcome")
    )
    assert outcomes == [("otp_failed", "failed"), ("otp_verified", "ok")]


def test_the_code_page_sends_nowhere_outside(cast):
    device = totp_device(cast.officer)
    client = sign_in("officer")
    r = client.post("/accounts/2fa/", {"code": totp_code(device), "next": "https://evil.example/"})
    assert r["Location"] == "/"


def test_a_recovery_code_opens_the_account_once(cast):
    totp_device(cast.officer)
    static = StaticDevice.objects.create(user=cast.officer, name="codes")
    static.token_set.create(token="abcd2345")
    first = sign_in("officer")
    assert first.post("/accounts/2fa/", {"code": "ABCD 2345"})["Location"] == "/"
    assert first.get("/").status_code == 200
    second = sign_in("officer")
    assert second.post("/accounts/2fa/", {"code": "abcd2345"}).status_code == 200  # spent
    assert second.get("/").status_code == 302


def test_the_admin_asks_for_the_code_after_its_own_login(cast, clock):
    device = totp_device(cast.admin)
    client = sign_in("admin", path="/admin/login/?next=/admin/")
    r = client.get("/admin/")
    assert r.status_code == 302 and r["Location"] == "/accounts/2fa/?next=%2Fadmin%2F"
    assert client.get("/admin/accounts/user/").status_code == 302
    assert client.post("/accounts/2fa/", {"code": totp_code(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_other_roles_without_a_device_are_not_asked(cast):
    client = sign_in("township_staff")
    assert client.get("/cases/").status_code == 200
    # … and may enrol if they like.
    assert client.get("/accounts/2fa/setup/").status_code == 200


def test_the_required_roles_are_a_setting(cast, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["leader"]
    assert sign_in("city_office").get("/dashboard/").status_code == 200
    assert sign_in("leader").get("/dashboard/")["Location"].startswith("/accounts/2fa/setup/")


def test_a_superuser_counts_as_an_admin():
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    assert twofactor.required(boss)
    assert not twofactor.required(UserFactory(roles=[Role.OFFICER]))


def test_a_session_from_before_two_factors_is_decided_at_its_next_request(cast):
    client = Client()
    client.force_login(cast.city_office)
    session = client.session
    del session[twofactor.SESSION_KEY]
    session.save()
    assert client.get("/")["Location"].startswith("/accounts/2fa/setup/")


class TestTokenRefusal:
    def test_nothing_is_asked_of_an_optional_role_without_a_device(self, cast):
        assert twofactor.token_refusal(cast.officer, None) is None

    def test_a_required_role_without_a_device_must_enrol_first(self, cast):
        assert "网站" in twofactor.token_refusal(cast.city_office, "123456")

    def test_a_device_needs_its_code(self, cast, clock):
        device = totp_device(cast.officer)
        assert twofactor.token_refusal(cast.officer, None)
        assert twofactor.token_refusal(cast.officer, "  ")
        assert "验证码错误" in twofactor.token_refusal(cast.officer, "000000")
        clock.shift(NEXT_STEP)
        assert twofactor.token_refusal(cast.officer, totp_code(device)) is None
        # The same code cannot be used twice.
        assert twofactor.token_refusal(User.objects.get(pk=cast.officer.pk), totp_code(device)) is not None
