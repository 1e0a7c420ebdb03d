"""A resident raises a request through a station's 民情码 (RESIDENTS.md "Raising a request").

The case is raised through the one raise service (cases.services.raising) with source
``resident``: at township level, pending dispatch, the station's current officer as the
case's officer (they give the feedback) and as ``created_by`` (a case always names a
person who created it; the timeline's raise event names no one: the resident did it).
"""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StationAssignment
from accounts.roles import Role
from audit.services import audit_log
from cases.choices import Source, Urgency
from cases.models import Category
from cases.services.raising import case_raise
from core.validators import MOBILE_RE, normalise_phone
from diaries import photos as photo_checks
from residents import limits
from residents.messages import resident_told
from residents.models import ResidentPhoto, ResidentRequest, StationCode

MAX_CONTENT = 2000
MAX_PHOTOS = 3
TITLE_LENGTH = 30
# Case codes never hold these, so "<code>-<secret>" splits at the last dash; no 0/O or 1/I/L to misread.
_SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SECRET_LENGTH = 6
# The category the desk re-classifies from when the resident chose none.
DEFAULT_CATEGORY = "other"


@dataclass(frozen=True)
class Station:
    """What the public page shows of a station: its names and its officer's name and work phone."""

    code: StationCode
    officer: object | None


def station_for_token(token: str, *, on: datetime.date | None = None) -> Station:
    """The station of a current 民情码; an unknown or rotated token is a plain 404 (no hint which)."""
    code = (
        StationCode.objects.select_related("station", "station__township")
        .filter(token=token or "", station__is_active=True)
        .first()
    )
    if code is None:
        raise Http404
    return Station(code=code, officer=current_officer(code.station, on=on or timezone.localdate()))


def current_officer(station, *, on: datetime.date):
    assignment = (
        StationAssignment.objects.select_related("officer")
        .filter(station=station, start__lte=on, officer__is_active=True)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .order_by("-start", "-id")
        .first()
    )
    return assignment.officer if assignment else None


def plain_categories() -> list[Category]:
    """The short list a resident may choose from: the top of the category tree, in its order."""
    return list(Category.objects.filter(parent__isnull=True, is_active=True).order_by("sort_order", "code"))


def _category(code: str | None) -> Category:
    choices = plain_categories()
    if code:
        chosen = next((c for c in choices if c.code == code), None)
        if chosen is None:
            raise ValidationError({"category": _("Choose one of the listed kinds of problem, or leave it empty.")})
        return chosen
    fallback = next((c for c in choices if c.code == DEFAULT_CATEGORY), None) or (choices[-1] if choices else None)
    if fallback is None:
        raise ValidationError(_("Requests cannot be taken at the moment. Please call your officer."))
    return fallback


def new_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def clean_phone(phone: str) -> str:
    value = normalise_phone(phone).replace("-", "")
    if not MOBILE_RE.match(value):
        raise ValidationError({"phone": _("Enter your mobile number: 11 digits starting with 1.")})
    return value


def check_fields(*, content: str, name: str, phone: str, consent: bool) -> tuple[str, str, str]:
    """The typed fields, cleaned; every problem reported together."""
    errors: dict[str, str] = {}
    content = (content or "").strip()
    name = (name or "").strip()
    if not content:
        errors["content"] = _("Say what the problem is.")
    elif len(content) > MAX_CONTENT:
        errors["content"] = _("Keep it under %(n)d characters; you wrote %(m)d.") % {
            "n": MAX_CONTENT,
            "m": len(content),
        }
    elif "\x00" in content:
        errors["content"] = _("The text holds a character that cannot be stored.")
    if len(name) > 50 or "\x00" in name:
        errors["name"] = _("Keep the name under 50 characters.")
    try:
        phone = clean_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.message_dict["phone"][0]
    if not consent:
        errors["consent"] = _("Please agree to the privacy notice, so that we may use your words and phone number.")
    if errors:
        raise ValidationError(errors)
    return content, name, phone


def check_photos(uploads: Sequence[UploadedFile]) -> list[photo_checks.CheckedPhoto]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)d photos.") % {"n": MAX_PHOTOS}})
    try:
        return photo_checks.check_photos(uploads)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc


def request_raise(
    *,
    token: str,
    content: str,
    phone: str,
    consent: bool,
    category: str | None = None,
    name: str = "",
    confidential: bool = False,
    photos: Sequence[UploadedFile] = (),
    ip: str | None = None,
    now: datetime.datetime | None = None,
    captcha_answered: bool = True,
) -> ResidentRequest:
    """Take a resident's request: all of it or nothing. Raises Http404 (token), ValidationError (input),
    limits.LimitReached (429; also near a limit when ``captcha_answered`` is False: the API has none)."""
    now = now or timezone.now()
    station = station_for_token(token, on=timezone.localdate(now))
    content, name, phone = check_fields(content=content, name=name, phone=phone, consent=consent)
    chosen = _category(category)
    checked = check_photos(photos)
    if station.officer is None or Role.OFFICER not in station.officer.role_names:
        raise ValidationError(_("This station has no officer at the moment. Please call the township."))
    address = limits.address_hash(ip)
    with transaction.atomic():
        limits.lock_intake(phone=phone, address=address)
        limits.check_raise(phone=phone, address=address, now=now, captcha_answered=captcha_answered)
        case = case_raise(
            by=station.officer,
            now=now,
            title=" ".join(content.split())[:TITLE_LENGTH],
            description=content,
            category=chosen,
            urgency=Urgency.NORMAL,
            source=Source.RESIDENT,
            township=station.code.station.township,
            station=station.code.station,
            reporter_name=name,
            reporter_phone=phone,
            confidential=confidential,
        )
        request = ResidentRequest.objects.create(
            case=case, station_code=station.code, secret=new_secret(), phone_tail=phone[-4:], consent_at=now,
            address_hash=address, created_at=now,
        )  # fmt: skip
        _store_photos(request, checked, now=now)
        audit_log(action="resident_request", obj=request, detail={"case": case.pk})
        resident_told(request.pk, "received")  # in the same transaction: one commit for the whole intake
    return request


def _store_photos(request: ResidentRequest, checked: Sequence[photo_checks.CheckedPhoto], *, now) -> None:
    rows = []
    for photo in checked:
        row = ResidentPhoto(request=request, content_type=photo.content_type, size=photo.upload.size, created_at=now)
        photo.upload.seek(0)
        row.file.save(photo.upload.name or "photo", photo.upload, save=False)
        rows.append(row)
    ResidentPhoto.objects.bulk_create(rows)
