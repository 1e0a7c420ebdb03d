"""The sign-in limits of accounts.lockout: attempts in flight count, per account and per address, every refusal audited."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from accounts.models import AddressLock, LoginLock, User
from audit.models import AuditEvent
from core.testing import PASSWORD
from core.testing.factories import UserFactory

WRONG = "wrong-one"


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_wrong_passwords_at_once_then_the_right_one_is_refused(cast, monkeypatch):
    """The finding: 10 wrong passwords in parallel, the right one 0.2 s later, got in and reset the count."""
    slow_check = User.check_password

    def check_password(self, raw):  # a production hasher's time, so the ten are all in flight at once
        time.sleep(0.6)
        return slow_check(self, raw)

    monkeypatch.setattr(User, "check_password", check_password)
    start = threading.Barrier(11)
    answers: dict[str, list[int]] = {"wrong": [], "right": []}
    texts: list[str] = []
    lock = threading.Lock()

    def attempt(password, kind):
        client = Client()
        try:
            start.wait()
            if kind == "right":
                time.sleep(0.2)
            response = sign_in(client, "officer", password)
            with lock:
                answers[kind].append(response.status_code)
                if kind == "right":
                    texts.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(WRONG, "wrong")) for _ in range(10)]
    threads.append(threading.Thread(target=attempt, args=(PASSWORD, "right")))
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert answers["right"] == [200], "the right password got in while the account was at its limit"
    assert "已锁定" in texts[0]
    lock_row = LoginLock.objects.get(username="officer")
    assert lock_row.locked_until is not None  # not reset by the right password
    assert answers["wrong"] == [200] * 10
    # Eleven attempts, eleven rows: the ones turned away at the door (the right one among them) say "locked".
    rows = AuditEvent.objects.filter(action="login_failed", username="officer")
    assert rows.count() == 11
    assert rows.filter(outcome="locked").count() == 6 and rows.filter(outcome="failed").count() == 5
    assert not AuditEvent.objects.filter(action="login", username="officer").exists()


@pytest.mark.django_db
def test_every_attempt_on_a_locked_account_is_audited(client, cast):
    for _ in range(5):
        sign_in(client, "officer", WRONG)
    assert LoginLock.objects.get(username="officer").locked_until is not None
    sign_in(client, "officer", WRONG)
    sign_in(client, "officer", PASSWORD)
    rows = list(
        AuditEvent.objects.filter(action="login_failed", username="officer")
        .order_by("id")
        .values_list("outcome", flat=True)
    )
    assert rows == ["failed"] * 5 + ["locked", "locked"]
    last = AuditEvent.objects.filter(action="login_failed").latest("id")
    assert last.detail["refused_by"] == "account" and last.ip == "127.0.0.1"


@pytest.mark.django_db
def test_the_token_endpoint_audits_attempts_on_a_locked_account(api, cast):
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "officer", "password": WRONG}, format="json")
    r = api.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json")
    assert r.status_code == 403 and "已锁定" in r.json()["detail"]
    assert AuditEvent.objects.filter(action="login_failed", username="officer", outcome="locked").count() == 1


@pytest.mark.django_db
def test_a_success_resets_the_account_count_but_not_the_address_count(client, cast):
    for _ in range(4):
        sign_in(client, "officer", WRONG)
    assert sign_in(client, "officer", PASSWORD).status_code == 302
    assert not LoginLock.objects.filter(username="officer").exists()
    # The four failures still count against the address; the success itself does not.
    assert AddressLock.objects.get(address="127.0.0.1").failures == 4


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_stopped(cast, settings):
    """The finding: 20 usernames from one address were all tried freely."""
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(20):
        assert sign_in(attacker, f"guess{n}", WRONG).status_code == 200
    # The 21st attempt from that address is refused, whichever account and even with a right password.
    page = sign_in(attacker, "officer", PASSWORD)
    assert page.status_code == 200 and "网络地址" in page.content.decode()
    assert not LoginLock.objects.filter(username="officer").exists()  # the account's count was not touched
    refused = AuditEvent.objects.filter(action="login_failed", username="officer").get()
    assert refused.outcome == "locked" and refused.detail["refused_by"] == "address"
    assert AuditEvent.objects.filter(action="address_blocked", ip="203.0.113.9").count() == 1
    # Another address is not affected.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_address_block_ends(cast, clock):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(21):
        sign_in(attacker, f"guess{n}", WRONG)
    clock.shift(60 * 11)
    assert sign_in(attacker, "officer", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_address_limit_follows_its_settings(cast, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    answers = [sign_in(attacker, f"guess{n}", WRONG).content.decode() for n in range(3)]
    assert "网络地址" in answers[-1]  # the third failure blocks, and says so


@pytest.mark.django_db
def test_the_token_endpoint_shares_the_address_limit(api, cast):
    for n in range(20):
        api.post("/api/v1/auth/token/", {"username": f"guess{n}", "password": WRONG}, format="json")
    r = api.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD}, format="json")
    assert r.status_code == 403 and "网络地址" in r.json()["detail"]


@pytest.mark.django_db
def test_the_admin_login_says_locked_and_until_when(client, cast):
    """The finding: the admin login showed "wrong password" on a locked account."""
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": WRONG})
    page = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    html = page.content.decode()
    until = LoginLock.objects.get(username="admin").locked_until
    assert page.status_code == 200 and "已锁定" in html
    from django.utils import timezone

    assert timezone.localtime(until).strftime("%H:%M") in html


@pytest.mark.django_db
def test_an_inactive_user_with_the_right_password_counts_as_a_failure(client):
    UserFactory(username="gone", is_active=False)
    sign_in(client, "gone", PASSWORD)
    assert LoginLock.objects.get(username="gone").failures == 1
