"""Who may act on a case: LIFECYCLE.md's "who may" column, one predicate per rule.

These assume the case is already inside the user's scope (cases_visible_to).
Each action's own rule is in its definition (cases.actions), built from these
relations; the services enforce it (403) and the pages offer only what passes.
"""

from django.db.models import Q

from accounts.roles import Role
from accounts.scope import leader_scope
from cases.choices import Status
from cases.models import Case
from cases.selectors import case_scope_q
from core.masking import mask_address, mask_name, mask_phone


def _unit(user):
    return getattr(user, "org_unit", None) if user is not None else None


def is_township_desk(user, case: Case) -> bool:
    unit = _unit(user)
    return bool(
        unit and user.has_role(Role.TOWNSHIP_STAFF) and case.township_id and unit.township_id == case.township_id
    )


def is_city_office(user, case: Case) -> bool:
    unit = _unit(user)
    return bool(unit and user.has_role(Role.CITY_OFFICE) and unit.city_id == case.city_id)


def is_handler(user, case: Case) -> bool:
    """A handler of the unit the case is with now."""
    unit = _unit(user)
    return bool(unit and case.unit_id and user.has_role(Role.UNIT_HANDLER) and unit.pk == case.unit_id)


def is_leader(user, case: Case) -> bool:
    """A leader whose own area (accounts.scope.leader_scope, the rule their reading scope is made of) holds the case."""
    if user is None or not user.has_role(Role.LEADER):
        return False
    area = leader_scope(user)
    return case.township_id in area.township_ids or case.city_id in area.city_ids


def is_raising_officer(user, case: Case) -> bool:
    return bool(user is not None and case.officer_id and case.officer_id == user.pk and user.has_role(Role.OFFICER))


# How a holder of each role stands in a case's way of work: the actions declare which roles may act
# at each level (cases.actions), and a user may when they hold one of those roles in this relation.
RELATION = {
    Role.TOWNSHIP_STAFF: is_township_desk,
    Role.CITY_OFFICE: is_city_office,
    Role.UNIT_HANDLER: is_handler,
    Role.OFFICER: is_raising_officer,
    Role.LEADER: is_leader,
}


def relation_q(role: str, user) -> Q:
    """RELATION as a query condition: the cases a holder of ``role`` stands in that relation to
    (the work queues list them)."""
    unit = _unit(user)
    if role == Role.OFFICER:
        return Q(officer_id=user.pk)
    if role == Role.LEADER:
        return case_scope_q(leader_scope(user))
    target = {
        Role.TOWNSHIP_STAFF: ("township_id", unit.township_id if unit else None),
        Role.CITY_OFFICE: ("city_id", unit.city_id if unit else None),
        Role.UNIT_HANDLER: ("unit_id", unit.pk if unit else None),
    }[role]
    column, value = target
    return Q(**{column: value}) if value is not None else Q(pk__in=[])


def may_see_contact(user, case: Case) -> bool:
    """Roles that need the resident's phone and address to do their part (PIPL: everyone else sees a mask)."""
    return (
        is_township_desk(user, case)
        or is_city_office(user, case)
        or is_raising_officer(user, case)
        # 保密 (RESIDENTS.md): a confidential reporter is hidden from the unit that handles the case.
        or (is_handler(user, case) and case.status != Status.CLOSED and not case.confidential)
    )


def reporter_masked(case: Case) -> dict[str, str]:
    """The reporter's fields for someone who may not see them in full: masked, or nothing at all when the
    reporter asked to be kept confidential (保密). Pages, API answers and exports all read this."""
    if case.confidential:
        return {"name": "", "phone": "", "address": ""}
    return {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone),
            "address": mask_address(case.reporter_address)}  # fmt: skip
