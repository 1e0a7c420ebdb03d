"""What every factory shares: the base class, and defaults taken from the standing cast when one is given."""

import datetime

import factory
from factory.django import DjangoModelFactory

from core.testing.moments import SH
from demo.categories import seed_categories


class ModelFactory(DjangoModelFactory):
    class Meta:
        abstract = True
        # No factory here saves in a post-generation hook; a second save would only add queries.
        skip_postgeneration_save = True


def from_cast(path: str, otherwise):
    """``cast.<path>`` when the factory is given ``cast=`` (core.testing.cast), else ``otherwise``.

    Most tests stand on the cast; a factory used without one still makes a whole row of its own.
    """
    return factory.Maybe("cast", factory.SelfAttribute(f"cast.{path}"), otherwise)


def seeded(code: str):
    """A category of the shipped tree (demo.categories, seeded on first use), as the app knows it."""
    return factory.LazyFunction(lambda: seed_categories()[code])


def moment(value: str | datetime.datetime | None) -> datetime.datetime | None:
    """A moment given as "2026-11-10 10:00" (Asia/Shanghai) or as a datetime."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=SH)
    return value
