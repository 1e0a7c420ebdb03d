"""Writes of diary entries: creating one with its visits, photos and cases, and reviewing it."""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.roles import Role
from audit.services import audit_log
from cases.models import Category
from cases.services import cases_raise_in_transaction
from core import textsim
from core.validators import field_errors, text_errors
from diaries import rules
from diaries.linking import created_records, linked_records, record_of_each, records_visited
from diaries.models import DiaryEntry, Photo, Review, Visit, VisitKind
from diaries.photos import CheckedPhoto
from diaries.selectors import copy_candidates, diaries_visible_to, may_review, township_desk_ids
from notifications import texts
from notifications.services import notify

# The API and the page share one namespace of keys: a key can never make two entries,
# whichever door its requests come through (their fingerprints differ, so a mix is a 422).
IDEMPOTENCY_SCOPE = "diary_create"


@dataclass(frozen=True)
class NewHousehold:
    """A record created with the entry ("new household" on the form): households.services checks it."""

    kind: str
    name: str
    address: str = ""
    phone: str = ""
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class VisitData:
    kind: str
    name: str = ""
    phone: str = ""
    address: str = ""
    # The station's record visited, or one to create with the entry; neither for groups and passers-by.
    household_id: int | None = None
    new_household: NewHousehold | None = None


@dataclass(frozen=True)
class IssueData:
    title: str
    category: Category
    urgency: str
    description: str = ""
    difficulty: str | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_address: str = ""
    solved_on_site: bool = False
    resolution: str = ""
    feedback: str = ""
    resident_response: str = ""
    satisfaction: str = ""
    household_id: int | None = None


@dataclass(frozen=True)
class DiaryData:
    station: OrgUnit
    visit_date: datetime.date
    visit_type: str
    content: str
    latitude: float | None = None
    longitude: float | None = None
    visits: Sequence[VisitData] = field(default_factory=tuple)
    issues: Sequence[IssueData] = field(default_factory=tuple)


class DiaryInvalid(Exception):
    """Bad input found while writing; ``errors`` has the API's shape, e.g.
    ``{"issues": [{}, {"resolution": ["…"]}]}``. Nothing has been written."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _coordinate(value: float | None) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None if value is None else Decimal("NaN")  # refused by _field_errors
    return Decimal(str(round(value, 6)))


def _field_errors(data: DiaryData) -> dict:
    """Lengths, choices, digits and NUL of the entry and its visits, in the API's error shape,
    so a caller that skipped the form or serializer still gets messages, not a database error."""
    errors = field_errors(DiaryEntry, {
        "visit_type": data.visit_type, "latitude": _coordinate(data.latitude), "longitude": _coordinate(data.longitude),
    }) | text_errors({"content": data.content})  # fmt: skip
    visits = [
        field_errors(Visit, _visit_fields(v) | {"phone": v.phone, "address": v.address.strip()}) for v in data.visits
    ]
    if any(visits):
        errors["visits"] = visits
    return errors


def _visit_fields(v: VisitData) -> dict:
    # A linked or new record gives the visit its name when the officer left it empty.
    linked = v.household_id is not None or v.new_household is not None
    return {"kind": v.kind} | ({"name": v.name.strip()} if v.name.strip() or not linked else {})


def diary_create(
    *,
    officer,
    data: DiaryData,
    photos: Sequence[CheckedPhoto] = (),
    request=None,
    now: datetime.datetime | None = None,
    savepoint: bool = True,
) -> DiaryEntry:
    """Write the entry, its visits, its photos and one case per issue, all or nothing.

    A caller inside its own ``transaction.atomic`` that rolls back whole on any error (the
    Idempotency-Key's) passes ``savepoint=False``: two statements less. Others keep the savepoint,
    so a refused entry leaves their transaction usable.

    The forms and serializers have checked the input already; the station and
    the date are checked again here because they are the rules a caller
    must not be able to skip. An issue the officer solved on the spot
    becomes a case at level ``onsite``; the others wait for the township desk.
    """
    now = now or timezone.now()
    if not officer.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only a stationed officer writes diary entries."))
    errors = {}
    for name, check in (
        (
            "station",
            lambda: (
                rules.station_checked(data.station, officer, data.visit_date)
                or rules.station_for(officer, data.station.pk, on=data.visit_date)
            ),
        ),
        ("visit_date", lambda: rules.check_visit_date(data.visit_date, today=timezone.localdate(now))),
        ("content", lambda: rules.check_content(data.content)),
    ):
        try:
            check()
        except ValidationError as exc:
            errors[name] = exc.messages
    for name, messages in _field_errors(data).items():
        errors.setdefault(name, messages)
    if errors:
        raise DiaryInvalid(errors)
    records = linked_records(data)  # DiaryInvalid when one is not an active record of the station

    copy = textsim.most_similar(data.content, copy_candidates(officer, today=timezone.localdate(now)))
    stored: list[str] = []
    try:
        with transaction.atomic(savepoint=savepoint):
            entry = DiaryEntry.objects.create(
                officer=officer,
                station=data.station,
                # The station came with its township (assignments_active_for joins it).
                township=data.station.township,
                city_id=data.station.city_id,
                visit_date=data.visit_date,
                visit_type=data.visit_type,
                content=data.content.strip(),
                latitude=_coordinate(data.latitude),
                longitude=_coordinate(data.longitude),
                household_visits=sum(v.kind == VisitKind.HOUSEHOLD for v in data.visits),
                enterprise_visits=sum(v.kind == VisitKind.ENTERPRISE for v in data.visits),
                copy_of_id=copy[0] if copy else None,
                copy_score=round(copy[1], 3) if copy else None,
                created_at=now,
            )
            created = created_records(data, officer=officer, now=now)
            shown = record_of_each(data.visits, records, created)
            visits = Visit.objects.bulk_create(_visit_row(entry, v, r) for v, r in zip(data.visits, shown, strict=True))
            photo_rows = _store_photos(entry, photos, stored, now=now)
            cases = _raise_cases(entry, data.issues, officer=officer, now=now)
            records_visited(visits, on=data.visit_date)
            if copy:
                _tell_desk_about_copy(entry)
            audit_log(action="diary_create", user=officer, obj=entry, request=request,
                      detail={"issues": len(data.issues), "photos": len(photos), "visits": len(data.visits)})  # fmt: skip
    except BaseException:
        # The rows are gone with the transaction; the files must go too.
        for name in stored:
            default_storage.delete(name)
        raise
    # The rows as inserted, for an answer that need not read them again (selectors.as_written).
    entry.written = (visits, photo_rows, cases)
    return entry


def _visit_row(entry: DiaryEntry, v: VisitData, record) -> Visit:
    """A visit row; a linked record gives the name and address the officer left empty."""
    name, address = v.name.strip(), v.address.strip()
    if record is not None:
        name, address = name or record.name, address or record.address
    return Visit(
        entry=entry, kind=v.kind, name=name, phone=v.phone, address=address,
        household_id=record.pk if record is not None else None,
    )  # fmt: skip


def _store_photos(entry: DiaryEntry, photos: Sequence[CheckedPhoto], stored: list[str], *,
                  now: datetime.datetime) -> list[Photo]:  # fmt: skip
    rows = []
    for checked in photos:
        photo = Photo(entry=entry, content_type=checked.content_type, size=checked.upload.size, created_at=now)
        checked.upload.seek(0)
        photo.file.save(checked.upload.name or "photo", checked.upload, save=False)
        stored.append(photo.file.name)
        rows.append(photo)
    return Photo.objects.bulk_create(rows)


def _raise_cases(entry: DiaryEntry, issues: Sequence[IssueData], *, officer, now: datetime.datetime) -> list:
    items = [
        {
            "title": issue.title,
            "description": issue.description,
            "category": issue.category,
            "urgency": issue.urgency,
            "difficulty": issue.difficulty or None,
            "township": entry.township,
            "station": entry.station,
            "reporter_name": issue.reporter_name,
            "reporter_phone": issue.reporter_phone,
            "reporter_address": issue.reporter_address,
            "diary": entry,
            "solved_on_site": issue.solved_on_site,
            "resolution": issue.resolution if issue.solved_on_site else "",
            "feedback": issue.feedback if issue.solved_on_site else "",
            "resident_response": issue.resident_response if issue.solved_on_site else "",
            "satisfaction": issue.satisfaction if issue.solved_on_site else "",
            "household_id": issue.household_id,
        }
        for issue in issues
    ]
    if not items:
        return []
    try:
        return cases_raise_in_transaction(by=officer, items=items, now=now)
    except ValidationError as exc:
        # Report it against the issue it came from, like the serializer would.
        index = getattr(exc, "index", 0)
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise DiaryInvalid({"issues": [detail if i == index else {} for i in range(len(issues))]}) from exc


def _tell_desk_about_copy(entry: DiaryEntry) -> None:
    notify(
        recipients=township_desk_ids(entry.township_id),
        kind="diary_possible_copy",
        text=texts.DIARY["possible_copy"],
        params={"officer": str(entry.officer), "station": str(entry.station), "date": entry.visit_date.isoformat()},
        url=reverse("diaries:detail", args=[entry.pk]),
    )


@transaction.atomic
def diary_review(*, entry_id: int, by, comment: str, request=None, now: datetime.datetime | None = None) -> Review:
    """批阅: township staff (or the city office) comment on an entry; the officer is told.

    Outside the reviewer's scope this raises DiaryEntry.DoesNotExist (HTTP 404);
    a role that may not review gets PermissionDenied (HTTP 403).
    """
    entry = diaries_visible_to(by).select_related("officer").get(pk=entry_id)
    if not may_review(by):
        raise PermissionDenied(_("Only township staff and the city office review diary entries."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write a comment.")})
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment under 2000 characters.")})
    review = Review.objects.create(entry=entry, reviewer=by, comment=comment, created_at=now or timezone.now())
    notify(
        recipients=[entry.officer],
        kind="diary_reviewed",
        text=texts.DIARY["reviewed"],
        params={"reviewer": str(by), "date": entry.visit_date.isoformat(), "comment": comment[:300]},
        url=reverse("diaries:detail", args=[entry.pk]),
    )
    audit_log(action="diary_review", user=by, obj=entry, request=request)
    return review
