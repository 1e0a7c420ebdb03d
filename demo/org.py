"""Builds cities, townships, stations, units, people and assignments in bulk.

The demo scale and the benchmark scales share this code; only the sizes
differ. Rows are keyed by code / username, so a second run adds nothing.
"""

import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from accounts.models import TOWNSHIP_KINDS, CoBuildingLink, OrgKind, OrgUnit, StationAssignment, User, UserRole
from accounts.roles import Role
from accounts.services import org_units_relabel
from demo.names import DEPARTMENTS, PARTNERS, TOWNSHIP_OFFICES, TOWNSHIPS, NameMaker


@functools.cache
def password_hash(password: str) -> str:
    """The demo password hashed once for every demo account: the production hasher takes ~0.25 s a
    hash on purpose, which took 18 s of a 70 s seed when each of the ~80 accounts hashed its own."""
    return make_password(password)


@dataclass(frozen=True)
class Sizes:
    cities: int
    townships_per_city: int
    villages: int  # per township
    communities: int
    enterprises: int
    departments: int  # per city
    officers: int  # in all


SCALES = {
    "demo": Sizes(
        cities=1, townships_per_city=9, villages=5, communities=1, enterprises=4, departments=12, officers=100
    ),
    "county": Sizes(
        cities=1, townships_per_city=21, villages=11, communities=3, enterprises=27, departments=16, officers=943
    ),
    # QUALITY.md's province reference: 25 townships and ~80 units over a few cities.
    # HOUSEHOLDS.md "Scale": ~9,000,000 households in villages and communities of 200–800, so about
    # 20,000 of them (740 a township), each with its officer, beside the 270 enterprise officers.
    "province": Sizes(
        cities=3, townships_per_city=9, villages=600, communities=140, enterprises=20, departments=16, officers=20_250
    ),
}
CITY_NAMES = [("清溪市", "清溪"), ("剡源市", "剡源"), ("会稽市", "会稽"), ("若耶市", "若耶")]


@transaction.atomic
def build_org(scale: str, seed: int) -> list[OrgUnit]:
    sizes = SCALES[scale]
    names = NameMaker(seed)
    existing = set(OrgUnit.objects.values_list("code", flat=True))
    cities = []
    for c in range(sizes.cities):
        name, short = CITY_NAMES[c]
        city, created = OrgUnit.objects.get_or_create(
            code=f"C{c + 1:02d}", defaults={"name": name, "kind": OrgKind.CITY}
        )
        if created:
            OrgUnit.objects.filter(pk=city.pk).update(city=city)
        cities.append((city, short))

    second = []  # townships, parks and departments, under a city
    for city, _short in cities:
        c = city.code
        for t in range(sizes.townships_per_city):
            is_park = t == sizes.townships_per_city - 1
            name = f"{city.name[:2]}经济开发区" if is_park else TOWNSHIPS[t % len(TOWNSHIPS)]
            kind = OrgKind.PARK if is_park else OrgKind.TOWNSHIP
            second.append(OrgUnit(code=f"{c}T{t + 1:02d}", name=name, kind=kind, parent=city, city=city, sort_order=t))
        for d in range(sizes.departments):
            second.append(
                OrgUnit(code=f"{c}D{d + 1:02d}", name=DEPARTMENTS[d % len(DEPARTMENTS)], kind=OrgKind.DEPARTMENT,
                        parent=city, city=city, sort_order=100 + d)
            )  # fmt: skip
        for p, partner in enumerate(PARTNERS):
            second.append(OrgUnit(code=f"{c}P{p + 1:02d}", name=f"{city.name[:2]}{partner}", kind=OrgKind.OTHER,
                                  parent=city, city=city, sort_order=200 + p))  # fmt: skip
    OrgUnit.objects.bulk_create([u for u in second if u.code not in existing])
    OrgUnit.objects.filter(kind__in=TOWNSHIP_KINDS, township__isnull=True).update(township=F("id"))

    townships = list(
        OrgUnit.objects.filter(kind__in=TOWNSHIP_KINDS, city__in=[c for c, _ in cities]).select_related("city")
    )
    shorts = {city.pk: short for city, short in cities}
    third = []
    for township in townships:
        t = township.code
        common = {"parent": township, "city_id": township.city_id, "township": township}
        for v in range(sizes.villages):
            third.append(
                OrgUnit(code=f"{t}V{v + 1:03d}", name=names.place("村"), kind=OrgKind.VILLAGE, sort_order=v, **common)
            )
        for m in range(sizes.communities):
            third.append(
                OrgUnit(
                    code=f"{t}M{m + 1:02d}",
                    name=names.place("社区"),
                    kind=OrgKind.COMMUNITY,
                    sort_order=100 + m,
                    **common,
                )
            )
        for e in range(sizes.enterprises):
            third.append(OrgUnit(code=f"{t}E{e + 1:03d}", name=names.enterprise(shorts[township.city_id]),
                                 kind=OrgKind.ENTERPRISE, sort_order=200 + e, **common))  # fmt: skip
        for o, office in enumerate(TOWNSHIP_OFFICES):
            third.append(
                OrgUnit(
                    code=f"{t}O{o + 1:02d}", name=office, kind=OrgKind.TOWNSHIP_OFFICE, sort_order=300 + o, **common
                )
            )
    OrgUnit.objects.bulk_create([u for u in third if u.code not in existing], batch_size=2000)
    # bulk_create skips org_unit_save, so the labels are filled here in one pass.
    org_units_relabel()
    _link_partners(cities)
    return [c for c, _ in cities]


def _link_partners(cities) -> None:
    """Each city's partners (banks, SOEs) co-build with the first village of every township."""
    links = []
    for city, _short in cities:
        partners = list(OrgUnit.objects.filter(city=city, kind=OrgKind.OTHER).order_by("code"))
        villages = OrgUnit.objects.filter(city=city, kind=OrgKind.VILLAGE, code__endswith="V001").order_by("code")
        for i, village in enumerate(villages):
            links.append(CoBuildingLink(village=village, partner=partners[i % len(partners)]))
    CoBuildingLink.objects.bulk_create(links, ignore_conflicts=True)


@transaction.atomic
def build_officers(city: OrgUnit, count: int, seed: int, password: str, start: datetime.date) -> int:
    """Officers spread over the city's stations, dispatched by its departments.

    Village and community stations each get one officer; the rest serve
    enterprises, several each, like the reference county's 572 enterprise officers.
    """
    names = NameMaker(seed + 1)
    prefix = f"{city.code.lower()}_officer_"
    have = User.objects.filter(username__startswith=prefix).count()
    if have >= count:
        return 0
    stations = list(
        OrgUnit.objects.filter(city=city, kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.ENTERPRISE])
        .order_by("kind", "code")
        .values_list("id", "kind", "township_id")
    )
    departments = list(OrgUnit.objects.filter(city=city, kind=OrgKind.DEPARTMENT).values_list("id", flat=True))
    hashed = password_hash(password)
    users = [
        User(username=f"{prefix}{i + 1:04d}", name=names.person(), phone=names.mobile(), password=hashed,
             org_unit_id=departments[i % len(departments)])
        for i in range(have, count)
    ]  # fmt: skip
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
    UserRole.objects.bulk_create([UserRole(user=u, role=Role.OFFICER) for u in users], batch_size=2000)
    village_like = [s for s in stations if s[1] != OrgKind.ENTERPRISE]
    enterprises = [s for s in stations if s[1] == OrgKind.ENTERPRISE]
    assignments = []
    for i, user in enumerate(users, start=have):
        if i < len(village_like):
            picks = [village_like[i]]
        else:
            j = (i - len(village_like)) * 2
            picks = [enterprises[j % len(enterprises)], enterprises[(j + 1) % len(enterprises)]]
        for station_id, kind, _township in picks:
            assignments.append(
                StationAssignment(officer=user, station_id=station_id, kind=kind,
                                  dispatching_unit_id=user.org_unit_id, start=start)
            )  # fmt: skip
    StationAssignment.objects.bulk_create(assignments, batch_size=2000)
    return len(users)
