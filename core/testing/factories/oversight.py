"""督办单 (oversight): orders as stored, and their counters."""

import datetime

import factory
from django.db import transaction
from django.utils import timezone

from cases.choices import Status
from core.testing.factories.base import ModelFactory
from core.testing.factories.cases import CaseFactory
from oversight.models import OrderCounter, OrderLevel, ScoreSettings, SupervisionOrder
from oversight.services import take_numbers


def _next_serial(city, year: int) -> int:
    with transaction.atomic():  # the counter's row is locked while a number is taken
        return take_numbers(city_id=city.pk, year=year)


class OrderCounterFactory(ModelFactory):
    class Meta:
        model = OrderCounter

    city = factory.SubFactory("core.testing.factories.accounts.CityFactory")
    year = 2026
    last = 0


class SupervisionOrderFactory(ModelFactory):
    """An order as ``order_issue`` leaves it, on a case in progress at a unit (``case=`` to choose one).

    Its serial is taken from its city's year counter, as ``order_issue`` takes it, so an order issued later
    in the same test gets the next number instead of one a factory order already holds.
    """

    class Meta:
        model = SupervisionOrder

    case = factory.SubFactory(
        CaseFactory, status=Status.IN_PROGRESS, unit=factory.SubFactory("core.testing.factories.accounts.OfficeFactory")
    )
    city = factory.SelfAttribute("case.city")
    unit = factory.SelfAttribute("case.unit")
    year = factory.LazyAttribute(lambda o: timezone.localdate(o.issued_at).year)
    serial = factory.LazyAttribute(lambda o: _next_serial(o.city, o.year))
    level = OrderLevel.SUPERVISE
    content = "请于期限内书面报告办理情况"
    issued_at = factory.LazyFunction(timezone.now)
    reply_by = factory.LazyAttribute(lambda o: timezone.localdate(o.issued_at) + datetime.timedelta(days=7))
    issued_by = factory.SubFactory(
        "core.testing.factories.accounts.UserFactory", roles=["city_office"], org_unit=factory.SelfAttribute("..city")
    )

    @factory.post_generation
    def flag_case(obj, create, extracted, **kwargs):
        """``order_issue`` flags its case supervised; the case page shows orders of supervised cases only."""
        if create and not obj.case.supervised:
            type(obj.case).objects.filter(pk=obj.case_id).update(supervised=True)
            obj.case.supervised = True


class ScoreSettingsFactory(ModelFactory):
    """The score settings with OVERSIGHT.md's defaults (the model's); pass fields to change them."""

    class Meta:
        model = ScoreSettings
