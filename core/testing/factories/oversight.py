"""督办单 (oversight): orders as stored, and their counters."""

import datetime

import factory
from django.utils import timezone

from cases.choices import Status
from core.testing.factories.base import ModelFactory
from core.testing.factories.cases import CaseFactory
from oversight.models import OrderCounter, OrderLevel, ScoreSettings, SupervisionOrder


class OrderCounterFactory(ModelFactory):
    class Meta:
        model = OrderCounter

    city = factory.SubFactory("core.testing.factories.accounts.CityFactory")
    year = 2026
    last = 0


class SupervisionOrderFactory(ModelFactory):
    """An order as ``order_issue`` leaves it, on a case in progress at a unit (``case=`` to choose one).

    Its serial is the next free one of its city's year; the counter is not touched.
    """

    class Meta:
        model = SupervisionOrder

    case = factory.SubFactory(
        CaseFactory, status=Status.IN_PROGRESS, unit=factory.SubFactory("core.testing.factories.accounts.OfficeFactory")
    )
    city = factory.SelfAttribute("case.city")
    unit = factory.SelfAttribute("case.unit")
    year = factory.LazyAttribute(lambda o: timezone.localdate(o.issued_at).year)
    serial = factory.Sequence(lambda n: n + 1)
    level = OrderLevel.SUPERVISE
    content = "请于期限内书面报告办理情况"
    issued_at = factory.LazyFunction(timezone.now)
    reply_by = factory.LazyAttribute(lambda o: timezone.localdate(o.issued_at) + datetime.timedelta(days=7))
    issued_by = factory.SubFactory(
        "core.testing.factories.accounts.UserFactory", roles=["city_office"], org_unit=factory.SelfAttribute("..city")
    )


class ScoreSettingsFactory(ModelFactory):
    """The score settings with OVERSIGHT.md's defaults (the model's); pass fields to change them."""

    class Meta:
        model = ScoreSettings
