"""Who hears about a case, as SQL conditions over the case row ``w`` (cases.notices turns them into people).

An *audience* maps a group of people to the condition saying when that group is included:

- ``township_staff``: township staff of the case's township
- ``city_office``: the city office of the case's city
- ``unit``: handlers of the responsible unit; ``assisting``: of the assisting units
- ``officer``: the officer who raised it
- ``instruction_author``: the leader whose instruction (批示) was last reported carried out

The case actions (cases.actions) and the deadline sweep name their audiences from here.
"""

from cases.choices import Clock, Level

Audience = dict[str, str]

_TOWNSHIP_DESK = f"w.level IN ('{Level.ONSITE}', '{Level.TOWNSHIP}')"
_CITY_DESK = f"w.level = '{Level.CITY}'"
_DESK_CLOCKS = f"w.clock IN ('{Clock.DISPATCH}', '{Clock.REVIEW}', '{Clock.CALLBACK}', '{Clock.FEEDBACK}')"

DESK: Audience = {"township_staff": _TOWNSHIP_DESK, "city_office": _CITY_DESK}
UNIT: Audience = {"unit": "TRUE"}
ASSISTING: Audience = {"assisting": "TRUE"}
OFFICER: Audience = {"officer": "TRUE"}
INSTRUCTION_AUTHOR: Audience = {"instruction_author": "TRUE"}
TOWNSHIP_STAFF: Audience = {"township_staff": "TRUE"}
CITY_OFFICE: Audience = {"city_office": "TRUE"}
# Whoever the running clock waits for (LIFECYCLE.md, "Statuses"): the desk
# dispatches, reviews and calls back; the unit signs and handles; the
# officer (with the township staff, and the desk that may also do it) tells
# the resident.
HOLDER: Audience = {
    "township_staff": f"({_DESK_CLOCKS} AND {_TOWNSHIP_DESK}) OR w.clock = '{Clock.FEEDBACK}'",
    "city_office": f"{_DESK_CLOCKS} AND {_CITY_DESK}",
    "unit": f"w.clock IN ('{Clock.SIGN}', '{Clock.HANDLE}')",
    "officer": f"w.clock = '{Clock.FEEDBACK}'",
}
# When the case has no raising officer (other intake channels) the desk hears instead.
OFFICER_OR_DESK: Audience = {
    "officer": "TRUE",
    "township_staff": f"w.officer_id IS NULL AND {_TOWNSHIP_DESK}",
    "city_office": f"w.officer_id IS NULL AND {_CITY_DESK}",
}


def either(*audiences: Audience) -> Audience:
    merged: dict[str, list[str]] = {}
    for audience in audiences:
        for group, condition in audience.items():
            merged.setdefault(group, []).append(f"({condition})")
    return {group: " OR ".join(conditions) for group, conditions in merged.items()}
