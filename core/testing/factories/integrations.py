"""Factories of the other platforms (integrations): platforms, mappings, orders and pushes."""

import factory

from core.testing.factories.accounts import CityFactory
from core.testing.factories.base import ModelFactory, from_cast
from core.testing.factories.cases import CategoryFactory
from integrations.models import AwaitingOrder, CategoryMapping, DeadPush, InboundOrder, Push, Source


class SourceFactory(ModelFactory):
    """A platform; tests that receive its pushes give the fake platform's ``push_url``."""

    class Meta:
        model = Source
        django_get_or_create = ("code",)

    class Params:
        cast = None

    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"12345热线{n}")
    secret = "test-secret-0123456789abcdef"
    push_url = ""
    city = from_cast("city", factory.SubFactory(CityFactory))


class CategoryMappingFactory(ModelFactory):
    class Meta:
        model = CategoryMapping

    source = factory.SubFactory(SourceFactory)
    external_code = factory.Sequence(lambda n: f"X{n:04d}")
    category = factory.SubFactory(CategoryFactory)


class InboundOrderFactory(ModelFactory):
    """An order waiting for a mapping (no case); ``order_create_case`` gives it one."""

    class Meta:
        model = InboundOrder

    source = factory.SubFactory(SourceFactory)
    external_id = factory.Sequence(lambda n: f"GD{n:08d}")
    status = InboundOrder.Status.AWAITING_MAPPING
    payload = factory.LazyAttribute(
        lambda o: {"category_code": "X9999", "title": "路灯不亮", "content": "村口路灯坏了一周", "reporter_name": "王先生",
                   "address": "东溪村口", "township_code": "", "deadline": "", "reported_at": "2026-11-25T09:00:00+08:00"}
    )  # fmt: skip


class AwaitingOrderFactory(InboundOrderFactory):
    class Meta:
        model = AwaitingOrder


class PushFactory(ModelFactory):
    class Meta:
        model = Push

    order = factory.SubFactory(InboundOrderFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    event = "sign"
    payload = factory.LazyAttribute(
        lambda o: {"external_id": o.order.external_id, "event": o.event, "status": "in_progress",
                   "at": "2026-11-25T10:00:00+08:00", "text": ""}
    )  # fmt: skip


class DeadPushFactory(PushFactory):
    class Meta:
        model = DeadPush

    status = Push.Status.DEAD
    attempts = 30
    last_error = "ConnectionError"
