"""Factories of notices, their deliveries, the sweep's claims and the chat robots."""

import factory
from django.utils import timezone

from core.testing.factories.accounts import TownshipFactory, UserFactory
from core.testing.factories.base import ModelFactory
from core.testing.factories.cases import CaseFactory
from notifications.models import Delivery, Notification, SweepClaim, WebhookEndpoint


class SweepClaimFactory(ModelFactory):
    """The sweep's claim on a case's running deadline."""

    class Meta:
        model = SweepClaim

    rule = "reminder"
    case = factory.SubFactory(CaseFactory, clock="handle", due="2026-11-26 10:00")
    clock = factory.SelfAttribute("case.clock")
    due_at = factory.SelfAttribute("case.due_at")
    run = factory.Sequence(lambda n: f"run{n:08d}")
    claimed_at = factory.LazyFunction(timezone.now)


class NotificationFactory(ModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = "测试消息"


class DeliveryFactory(ModelFactory):
    class Meta:
        model = Delivery

    notification = factory.SubFactory(NotificationFactory)
    channel = "email"


class WebhookEndpointFactory(ModelFactory):
    """A robot of a unit; tests that post to it give the local robot's ``url`` and ``secret``."""

    class Meta:
        model = WebhookEndpoint

    org_unit = factory.SubFactory(TownshipFactory)
    url = "http://127.0.0.1:9/robot/send?access_token=tok-1"
    secret = "SEC-test-secret-0123456789"
