"""Messages to residents: queued once in the caller's transaction, sent by a backend, phones never logged."""

import logging

import pytest

from cases.models import Case
from core.testing.factories import RaisedCaseFactory, ResidentRequestFactory
from residents import messages, sms
from residents.models import Message
from residents.testing.fake_sms import FakeSmsGateway

pytestmark = [pytest.mark.django_db]

PHONE = "13900001234"


@pytest.fixture
def gateway(settings):
    fake = FakeSmsGateway().start()
    settings.SMS_BACKEND = "residents.sms.HttpBackend"
    settings.SMS_GATEWAY = fake.gateway_settings()
    sms._load.cache_clear()
    yield fake
    fake.close()
    sms._load.cache_clear()


@pytest.fixture
def console(settings):
    settings.SMS_BACKEND = "residents.sms.ConsoleBackend"
    sms._load.cache_clear()
    yield
    sms._load.cache_clear()


def test_a_message_is_queued_once_and_sent_once(console, django_capture_on_commit_callbacks, caplog):
    request = ResidentRequestFactory()
    with django_capture_on_commit_callbacks() as nudges:
        first = messages.resident_told(request.pk, "received")
        again = messages.resident_told(request.pk, "received")  # a replay
    assert first is not None and again is None and len(nudges) == 1
    assert Message.objects.filter(request=request).count() == 1
    with caplog.at_level(logging.INFO, logger="residents.sms"):
        assert messages.send([first]) == {"sent": 1, "retrying": 0, "failed": 0}
        assert messages.send([first]) == {"sent": 0, "retrying": 0, "failed": 0}  # the task run twice
    assert caplog.text.count("SMS to") == 1
    # The console backend never logs the number, only its mask; the tracking code is in the text.
    assert PHONE not in caplog.text and "139****1234" in caplog.text
    assert request.tracking_code in caplog.text
    row = Message.objects.get(pk=first)
    assert row.status == "sent" and row.attempts == 1


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        messages.resident_told(ResidentRequestFactory().pk, "gossip")


def test_the_gateway_takes_a_signed_message(gateway):
    request = ResidentRequestFactory()
    pk = messages.resident_told(request.pk, "received")
    assert messages.send([pk])["sent"] == 1
    [taken] = gateway.messages
    assert taken["phone"] == PHONE and taken["template_id"] == "SMS_RECEIVED" and taken["sign_name"] == "清溪民情"
    assert taken["params"] == {"code": request.tracking_code, "url": messages.tracking_url()}


def test_a_wrong_signature_is_refused_and_given_up(gateway, settings):
    settings.SMS_GATEWAY = {**gateway.gateway_settings(), "secret": "not-the-secret"}
    pk = messages.resident_told(ResidentRequestFactory().pk, "received")
    assert messages.send([pk])["failed"] == 1
    row = Message.objects.get(pk=pk)
    assert row.status == "failed" and "403" in row.last_error and not gateway.messages


def test_a_gateway_error_is_retried_later_and_a_4xx_is_given_up(gateway, clock, caplog):
    down = messages.resident_told(ResidentRequestFactory().pk, "received")
    gateway.fail_next = [503]
    assert messages.send([down])["retrying"] == 1
    row = Message.objects.get(pk=down)
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert messages.send([down])["sent"] == 0  # not due yet
    clock.shift(3600)
    assert messages.send()["sent"] == 1  # the periodic pick-up
    assert len(gateway.messages) == 1

    refused = messages.resident_told(ResidentRequestFactory().pk, "answered", 1)
    gateway.fail_next = [400]
    assert messages.send([refused])["failed"] == 1
    assert Message.objects.get(pk=refused).attempts == 1
    assert PHONE not in caplog.text


def test_a_timeout_is_temporary(gateway, monkeypatch):
    monkeypatch.setattr(sms, "TIMEOUT_SECONDS", 0.2)
    gateway.delay = 1
    pk = messages.resident_told(ResidentRequestFactory().pk, "received")
    assert messages.send([pk])["retrying"] == 1


def test_the_mask():
    assert sms.masked("13900001234") == "139****1234"
    assert sms.masked("1234") == "**34"
    assert sms.masked("") == ""


@pytest.mark.clock
def test_feedback_and_redo_on_a_resident_case_tell_the_resident(api, cast, django_capture_on_commit_callbacks):
    case = RaisedCaseFactory(cast=cast, stage="approved")
    Case.objects.filter(pk=case.pk).update(source="resident")
    request = ResidentRequestFactory(case=case)
    body = {"channel": "visit", "content": "已修复", "resident_response": ""}
    r = api.as_user(cast.township_staff).post(f"/api/v1/cases/{case.pk}/feedback/", body, format="json")
    assert r.status_code == 200, r.content
    assert list(Message.objects.filter(request=request).values_list("kind", flat=True)) == ["answered"]
    callback = {"reached": True, "solved": False, "satisfaction": "unsatisfied", "note": ""}
    assert (
        api.as_user(cast.township_staff).post(f"/api/v1/cases/{case.pk}/callback/", callback, format="json").status_code
        == 200
    )
    r = api.as_user(cast.township_staff).post(f"/api/v1/cases/{case.pk}/redo/", {"reason": "仍未解决"}, format="json")
    assert r.status_code == 200, r.content
    assert sorted(Message.objects.filter(request=request).values_list("kind", flat=True)) == ["answered", "redo"]


@pytest.mark.clock
def test_a_case_of_another_source_tells_nobody(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="approved")
    body = {"channel": "visit", "content": "已修复", "resident_response": ""}
    assert (
        api.as_user(cast.township_staff).post(f"/api/v1/cases/{case.pk}/feedback/", body, format="json").status_code
        == 200
    )
    assert not Message.objects.exists()
