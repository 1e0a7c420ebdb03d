"""Results back to the platform: one push per later event, sent in order, retried, never twice."""

import datetime
import json

import pytest

from cases.models import CaseEvent
from core.testing import lifecycle
from integrations import pushes
from integrations.fake import FakePlatform
from integrations.models import InboundOrder, Push
from integrations.tests.conftest import order, signed

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def fake(platform):
    running = FakePlatform(platform.secret).start()
    platform.push_url = running.url
    platform.save()
    yield running
    running.stop()


def raised(client, platform):
    assert signed(client, platform, order()).status_code == 201
    return InboundOrder.objects.get().case


def take(case, cast, *stages, **kw):
    for stage in stages:
        lifecycle.STAGES[stage].take(case, cast, **kw.get(stage, {}))


def later_events(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).exclude(action="raise").values_list("action", flat=True))


def test_an_order_handled_to_its_close_is_pushed_step_by_step_in_order(client, cast, platform, fake):
    case = raised(client, platform)
    assert not Push.objects.exists()  # the raise answered the POST itself
    take(case, cast, "dispatched", "signed")
    assert pushes.deliver().sent == 2
    take(case, cast, "replied", "approved", "fed_back", "closed", fed_back={"by": cast.township_staff})
    pushes.deliver()
    assert pushes.deliver().sent == 0  # nothing left, nothing again

    events = later_events(case)
    assert events[:2] == ["dispatch", "sign"] and events[-1] == "callback" and len(events) == 6
    assert [p["event"] for p in fake.received] == events
    assert {p["external_id"] for p in fake.received} == {"GD20261125001"}
    assert fake.received[-1]["status"] == "closed" and not fake.refused
    assert PHONE not in json.dumps(fake.received, ensure_ascii=False)
    assert list(Push.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_a_case_of_a_platform_without_a_push_url_pushes_nothing(client, cast, platform):
    case = raised(client, platform)
    take(case, cast, "dispatched")
    assert not Push.objects.exists()


def test_a_platform_down_for_a_while_gets_every_push_once_in_order(client, cast, platform, fake, clock):
    case = raised(client, platform)
    fake.stop()
    take(case, cast, "dispatched", "signed", "replied")
    first = Push.objects.get(sequence=1)
    assert pushes.deliver().retrying == 1  # the first fails; the later ones wait behind it
    first.refresh_from_db()
    assert (first.attempts, first.last_error) == (1, "ConnectionError")
    assert Push.objects.filter(attempts=0).count() == 2

    clock.shift(datetime.timedelta(seconds=30))
    assert pushes.deliver().retrying == 0  # not due yet
    for wait in (1, 2, 4):  # minutes
        clock.shift(datetime.timedelta(minutes=wait, seconds=1))
        assert pushes.deliver().retrying == 1
    first.refresh_from_db()
    assert first.attempts == 4 and first.status == "pending"

    fake.start()
    clock.shift(datetime.timedelta(minutes=8, seconds=1))
    assert pushes.deliver().sent == 3
    assert pushes.deliver().sent == 0
    assert [p["event"] for p in fake.received] == ["dispatch", "sign", "reply"] == later_events(case)


def test_the_backoff_doubles_up_to_an_hour():
    assert [pushes.backoff(n).total_seconds() // 60 for n in (1, 2, 3, 6, 7, 10)] == [1, 2, 4, 32, 60, 60]


def test_a_day_of_failures_makes_a_push_dead_and_the_admin_puts_it_back(client, cast, platform, fake, clock):
    case = raised(client, platform)
    fake.stop()
    take(case, cast, "dispatched", "signed")
    pushes.deliver()
    for _hour in range(25):
        clock.shift(datetime.timedelta(hours=1, seconds=1))
        pushes.deliver()
    dead = Push.objects.get(sequence=1)
    assert dead.status == "dead" and Push.objects.get(sequence=2).status == "pending"

    client.force_login(cast.admin)
    assert str(dead.order.external_id) in client.get("/admin/integrations/deadpush/").content.decode()
    client.post("/admin/integrations/deadpush/", {"action": "retry", "_selected_action": [dead.pk]})
    fake.start()
    assert pushes.deliver().sent == 2
    assert [p["event"] for p in fake.received] == ["dispatch", "sign"]


def test_a_push_refused_by_the_platform_is_retried(client, cast, platform, fake):
    case = raised(client, platform)
    fake.answer = 503
    take(case, cast, "dispatched")
    assert pushes.deliver().retrying == 1
    assert Push.objects.get().last_error == "HTTP 503"


def test_beat_sends_pushes_every_minute(client, cast, platform, fake, settings):
    from integrations.tasks import send_pushes

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "integrations.send_pushes")
    assert entry["schedule"] == 60
    case = raised(client, platform)
    take(case, cast, "dispatched")
    assert send_pushes.apply().get() == {"sent": 1, "retrying": 0, "dead": 0}


def test_the_sweep_writing_overdue_on_the_timeline_pushes_it_too(client, cast, platform, fake):
    from django.core.management import call_command

    case = raised(client, platform)
    plain = lifecycle.STAGES["raised"].take(case, cast)  # our own case beside it pushes nothing
    assert plain.due_at
    call_command("sweep_deadlines", at=(case.due_at + datetime.timedelta(minutes=1)).isoformat(), stdout=None)
    assert later_events(case) == ["overdue"]
    assert pushes.deliver().sent == 1
    assert [(p["event"], p["status"]) for p in fake.received] == [("overdue", "pending_dispatch")]
