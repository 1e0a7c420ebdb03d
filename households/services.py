"""Writes of the household ledger: records are created and changed only here.

Every write validates the whole record first (a clear message per field, nothing written
on error) and stores the schedule fields through households.schedule.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.roles import Role
from accounts.scope import scope_of
from audit.services import audit_log
from core.validators import normalise_phone, text_errors
from households import schedule
from households.models import HandoverNote, Household, HouseholdTag, RecordStatus
from households.selectors import served_station_ids

EDITABLE = ("kind", "name", "address", "phone", "members", "credit_code", "contact", "industry", "size", "notes")


def station_served_by(user, station: OrgUnit) -> bool:
    """May the user keep this station's ledger: its officers today, its township's staff, admins.

    A township leader sees the records (scope) but does not keep them.
    """
    scope = scope_of(user)
    if scope.everything:
        return True
    if user.has_role(Role.TOWNSHIP_STAFF) and station.township_id in scope.township_ids:
        return True
    return bool(scope.officer_id) and served_station_ids(user).filter(station_id=station.pk).exists()


def tags_named(names: Iterable[str]) -> list[HouseholdTag]:
    """The offered tags of these names; an unknown or retired name is refused with its name."""
    wanted = [n.strip() for n in names if n and n.strip()]
    found = {t.name: t for t in HouseholdTag.objects.filter(name__in=wanted, active=True)}
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise ValidationError({"tags": _("Unknown tag: %(names)s.") % {"names": "、".join(unknown)}})
    return list(dict.fromkeys(found[n] for n in wanted))


def _clean_input(fields: dict) -> dict:
    """Phones stored as typed without spaces or brackets (like elsewhere); NUL refused before the database."""
    if "phone" in fields:
        fields["phone"] = normalise_phone(fields["phone"] or "")
    if "credit_code" in fields:
        fields["credit_code"] = (fields["credit_code"] or "").strip().upper()
    errors = text_errors({k: v for k, v in fields.items() if isinstance(v, str)})
    if errors:
        raise ValidationError(errors)
    return fields


def _audit(action: str, by, record: Household, request, fields) -> None:
    # Field names only: the values are residents' personal data.
    audit_log(action=action, user=by, obj=record, request=request, detail={"fields": sorted(fields)})


def _store_schedule(record: Household, tags: Sequence[HouseholdTag], *, today: datetime.date) -> None:
    record.interval_days = schedule.interval_of(t.interval_days for t in tags)
    active = record.status == RecordStatus.ACTIVE
    record.next_visit_due = (
        schedule.next_due(interval_days=record.interval_days, last_visit_on=record.last_visit_on, key_since=today)
        if active
        else None
    )


@transaction.atomic
def household_create(*, by, station: OrgUnit, tags: Iterable[str] = (), now=None, request=None, **fields) -> Household:
    """A new record at a station the caller serves; ``fields`` are those of ``EDITABLE``."""
    if not station_served_by(by, station):
        raise ValidationError({"station": _("You do not keep the ledger of this station.")})
    if station.township_id is None:
        raise ValidationError({"station": _("Records belong to a village, community or enterprise station.")})
    chosen = tags_named(tags)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in unknown})
    _clean_input(fields)
    now = now or timezone.now()
    record = Household(
        station=station, township_id=station.township_id, city_id=station.city_id, created_by=by, created_at=now,
        **fields,
    )  # fmt: skip
    _store_schedule(record, chosen, today=timezone.localdate(now))
    record.full_clean()
    record.save()
    record.tags.set(chosen)
    _audit("household_create", by, record, request, [*fields, *(["tags"] if chosen else [])])
    return record


@transaction.atomic
def household_update(
    *, by, record: Household, tags: Iterable[str] | None = None, now=None, request=None, **fields
) -> Household:
    """Change a record's fields and tags; the caller must serve its station (and the new one, if moved).

    A status other than active marks the day it stopped (the retention period runs from it); back to
    active clears it.
    """
    record = Household.objects.select_for_update().get(pk=record.pk)
    if not station_served_by(by, record.station):
        raise ValidationError({"station": _("You do not keep the ledger of this station.")})
    station = fields.pop("station", None)
    moved = station is not None and station.pk != record.station_id
    if moved:
        if not station_served_by(by, station):
            raise ValidationError({"station": _("You cannot move a record to a station you do not serve.")})
        if station.township_id is None:
            raise ValidationError({"station": _("Records belong to a village, community or enterprise station.")})
        record.station, record.township_id, record.city_id = station, station.township_id, station.city_id
    status = fields.pop("status", None)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in unknown})
    if status is not None and status not in RecordStatus.values:
        raise ValidationError({"status": _("Choose active, moved away or deceased / closed.")})
    if record.anonymized_at is not None:
        raise ValidationError({"status": _("This record was anonymised after its retention period; it stays closed.")})
    changed = [*fields, *(["station"] if moved else [])]
    _clean_input(fields)
    for name, value in fields.items():
        setattr(record, name, value)
    today = timezone.localdate(now or timezone.now())
    if status is not None and status != record.status:
        record.status = status
        record.inactive_since = None if status == RecordStatus.ACTIVE else today
    chosen = tags_named(tags) if tags is not None else list(record.tags.all())
    _store_schedule(record, chosen, today=today)
    record.full_clean()
    record.save()
    if tags is not None:
        record.tags.set(chosen)
        changed.append("tags")
    if status is not None:
        changed.append("status")
    _audit("household_update", by, record, request, changed)
    return record


def household_status_set(*, by, record: Household, status: str, request=None, now=None) -> Household:
    """Moved away / deceased or closed / active again (HOUSEHOLDS.md): the record's history stays."""
    return household_update(by=by, record=record, status=status, request=request, now=now)


def handover_note_write(*, by, station: OrgUnit, text: str, request=None, now=None) -> HandoverNote:
    """交接说明: written by an officer serving the station today, read by the next one on the station page."""
    if not served_station_ids(by).filter(station_id=station.pk).exists():
        raise ValidationError({"text": _("Only an officer stationed here writes its handover note.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the handover note first.")})
    if len(text) > HandoverNote.MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the handover note within %(n)d characters.") % {"n": HandoverNote.MAX_LENGTH}}
        )
    errors = text_errors({"text": text})
    if errors:
        raise ValidationError(errors)
    note = HandoverNote.objects.create(station=station, author=by, text=text, created_at=now or timezone.now())
    audit_log(action="handover_note_write", user=by, obj=note, request=request)
    return note


def visits_recorded(household_ids: Iterable[int], *, on: datetime.date) -> int:
    """Linked visits on a day move each record's last visit and next due date (never backwards).

    One UPDATE per distinct interval, whatever the number of records: the diary's write path stays short.
    """
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    changed = 0
    rows = Household.objects.filter(pk__in=ids).exclude(last_visit_on__gte=on)
    for interval in rows.values_list("interval_days", flat=True).distinct():
        batch = rows.filter(interval_days=interval) if interval is not None else rows.filter(interval_days=None)
        due = schedule.next_due(interval_days=interval, last_visit_on=on, key_since=on)
        active_due = due if interval is not None else None
        changed += batch.filter(status=RecordStatus.ACTIVE).update(last_visit_on=on, next_visit_due=active_due)
        changed += batch.exclude(status=RecordStatus.ACTIVE).update(last_visit_on=on)
    return changed


def tags_changed(tag_ids: Iterable[int], *, today: datetime.date | None = None) -> int:
    """A tag's interval changed (admin): the records that carry it get their interval and next due date again.

    Rare and admin-driven, so a batched pass over the affected records rather than one UPDATE per interval.
    """
    today = today or timezone.localdate()
    rows = Household.objects.filter(tags__in=list(tag_ids)).distinct().prefetch_related("tags")
    batch, changed = [], 0
    for record in rows.iterator(chunk_size=1000):
        before = (record.interval_days, record.next_visit_due)
        _store_schedule(record, list(record.tags.all()), today=record.next_visit_due or today)
        if (record.interval_days, record.next_visit_due) != before:
            batch.append(record)
        if len(batch) >= 1000:
            changed += Household.objects.bulk_update(batch, ["interval_days", "next_visit_due"])
            batch = []
    if batch:
        changed += Household.objects.bulk_update(batch, ["interval_days", "next_visit_due"])
    return changed
