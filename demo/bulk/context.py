"""Who and where a year of history happens: townships, desks, units and their handlers, stations, officers."""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import TOWNSHIP_KINDS, OrgKind, OrgUnit, StationAssignment, User, UserRole
from accounts.roles import Role
from cases.models import Category
from demo.categories import TREE

# Which township office takes a township case, by top-level category.
OFFICE_OF = {"infra": "村镇建设办公室", "agri": "农业农村办公室", "dispute": "综合治理办公室", "enterprise": "社会事务办公室",
             "welfare": "社会事务办公室", "environment": "综合治理办公室", "safety": "村镇建设办公室",
             "policy": "社会事务办公室", "other": "综合治理办公室"}  # fmt: skip
DEPARTMENT_OF = {child: dept for _c, _n, _d, children in TREE for child, _cn, _cd, dept in children}


@dataclass
class Township:
    id: int
    city_id: int
    name: str
    desk: int  # a township staff member's user id
    offices: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → (unit id, handler id)
    villages: list[str] = field(default_factory=list)


@dataclass
class City:
    id: int
    office: int  # a city office user id
    departments: dict[str, tuple[int, int]] = field(default_factory=dict)
    townships: list[Township] = field(default_factory=list)


@dataclass
class Context:
    cities: list[City]
    townships: dict[int, Township]
    assignments: list[tuple]  # (officer id, station id, township id, city id, kind, station name)
    categories: list[tuple[str, int, str]]  # leaf (code, id, default difficulty)


def _user(username: str, name: str, unit: OrgUnit, role: str, hashed: str) -> int:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, name=name, org_unit=unit, password=hashed)
        UserRole.objects.get_or_create(user=user, role=role)
    return user.pk


@transaction.atomic
def load(cities: list[OrgUnit], password: str) -> Context:
    """Read the organisation built by demo.org, adding a desk per township and a handler per unit."""
    hashed = make_password(password)  # one hash for all of them: seeding stays fast
    out, townships = [], {}
    for city in cities:
        office = _user(f"{city.code.lower()}_office", f"{city.name}民情办值班员", city, Role.CITY_OFFICE, hashed)
        c = City(id=city.pk, office=office)
        for unit in OrgUnit.objects.filter(city=city, kind=OrgKind.DEPARTMENT).order_by("code"):
            handler = _user(f"{unit.code.lower()}_handler", f"{unit.name}值班员", unit, Role.UNIT_HANDLER, hashed)
            c.departments.setdefault(unit.name, (unit.pk, handler))
        for t in OrgUnit.objects.filter(city=city, kind__in=TOWNSHIP_KINDS).order_by("code"):
            desk = _user(f"{t.code.lower()}_desk", f"{t.name}民情办", t, Role.TOWNSHIP_STAFF, hashed)
            township = Township(id=t.pk, city_id=city.pk, name=t.name, desk=desk)
            for unit in OrgUnit.objects.filter(township=t, kind=OrgKind.TOWNSHIP_OFFICE).order_by("code"):
                handler = _user(f"{unit.code.lower()}_handler", f"{unit.name}值班员", unit, Role.UNIT_HANDLER, hashed)
                township.offices[unit.name] = (unit.pk, handler)
            township.villages = list(
                OrgUnit.objects.filter(township=t, kind=OrgKind.VILLAGE).order_by("code").values_list("name", flat=True)
            )
            c.townships.append(township)
            townships[t.pk] = township
        out.append(c)
    assignments = list(
        StationAssignment.objects.filter(station__city__in=cities, end__isnull=True, officer__is_active=True)
        .order_by("officer_id", "station_id")
        .values_list("officer_id", "station_id", "station__township_id", "station__city_id", "station__kind",
                     "station__name")
    )  # fmt: skip
    categories = list(
        Category.objects.filter(parent__isnull=False, is_active=True)
        .order_by("code")
        .values_list("code", "id", "default_difficulty")
    )
    return Context(cities=out, townships=townships, assignments=assignments, categories=categories)


def township_unit(township: Township, code: str, rng, *, avoid: int | None = None) -> tuple[int, int]:
    """(unit id, handler id) of the township office for a category; another one when re-dispatching."""
    choice = township.offices.get(OFFICE_OF[code.split(".")[0]])
    if choice is None or choice[0] == avoid:
        choice = rng.choice([o for o in township.offices.values() if o[0] != avoid] or list(township.offices.values()))
    return choice


def city_unit(city: City, code: str, rng, *, avoid: int | None = None) -> tuple[int, int]:
    choice = city.departments.get(DEPARTMENT_OF.get(code) or "")
    if choice is None or choice[0] == avoid:
        choice = rng.choice([d for d in city.departments.values() if d[0] != avoid])
    return choice
