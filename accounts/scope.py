"""Who sees what: DOMAIN.md's scope table, turned into ids once per request.

Each model's selector (``*_visible_to``) builds its filter from a Scope, so
pages, API, counts, dashboards and exports cannot disagree about visibility.
"""

from dataclasses import dataclass, field

from accounts.roles import Role


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    city_ids: frozenset[int] = field(default_factory=frozenset)  # whole cities
    township_ids: frozenset[int] = field(default_factory=frozenset)  # whole townships
    unit_ids: frozenset[int] = field(default_factory=frozenset)  # responsible units handled
    officer_id: int | None = None  # own diaries and cases of own stations
    home_city_id: int | None = None  # the city whose shared units (departments) are visible

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.city_ids or self.township_ids or self.unit_ids or self.officer_id)

    @property
    def units_only(self) -> bool:
        """A unit's handler sees what reaches their units and nothing by place or station."""
        return bool(self.unit_ids) and not (self.everything or self.city_ids or self.township_ids or self.officer_id)


def scope_of(user) -> Scope:
    """The union of what each of the user's roles may see; cached on the user object."""
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    roles = user.role_names
    if user.is_superuser or Role.ADMIN in roles:
        scope = Scope(everything=True)
    else:
        unit = user.org_unit
        city_id = unit.city_id if unit else None
        township_id = unit.township_id if unit else None
        cities: set[int] = set()
        townships: set[int] = set()
        units: set[int] = set()
        if Role.CITY_OFFICE in roles and city_id:
            cities.add(city_id)
        if Role.LEADER in roles:
            led = leader_scope(user)
            townships |= led.township_ids
            cities |= led.city_ids
        if Role.TOWNSHIP_STAFF in roles and township_id:
            townships.add(township_id)
        if Role.UNIT_HANDLER in roles and unit:
            units.add(unit.pk)
        scope = Scope(
            city_ids=frozenset(cities),
            township_ids=frozenset(townships),
            unit_ids=frozenset(units),
            officer_id=user.pk if Role.OFFICER in roles else None,
            home_city_id=city_id,
        )
    user._scope = scope
    return scope


def leader_scope(user) -> Scope:
    """What the leader role alone gives: the township the leader belongs to, or the whole city.
    ``scope_of`` adds it to the user's other roles; a leader's instruction (批示) is allowed here."""
    unit = getattr(user, "org_unit", None) if user is not None else None
    if unit is None:
        return Scope()
    if unit.township_id:
        return Scope(township_ids=frozenset({unit.township_id}))
    if unit.city_id:
        return Scope(city_ids=frozenset({unit.city_id}))
    return Scope()
