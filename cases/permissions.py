"""Who may act on a case: LIFECYCLE.md's "who may" column, one predicate per rule.

These assume the case is already inside the user's scope (cases_visible_to);
the services call them through ``require`` (403), the pages call them to
offer only the actions the viewer may take now.
"""

from accounts.roles import Role
from cases.choices import Level, Status
from cases.models import Case


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


def is_level_desk(user, case: Case) -> bool:
    """The desk that dispatches (and reviews) at the case's level."""
    if case.level == Level.CITY:
        return is_city_office(user, case)
    if case.level == Level.TOWNSHIP:
        return is_township_desk(user, case)
    return False


def is_handler(user, case: Case) -> bool:
    """A handler of the unit the case is with now."""
    unit = _unit(user)
    return bool(unit and case.unit_id and user.has_role(Role.UNIT_HANDLER) and unit.pk == case.unit_id)


def is_raising_officer(user, case: Case) -> bool:
    return bool(user is not None and case.officer_id and case.officer_id == user.pk and user.has_role(Role.OFFICER))


def may_dispatch(user, case: Case) -> bool:
    return is_level_desk(user, case)


def may_escalate(user, case: Case) -> bool:
    return case.level == Level.TOWNSHIP and is_township_desk(user, case)


def may_decide_extension(user, case: Case) -> bool:
    return is_level_desk(user, case) or is_city_office(user, case)


def may_give_feedback(user, case: Case) -> bool:
    return is_raising_officer(user, case) or is_level_desk(user, case)


def may_call_back(user, case: Case) -> bool:
    """Township staff of the case's township or the city office of its city (callback and redo)."""
    return is_township_desk(user, case) or is_city_office(user, case)


def may_supervise(user, case: Case) -> bool:
    return is_city_office(user, case)


def may_see_contact(user, case: Case) -> bool:
    """Roles that need the resident's phone and address to do their part (PIPL: everyone else sees a mask)."""
    return (
        is_township_desk(user, case)
        or is_city_office(user, case)
        or is_raising_officer(user, case)
        or (is_handler(user, case) and case.status != Status.CLOSED)
    )
