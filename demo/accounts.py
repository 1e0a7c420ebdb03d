"""The named demo accounts of API.md, each with an active assignment where it is an officer."""

import datetime

from django.db import transaction

from accounts import services
from accounts.models import OrgKind, OrgUnit, StationAssignment, User
from accounts.roles import Role
from demo.org import password_hash

# username → (real name, roles, how to find the home unit, station kind or None)
DEMO_ACCOUNTS = {
    "officer_village": ("周建国", [Role.OFFICER], ("department", 0), ("village", 0)),
    "officer_community": ("陈秀英", [Role.OFFICER], ("department", 1), ("community", 0)),
    "officer_enterprise": ("王志强", [Role.OFFICER], ("department", 2), ("enterprise", 0)),
    "township_staff": ("李春梅", [Role.TOWNSHIP_STAFF], ("township", 0), None),
    "township_office": ("赵海燕", [Role.UNIT_HANDLER], ("township_office", 0), None),
    "dept_handler": ("孙立军", [Role.UNIT_HANDLER], ("department", 0), None),
    "city_office": ("钱文斌", [Role.CITY_OFFICE], ("city", 0), None),
    "leader": ("吴国华", [Role.LEADER], ("city", 0), None),
    "admin": ("管理员", [Role.ADMIN], ("city", 0), None),
    "township_staff_2": ("郑丽娟", [Role.TOWNSHIP_STAFF], ("township", 1), None),
    "officer_village_2": ("冯志刚", [Role.OFFICER], ("department", 3), ("village", 1)),
}


def _unit(city: OrgUnit, kind: str, index: int) -> OrgUnit:
    """The index-th unit of a kind; for stations and offices, in the index-th township."""
    if kind == "city":
        return city
    if kind in {"department", "township"}:
        return OrgUnit.objects.filter(city=city, kind=kind).order_by("code")[index]
    township = OrgUnit.objects.filter(city=city, kind=OrgKind.TOWNSHIP).order_by("code")[index]
    return OrgUnit.objects.filter(township=township, kind=kind).order_by("code")[0]


@transaction.atomic
def ensure_demo_accounts(city: OrgUnit, password: str, start: datetime.date) -> list[str]:
    created = []
    for username, (name, roles, home, station) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, org_unit=_unit(city, *home))
            user.password = password_hash(password)
            user.is_staff = Role.ADMIN in roles
            user.is_superuser = Role.ADMIN in roles
            user.save()
            created.append(username)
        services.user_set_roles(user=user, roles=roles)
        if station and not StationAssignment.objects.filter(officer=user, end__isnull=True).exists():
            services.assignment_save(
                StationAssignment(
                    officer=user, station=_unit(city, *station), dispatching_unit=user.org_unit, start=start
                )
            )
    return created
