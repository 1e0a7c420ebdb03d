"""Factories of the residents' channel (RESIDENTS.md)."""

import factory
from django.utils import timezone

from core.testing.factories.accounts import VillageFactory
from core.testing.factories.base import ModelFactory
from core.testing.factories.cases import CaseFactory
from core.testing.payloads import JPEG
from residents.models import Message, ResidentPhoto, ResidentRequest, StationCode, TrackingMiss


class StationCodeFactory(ModelFactory):
    class Meta:
        model = StationCode
        django_get_or_create = ("station",)

    station = factory.SubFactory(VillageFactory)


class ResidentRequestFactory(ModelFactory):
    """The request row beside a case row as stored (source resident); no service run."""

    class Meta:
        model = ResidentRequest

    case = factory.SubFactory(CaseFactory, source="resident", reporter_name="李四", reporter_phone="13900001234")
    station_code = factory.SubFactory(StationCodeFactory)
    secret = factory.Sequence(lambda n: f"K{n:05d}")
    phone_tail = "1234"
    consent_at = factory.LazyFunction(timezone.now)


class MessageFactory(ModelFactory):
    """A queued message to the resident of a request (residents.messages writes them)."""

    class Meta:
        model = Message

    request = factory.SubFactory(ResidentRequestFactory)
    kind = Message.Kind.RECEIVED
    key = factory.LazyAttribute(lambda m: m.kind)


class ResidentPhotoFactory(ModelFactory):
    class Meta:
        model = ResidentPhoto

    request = factory.SubFactory(ResidentRequestFactory)
    file = factory.django.FileField(filename="p.jpg", data=JPEG)
    content_type = "image/jpeg"
    size = len(JPEG)


class TrackingMissFactory(ModelFactory):
    class Meta:
        model = TrackingMiss

    address_hash = factory.Sequence(lambda n: f"{n:064x}")
