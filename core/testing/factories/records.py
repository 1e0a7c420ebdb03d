"""Factories of the bookkeeping rows: the audit trail, idempotency keys and the workday calendar."""

import datetime

import factory
from django.utils import timezone

from audit.models import AuditEvent
from core.models import IdempotencyKey, WorkdayOverride
from core.testing.factories.accounts import UserFactory
from core.testing.factories.base import ModelFactory


class AuditEventFactory(ModelFactory):
    """An audit row as audit.services.audit_log writes it, but at any moment: the trail is append-only."""

    class Meta:
        model = AuditEvent

    user = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda o: o.user.username if o.user else "")
    action = "login"
    outcome = "ok"
    at = factory.LazyFunction(timezone.now)


class IdempotencyKeyFactory(ModelFactory):
    class Meta:
        model = IdempotencyKey

    user = factory.SubFactory(UserFactory)
    scope = "diary.create"
    key = factory.Sequence(lambda n: f"key-{n}")
    fingerprint = "0" * 64
    status = 201
    body = factory.LazyFunction(lambda: {"id": 1})


class WorkdayOverrideFactory(ModelFactory):
    """A day the calendar is told about; a holiday unless ``is_working_day``."""

    class Meta:
        model = WorkdayOverride
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))
    is_working_day = False
    name = ""
