"""The outbox and its delivery: once each, retried with backoff, one channel never holding up another."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from core.testing.factories import WebhookEndpointFactory
from notifications import delivery
from notifications.models import Delivery, Notification
from notifications.services import notify
from notifications.tasks import deliver_pending
from notifications.tests.conftest import free_port
from notifications.tests.support import at

NOW = at("2026-11-10 10:00")


@pytest.fixture
def people(cast):
    for user, email in ((cast.township_staff, "li@example.cn"), (cast.dept_handler, "sun@example.cn")):
        user.email = email
        user.save()
    return cast


def notice(users, title="案件 SZ-1 已派至本单位", **kw) -> list[int]:
    notify(recipients=users, kind="test", title=title, body="路灯不亮", url="/cases/1/", now=NOW, **kw)
    return list(Delivery.objects.order_by("id").values_list("pk", flat=True))


@pytest.mark.django_db
def test_an_outbox_row_for_each_channel_that_reaches_the_person(people, robot):
    WebhookEndpointFactory(org_unit=people.township, url=robot.url, secret=robot.secret)
    notice([people.township_staff, people.dept_handler, people.office_handler])
    assert sorted(Delivery.objects.values_list("notification__recipient__username", "channel", "status")) == [
        ("dept_handler", "email", "pending"),
        ("township_staff", "email", "pending"),
        ("township_staff", "webhook", "pending"),
    ]


@pytest.mark.django_db
def test_email_is_sent_once_with_an_absolute_link(people, settings):
    settings.SITE_URL = "https://minqing.example.cn"
    notice([people.township_staff])
    assert vars(delivery.deliver(now=NOW)) == {"sent": 1, "retrying": 0, "failed": 0}
    assert vars(delivery.deliver(now=NOW + datetime.timedelta(hours=1))) == {"sent": 0, "retrying": 0, "failed": 0}
    (message,) = mail.outbox
    assert message.to == ["li@example.cn"] and message.subject == "案件 SZ-1 已派至本单位"
    assert "https://minqing.example.cn/cases/1/" in message.body
    row = Delivery.objects.get()
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


@pytest.mark.django_db
def test_a_dedupe_key_makes_a_second_notice_a_no_op(people):
    notice([people.township_staff], dedupe_key="event:7")
    notice([people.township_staff], dedupe_key="event:7")
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 1


def test_backoff_doubles_with_jitter_up_to_the_cap(settings):
    settings.NOTIFY_RETRY = {"base": 30, "cap": 3600, "max_attempts": 8}
    for attempts, full in ((1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (12, 3600)):
        waits = {delivery.backoff(attempts).total_seconds() for _ in range(50)}
        assert all(full / 2 <= w <= full for w in waits), (attempts, waits)
        assert len(waits) > 1  # jittered


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_then_given_up_without_holding_the_robot(people, robot, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.NOTIFY_RETRY = {"base": 30, "cap": 3600, "max_attempts": 3}
    WebhookEndpointFactory(org_unit=people.township, url=robot.url, secret=robot.secret)
    notice([people.township_staff])
    moment = NOW
    for attempt in (1, 2, 3):
        outcome = delivery.deliver(now=moment)
        assert outcome.sent == (1 if attempt == 1 else 0)  # the robot went through at once
        email = Delivery.objects.get(channel="email")
        assert email.attempts == attempt and "ConnectionRefusedError" in email.last_error
        if attempt < 3:
            assert email.status == "pending" and moment + datetime.timedelta(seconds=14) < email.next_attempt_at
            assert delivery.deliver(now=moment).sent == 0  # not due yet
            moment = email.next_attempt_at
    assert email.status == "failed"
    assert len(robot.messages) == 1 and Delivery.objects.get(channel="webhook").status == "sent"
    assert "gave up after 3 attempts" in caplog.text
    assert "li@example.cn" not in caplog.text


@pytest.mark.django_db
def test_a_worker_that_died_while_sending_leaves_its_rows_for_later(people):
    notice([people.township_staff])
    delivery._claim(None, now=NOW, limit=10)  # claimed, then the worker is gone
    assert delivery.deliver(now=NOW + datetime.timedelta(minutes=1)).sent == 0
    assert delivery.deliver(now=NOW + delivery.LEASE).sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_periodic_task_sends_what_is_pending(people):
    notice([people.township_staff, people.dept_handler])
    assert deliver_pending() == {"sent": 2, "retrying": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_workers_delivering_at_once_send_each_notice_once(people):
    for n in range(30):
        notice([people.township_staff], title=f"通知 {n}")
    barrier = threading.Barrier(3)

    def worker():
        try:
            barrier.wait()
            delivery.deliver(now=NOW)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m.subject for m in mail.outbox) == sorted(f"通知 {n}" for n in range(30))
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
