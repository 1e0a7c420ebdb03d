"""Factories of the household ledger (HOUSEHOLDS.md)."""

import factory

from accounts.roles import Role
from core.testing.factories.accounts import UserFactory, VillageFactory
from core.testing.factories.base import ModelFactory
from households.models import HandoverNote, Household, HouseholdTag


class HouseholdTagFactory(ModelFactory):
    class Meta:
        model = HouseholdTag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"标签{n}")
    interval_days = None


class HouseholdFactory(ModelFactory):
    """A household record of a village (township and city copied from the station).

    The stored schedule fields (interval, last visit, next visit due) are left empty:
    tests that need them go through households.services.
    """

    class Meta:
        model = Household

    station = factory.SubFactory(VillageFactory)
    township = factory.LazyAttribute(lambda o: o.station.township)
    city = factory.LazyAttribute(lambda o: o.station.city)
    name = factory.Sequence(lambda n: f"住户{n}")
    address = factory.Sequence(lambda n: f"一组{n}号")
    phone = "13812345678"
    members = 3


class HandoverNoteFactory(ModelFactory):
    class Meta:
        model = HandoverNote

    station = factory.SubFactory(VillageFactory)
    author = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    text = "村东头王大爷独居，每月去一次。"
