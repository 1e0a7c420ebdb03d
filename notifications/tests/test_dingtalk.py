"""DingTalk work notices against accounts.testing.fake_idp on a local port."""

import re

import pytest
from django.core.cache import cache

from accounts import dingtalk
from accounts.models import ExternalIdentity
from accounts.testing.fake_idp import FakeIdP
from core.testing.factories import ExternalIdentityFactory
from notifications import delivery
from notifications.models import Delivery
from notifications.services import notify
from notifications.tests.support import at

pytestmark = pytest.mark.django_db

NOW = at("2026-11-10 10:00")


@pytest.fixture
def fake(settings):
    idp = FakeIdP().start()
    settings.DINGTALK = idp.settings()["DINGTALK"]
    settings.NOTIFY_CHANNELS = ["dingtalk"]
    settings.SITE_URL = "https://minqing.example.gov.cn"
    cache.delete(dingtalk.TOKEN_CACHE_KEY)
    yield idp
    idp.close()
    cache.delete(dingtalk.TOKEN_CACHE_KEY)


def send_notice(cast, url="/cases/1/"):
    notify(recipients=[cast.township_staff, cast.officer], kind="test", title="催办：案件 SZ-1 已超期",
           body="请立即处理", url=url, now=NOW)  # fmt: skip


def test_a_notice_arrives_as_a_work_notification_to_the_linked_userid(cast, fake):
    cast.township_staff.phone = "13812345678"
    cast.township_staff.save(update_fields=["phone"])
    ExternalIdentityFactory(user=cast.township_staff, subject="union-staff", platform_user_id="ding-staff")
    send_notice(cast)
    # Only the person with a DingTalk identity gets an outbox row for the channel.
    assert list(Delivery.objects.values_list("notification__recipient", "channel")) == [
        (cast.township_staff.pk, "dingtalk")
    ]
    assert delivery.deliver(now=NOW).sent == 1
    (message,) = fake.messages
    assert message["agent_id"] == "1001" and message["userid_list"] == "ding-staff"
    markdown = message["msg"]["markdown"]
    assert markdown["title"] == "催办：案件 SZ-1 已超期" and "请立即处理" in markdown["text"]
    assert "https://minqing.example.gov.cn/cases/1/" in markdown["text"]
    assert not re.search(r"1\d{10}", markdown["text"])  # never a phone number


def test_the_app_token_is_fetched_once_for_many_notices(cast, fake):
    ExternalIdentityFactory(user=cast.township_staff, platform_user_id="ding-staff")
    ExternalIdentityFactory(user=cast.officer, platform_user_id="ding-officer")
    send_notice(cast)
    send_notice(cast, url="/cases/2/")
    assert delivery.deliver(now=NOW).sent == 4
    assert fake.token_fetches == 1 and len(fake.messages) == 4


def test_a_refusal_is_retried_and_an_unknown_user_is_given_up(cast, fake, caplog):
    ExternalIdentityFactory(user=cast.township_staff, platform_user_id="ding-staff")
    fake.send_errcodes = [90018]  # "too many calls": worth another go
    send_notice(cast)
    assert delivery.deliver(now=NOW).retrying == 1
    row = Delivery.objects.get()
    assert row.status == "pending" and "errcode 90018" in row.last_error
    assert delivery.deliver(now=row.next_attempt_at).sent == 1
    fake.send_errcodes = [33012]  # no such userid
    send_notice(cast, url="/cases/3/")
    assert delivery.deliver(now=NOW).failed == 1
    assert "app-token" not in caplog.text and "app-token" not in "".join(
        Delivery.objects.values_list("last_error", flat=True)
    )


def test_a_stale_token_is_dropped_and_the_send_retried(cast, fake):
    ExternalIdentityFactory(user=cast.township_staff, platform_user_id="ding-staff")
    cache.set(dingtalk.TOKEN_CACHE_KEY, "expired-token")
    send_notice(cast)
    assert delivery.deliver(now=NOW).retrying == 1
    row = Delivery.objects.get()
    assert delivery.deliver(now=row.next_attempt_at).sent == 1 and fake.token_fetches == 1


def test_a_missing_userid_is_looked_up_from_the_union_id_and_kept(cast, fake):
    identity = ExternalIdentityFactory(user=cast.township_staff, subject=fake.union_id, platform_user_id="")
    send_notice(cast)
    assert delivery.deliver(now=NOW).sent == 1
    assert fake.messages[0]["userid_list"] == fake.userid
    assert ExternalIdentity.objects.get(pk=identity.pk).platform_user_id == fake.userid
