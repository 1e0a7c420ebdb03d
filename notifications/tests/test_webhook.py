"""The chat-robot channel against a robot served on a local port."""

import datetime

import pytest

from core.testing.factories import WebhookEndpointFactory
from notifications import delivery
from notifications.channels.webhook import sign, signed_url
from notifications.models import Delivery, WebhookEndpoint
from notifications.services import notify
from notifications.tests.support import at

pytestmark = pytest.mark.django_db

NOW = at("2026-11-10 10:00")


@pytest.fixture
def endpoint(cast, robot):
    return WebhookEndpointFactory(org_unit=cast.township, url=robot.url, secret=robot.secret)


def send_notice(cast):
    notify(recipients=[cast.township_staff], kind="test", title="催办：案件 SZ-1 已超期", body="请立即处理", url="/cases/1/", now=NOW)  # fmt: skip


def test_the_signature_is_dingtalks():
    # HMAC-SHA256 over "timestamp\nsecret", keyed with the secret, base64.
    assert sign("SECabc", "1700000000000") == "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM="
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", "1700000000000")
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=t"
        "&timestamp=1700000000000&sign=jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    )


def test_a_signed_message_reaches_the_units_robot(cast, robot, endpoint):
    send_notice(cast)
    assert delivery.deliver(now=NOW).sent == 1
    assert robot.bad_signatures == 0
    (message,) = robot.messages
    assert message["msgtype"] == "markdown" and message["markdown"]["title"] == "催办：案件 SZ-1 已超期"
    assert "李春梅" in message["markdown"]["text"] and "请立即处理" in message["markdown"]["text"]


def test_a_500_is_retried_with_backoff_until_it_goes_through(cast, robot, endpoint):
    robot.fail_next = 2
    send_notice(cast)
    moment = NOW
    for _ in range(2):
        assert delivery.deliver(now=moment).retrying == 1
        row = Delivery.objects.get()
        assert row.status == "pending" and row.last_error.endswith("HTTP 500")
        moment = row.next_attempt_at
    assert delivery.deliver(now=moment).sent == 1
    assert Delivery.objects.get().attempts == 3 and len(robot.messages) == 1 and robot.bad_signatures == 0


def test_a_robot_that_keeps_failing_is_given_up_after_the_cap(cast, robot, endpoint, settings, caplog):
    settings.NOTIFY_RETRY = {"base": 30, "cap": 600, "max_attempts": 4}
    robot.always_fail = True
    send_notice(cast)
    moment = NOW
    for _ in range(6):
        delivery.deliver(now=moment)
        moment += datetime.timedelta(hours=1)
    row = Delivery.objects.get()
    assert (row.status, row.attempts) == ("failed", 4)
    assert "gave up after 4 attempts" in caplog.text
    # The robot's URL carries its access token, and the secret signs: neither is logged.
    assert "tok-1" not in caplog.text and robot.secret not in caplog.text and "access_token" not in row.last_error


def test_a_wrong_secret_is_refused_and_retried(cast, robot, endpoint):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret="SEC-wrong")
    send_notice(cast)
    assert delivery.deliver(now=NOW).retrying == 1
    assert "errcode 310000" in Delivery.objects.get().last_error


def test_a_robot_switched_off_since_is_not_retried(cast, robot, endpoint):
    send_notice(cast)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert delivery.deliver(now=NOW).failed == 1
    assert robot.messages == []
