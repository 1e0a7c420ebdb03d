"""督办单 (oversight): orders as stored, and their counters."""

import datetime

import factory
from django.db import transaction
from django.utils import timezone

from cases.choices import Status
from core.testing.factories.base import ModelFactory
from core.testing.factories.cases import CaseFactory
from oversight.models import (
    AppealDecision,
    AwardDecision,
    AwardKind,
    OrderCounter,
    OrderLevel,
    ScoreAppeal,
    ScoreSettings,
    SupervisionOrder,
)
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


def _last_month(o) -> datetime.date:
    return (timezone.localdate(o.filed_at).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class ScoreAppealFactory(ModelFactory):
    """A pending 申诉 of the case's unit on the month before it was filed (``upheld=True`` / ``rejected=True``)."""

    class Meta:
        model = ScoreAppeal

    class Params:
        upheld = factory.Trait(decision=AppealDecision.UPHELD, decided_at=factory.SelfAttribute("filed_at"),
                               decided_by=factory.SelfAttribute("filed_by"))  # fmt: skip
        rejected = factory.Trait(decision=AppealDecision.REJECTED, decided_at=factory.SelfAttribute("filed_at"),
                                 decided_by=factory.SelfAttribute("filed_by"), note="理由不充分")  # fmt: skip

    case = factory.SubFactory(
        CaseFactory, status=Status.IN_PROGRESS, unit=factory.SubFactory("core.testing.factories.accounts.OfficeFactory")
    )
    unit = factory.SelfAttribute("case.unit")
    filed_at = factory.LazyFunction(timezone.now)
    month = factory.LazyAttribute(_last_month)
    reason = "该事项属于政策性问题，非本单位原因超期"
    filed_by = factory.SubFactory(
        "core.testing.factories.accounts.UserFactory", roles=["unit_handler"], org_unit=factory.SelfAttribute("..unit")
    )


class AwardDecisionFactory(ModelFactory):
    """A confirmed award list of a city's month (``units``: OrgUnit ids, in order)."""

    class Meta:
        model = AwardDecision

    city = factory.SubFactory("core.testing.factories.accounts.CityFactory")
    month = datetime.date(2026, 10, 1)
    kind = AwardKind.RUNNING
    units = factory.LazyFunction(list)
    proposed = factory.SelfAttribute("units")
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmed_by = factory.SubFactory(
        "core.testing.factories.accounts.UserFactory", roles=["city_office"], org_unit=factory.SelfAttribute("..city")
    )
