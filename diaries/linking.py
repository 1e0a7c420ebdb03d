"""Visits and issues linked to the station's household records (HOUSEHOLDS.md "Visits and the ledger").

A visit names a record of the entry's station, or brings a new one that is created in the
entry's own transaction (so an Idempotency-Key replay creates no second record). The checks
cost one query for all the ids of an entry, and the schedule moves in households.services.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from households.models import Household, RecordStatus
from households.services import household_create, visits_recorded


def _item_errors(count: int, bad: dict[int, dict]) -> list[dict]:
    return [bad.get(i, {}) for i in range(count)]


def linked_records(data) -> dict[int, Household]:
    """The active records of the entry's station that its visits and issues name, by id.

    Raises diaries.services.DiaryInvalid (in the API's per-item shape) when one is not such a record:
    another station's, moved away or closed, or none at all look the same to the officer.
    """
    from diaries.services import DiaryInvalid

    wanted = {v.household_id for v in data.visits} | {i.household_id for i in data.issues}
    wanted.discard(None)
    if not wanted:
        return {}
    found = Household.objects.filter(pk__in=wanted, station_id=data.station.pk, status=RecordStatus.ACTIVE).only(
        "id", "name", "address", "station_id"
    )
    records = {r.pk: r for r in found}
    message = [_("Choose an active household record of this station.")]
    errors = {}
    for name, items in (("visits", data.visits), ("issues", data.issues)):
        bad = {n: {"household": message} for n, item in enumerate(items) if item.household_id not in (None, *records)}
        if bad:
            errors[name] = _item_errors(len(items), bad)
    if errors:
        raise DiaryInvalid(errors)
    return records


def created_records(data, *, officer, now: datetime.datetime) -> dict[int, Household]:
    """The records the visits bring ("new household"), created now, by the visit's index.

    Call inside the entry's transaction: an error raises DiaryInvalid and rolls everything back.
    """
    from diaries.services import DiaryInvalid

    created = {}
    for index, visit in enumerate(data.visits):
        new = visit.new_household
        if new is None:
            continue
        try:
            created[index] = household_create(
                by=officer, station=data.station, tags=new.tags, now=now,
                kind=new.kind, name=new.name.strip(), address=new.address.strip(), phone=new.phone,
            )  # fmt: skip
        except ValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise DiaryInvalid({"visits": _item_errors(len(data.visits), {index: {"new_household": detail}})}) from exc
    return created


def record_of_each(visits: Sequence, linked: dict[int, Household], created: dict[int, Household]) -> list:
    """The record of each visit in order (None for groups and passers-by)."""
    return [created.get(n) or linked.get(v.household_id) for n, v in enumerate(visits)]


def records_visited(visit_rows: Sequence, *, on: datetime.date) -> None:
    """The linked visits move their records' schedule (inside the entry's transaction)."""
    visits_recorded([v.household_id for v in visit_rows if v.household_id], on=on)
