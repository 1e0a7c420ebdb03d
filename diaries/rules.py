"""The rules a diary entry must meet, shared by the API serializer, the page form and the service.

Each raises Django's ValidationError with a message meant for the field it
concerns, so both front doors show the same words next to the same field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit, StationAssignment, User
from accounts.selectors import assignments_active_for
from cases.models import Category
from cases.selectors import categories_active
from core import tablecache

MAX_DAYS_BACK = 30
MAX_VISITS = 100
MAX_ISSUES = 20
MAX_CONTENT = 10_000


def visit_date_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest visit date accepted today (Asia/Shanghai)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=MAX_DAYS_BACK), today


def check_visit_date(day: datetime.date, *, today: datetime.date | None = None) -> datetime.date:
    earliest, latest = visit_date_window(today)
    if day > latest:
        raise ValidationError(_("The visit date cannot be in the future."), code="future")
    if day < earliest:
        raise ValidationError(
            _("The visit date cannot be more than %(days)d days ago.") % {"days": MAX_DAYS_BACK}, code="too_old"
        )
    return day


def station_for(officer, station_id, *, on: datetime.date | None = None) -> OrgUnit:
    """The station ``station_id`` if it is one of the officer's active assignments on ``on``."""
    try:
        station_id = int(station_id)
    except (TypeError, ValueError):
        station_id = None
    day = on or timezone.localdate()
    station = tablecache.cached(
        "stations", lambda: _assigned_station(officer, station_id, day), officer.pk, station_id, day
    )
    if station is None:
        raise ValidationError(_("Choose one of your own active stations."), code="not_your_station")
    if station.township_id is None:
        raise ValidationError(_("This station does not belong to a township; ask the administrator."), code="orphan")
    # The service checks again; within the same request this mark spares it the query.
    station.checked_for = (officer.pk, on)
    return station


def _assigned_station(officer, station_id: int | None, on: datetime.date | None) -> OrgUnit | None:
    if not station_id:
        return None
    assignment = assignments_active_for(officer, on=on).filter(station_id=station_id).first()
    return assignment.station if assignment is not None else None


# An assignment ended or a station moved to another township is seen at once in this process.
tablecache.invalidated_by("stations", StationAssignment, OrgUnit, User)


def station_checked(station: OrgUnit, officer, on: datetime.date | None) -> bool:
    """Whether ``station_for`` already accepted this very station object for the officer and date."""
    return getattr(station, "checked_for", None) == (officer.pk, on)


def active_categories() -> dict[str, Category]:
    """Every active category by code: one query, however many issues an entry raises, and none while
    the process has them cached (core/tablecache.py)."""
    return tablecache.cached("categories", lambda: {c.code: c for c in categories_active()})


tablecache.invalidated_by("categories", Category)


def category_for(code: str, categories: dict[str, Category]) -> Category:
    category = categories.get((code or "").strip())
    if category is None:
        raise ValidationError(_("Unknown category; choose one from the list."), code="unknown_category")
    return category


def check_content(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write down what you saw and heard."), code="required")
    return text
