"""Factories of the organisation tree and its people.

Units, station assignments and roles carry rules that live in accounts.services
(derived city and township, station kinds and overlaps, the role cache), so these
factories create through those services: a factory cannot make a row the app could not.
"""

import datetime

import factory
from django.contrib.auth.hashers import make_password

from accounts import services
from accounts.models import (
    AddressLock,
    ApiToken,
    CitySettings,
    CoBuildingLink,
    ExternalIdentity,
    LoginLock,
    OrgKind,
    OrgUnit,
    PasswordHistory,
    StationAssignment,
    User,
    UserRole,
)
from accounts.roles import Role
from core.testing.factories.base import ModelFactory, from_cast

PASSWORD = "Test-pass-2026"


class OrgUnitFactory(ModelFactory):
    """A unit, saved through ``org_unit_save``; a city unless told otherwise."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgKind.CITY
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.org_unit_save(model_class(*args, **kwargs))


class CityFactory(OrgUnitFactory):
    kind = OrgKind.CITY


class TownshipFactory(OrgUnitFactory):
    kind = OrgKind.TOWNSHIP
    parent = factory.SubFactory(CityFactory)


class VillageFactory(OrgUnitFactory):
    kind = OrgKind.VILLAGE
    parent = factory.SubFactory(TownshipFactory)


class OfficeFactory(OrgUnitFactory):
    """A township office: the unit a township desk dispatches to."""

    kind = OrgKind.TOWNSHIP_OFFICE
    parent = factory.SubFactory(TownshipFactory)


class DepartmentFactory(OrgUnitFactory):
    kind = OrgKind.DEPARTMENT
    parent = factory.SubFactory(CityFactory)


class CoBuildingLinkFactory(ModelFactory):
    class Meta:
        model = CoBuildingLink

    village = factory.SubFactory(VillageFactory)
    partner = factory.SubFactory(DepartmentFactory, parent=factory.SelfAttribute("..village.city"))
    note = "结对共建"


class UserFactory(ModelFactory):
    """A person who signs in with PASSWORD; ``roles`` are given through ``user_set_roles``.

    An administrator is staff and superuser, as the admin pages expect of one.
    """

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyAttribute(lambda o: o.username)
    org_unit = None
    roles = ()
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, roles=(), password=PASSWORD, **kwargs):
        admin = Role.ADMIN in roles
        kwargs.setdefault("is_staff", admin)
        kwargs.setdefault("is_superuser", admin)
        user = model_class(*args, **kwargs)
        user.set_password(password)
        user.save()
        services.user_set_roles(user=user, roles=roles)
        return user


class UserRoleFactory(ModelFactory):
    """One more role for a user, added through ``user_set_roles``."""

    class Meta:
        model = UserRole

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER

    @classmethod
    def _create(cls, model_class, *, user, role):
        services.user_set_roles(user=user, roles={*user.roles.values_list("role", flat=True), role})
        return user.roles.get(role=role)


class StationAssignmentFactory(ModelFactory):
    """An officer stationed at a village (community, enterprise), saved through ``assignment_save``.

    With ``cast=`` the officer is the cast's, sent by the cast's department.
    """

    class Meta:
        model = StationAssignment

    class Params:
        cast = None

    officer = from_cast("officer", factory.SubFactory(UserFactory, roles=[Role.OFFICER]))
    station = factory.SubFactory(VillageFactory)
    dispatching_unit = from_cast(
        "department", factory.SubFactory(DepartmentFactory, parent=factory.SelfAttribute("..station.city"))
    )
    start = datetime.date(2026, 1, 1)
    end = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.assignment_save(model_class(*args, **kwargs))


class LoginLockFactory(ModelFactory):
    class Meta:
        model = LoginLock

    username = factory.Sequence(lambda n: f"user{n}")
    failures = 0


class AddressLockFactory(ModelFactory):
    class Meta:
        model = AddressLock

    address = factory.Sequence(lambda n: f"198.51.100.{n % 250 + 1}")
    failures = 0


class PasswordHistoryFactory(ModelFactory):
    """A password the user had before (its hash, as the validator records it)."""

    class Meta:
        model = PasswordHistory

    user = factory.SubFactory(UserFactory)
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class ExternalIdentityFactory(ModelFactory):
    """A single sign-on account linked to a user, as an admin links one (DingTalk unless told otherwise)."""

    class Meta:
        model = ExternalIdentity

    user = factory.SubFactory(UserFactory)
    provider = "dingtalk"
    subject = factory.Sequence(lambda n: f"union-{n:04d}")
    platform_user_id = factory.Sequence(lambda n: f"ding-{n:04d}")


class TokenFactory(ModelFactory):
    """An API token as /api/v1/auth/token/ hands one out (accounts.ApiToken, stored hashed); the key, which
    the database never holds, is on the instance as ``key``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    device = "test phone"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token, key = model_class.objects.create(*args, **kwargs)
        token.key = key
        return token


class CitySettingsFactory(ModelFactory):
    """A county's own choices (the defaults unless a test says otherwise)."""

    class Meta:
        model = CitySettings
        django_get_or_create = ("city",)

    city = factory.SubFactory(CityFactory)
