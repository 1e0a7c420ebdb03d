"""POST /api/v1/inbound/orders/: the signature, idempotency, and where the order goes."""

import time

import pytest

from cases.choices import Level, Source
from cases.models import Case
from core.testing.factories import CategoryMappingFactory
from integrations.models import InboundOrder
from integrations.tests.conftest import URL, order, signed
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def nothing_written():
    return not InboundOrder.objects.exists() and not Case.objects.exists()


def test_a_signed_order_raises_a_township_case(client, cast, platform):
    r = signed(client, platform, order())
    assert r.status_code == 201, r.content
    placed = InboundOrder.objects.get()
    case = placed.case
    assert r.json() == {"order": placed.pk, "case": case.code, "status": "created"}
    assert (case.source, case.level, case.township, case.status) == (
        Source.HOTLINE_12345, Level.TOWNSHIP, cast.township, "pending_dispatch")  # fmt: skip
    assert case.category.code == "test.road" and case.reporter_phone == "13812345678"
    # The phone lives on the case only.
    assert placed.reporter_phone == "" and "13812345678" not in str(placed.payload)
    assert not case.created_by.is_active and case.created_by.role_names == {"township_staff"}


def test_without_a_known_township_the_city_office_dispatches(client, cast, platform):
    r = signed(client, platform, order(township_code="NOWHERE"))
    assert r.status_code == 201, r.content
    case = InboundOrder.objects.get().case
    assert (case.level, case.township, case.city) == (Level.CITY, None, cast.city)
    assert case.created_by.role_names == {"city_office"}


@pytest.mark.parametrize(
    "change",
    [
        {"HTTP_X_MINQING_SOURCE": None},
        {"HTTP_X_MINQING_TIMESTAMP": None},
        {"HTTP_X_MINQING_SIGNATURE": None},
        {"HTTP_X_MINQING_SOURCE": "99999"},
        {"HTTP_X_MINQING_SIGNATURE": "0" * 64},
        {"secret": "not-the-secret-of-the-platform"},
        {"stamp": -301},
        {"stamp": 301},
        {"HTTP_X_MINQING_TIMESTAMP": "soon"},
    ],
    ids=["no-source", "no-timestamp", "no-signature", "unknown-source", "wrong-signature", "wrong-secret",
         "old", "future", "not-a-number"],
)  # fmt: skip
def test_an_unsigned_or_stale_order_is_401_and_writes_nothing(client, platform, change, caplog):
    change = dict(change)
    if "stamp" in change:
        change["stamp"] = int(time.time()) + change["stamp"]
    r = signed(client, platform, order(), **change)
    assert r.status_code == 401 and "detail" in r.json()
    assert nothing_written()
    assert "refused" in caplog.text and "13812345678" not in caplog.text and "路灯" not in caplog.text


def test_an_inactive_platform_is_401(client, platform):
    platform.is_active = False
    platform.save()
    assert signed(client, platform, order()).status_code == 401
    assert nothing_written()


def test_a_replayed_request_is_401(client, platform):
    stamp = int(time.time())
    assert signed(client, platform, order(), stamp=stamp).status_code == 201
    r = signed(client, platform, order(external_id="GD2"), stamp=stamp)  # a new body: a new signature, fine
    assert r.status_code == 201
    again = signed(client, platform, order(external_id="GD2"), stamp=stamp)
    assert again.status_code == 401
    assert InboundOrder.objects.count() == 2


def test_the_same_order_again_is_200_with_the_same_answer(client, platform):
    first = signed(client, platform, order())
    second = signed(client, platform, order(title="改过的标题"), stamp=int(time.time()) + 1)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Case.objects.count() == 1 and Case.objects.get().title == "村口路灯不亮"


@pytest.mark.parametrize(
    "change",
    [{"title": ""}, {"reporter_phone": "12"}, {"reported_at": "yesterday"}, {"deadline": "2026-13-40"},
     {"external_id": "   "}, {"content": "a\x00b"}, {"title": "x" * 201}],
)  # fmt: skip
def test_bad_fields_are_400_and_write_nothing(client, platform, change):
    r = signed(client, platform, order(**change))
    assert r.status_code == 400
    assert next(iter(change)) in r.json()
    assert nothing_written()


def test_a_body_that_is_not_json_is_400(client, platform):
    import json

    body = b"{not json"
    stamp = str(int(time.time()))
    from integrations import signing

    r = client.post(URL, data=body, content_type="application/json", HTTP_X_MINQING_SOURCE=platform.code,
                    HTTP_X_MINQING_TIMESTAMP=stamp, HTTP_X_MINQING_SIGNATURE=signing.sign(platform.secret, stamp, body))  # fmt: skip
    assert r.status_code == 400 and json.loads(r.content)
    assert nothing_written()


def test_a_persons_session_does_not_open_it(client, cast, platform):
    client.force_login(cast.city_office)
    r = client.post(URL, data=order(), content_type="application/json")
    assert r.status_code == 401 and nothing_written()


def test_an_unknown_category_waits_for_a_mapping_then_the_admin_creates_the_case(client, cast, platform):
    r = signed(client, platform, order(category_code="LAMP"))
    assert r.status_code == 202
    placed = InboundOrder.objects.get()
    assert r.json() == {"order": placed.pk, "case": None, "status": "awaiting_mapping"}
    assert not Case.objects.exists() and placed.reporter_phone == "13812345678"
    notice = Notification.objects.get(kind="integrations.awaiting_mapping")
    assert notice.recipient == cast.city_office and "LAMP" in notice.body

    client.force_login(cast.admin)
    queue = client.get("/admin/integrations/awaitingorder/")
    assert queue.status_code == 200 and placed.external_id in queue.content.decode()
    action = {"action": "create_case", "_selected_action": [placed.pk]}
    client.post("/admin/integrations/awaitingorder/", action)
    assert not Case.objects.exists()  # still no mapping: the order keeps waiting

    CategoryMappingFactory(source=platform, external_code="LAMP")
    client.post("/admin/integrations/awaitingorder/", action)
    placed.refresh_from_db()
    assert placed.status == "created" and placed.case.reporter_phone == "13812345678"
    assert placed.reporter_phone == ""
    assert placed.external_id not in client.get("/admin/integrations/awaitingorder/").content.decode()
