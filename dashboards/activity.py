"""Officer activity: entries and visits per officer, silent officers, entries flagged as possible copies."""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StationAssignment, User
from dashboards.metrics import Metrics
from dashboards.selection import ASSIGNMENT_FIELDS, DIARY_FIELDS
from dashboards.tables import TABLE_COLUMNS, TABLE_TITLES, Row, Table, diary_list_url
from diaries.models import DiaryEntry

SILENT_DAYS = 14
# The diaries app may flag an entry that repeats an earlier one; whichever of
# these it names, the page lists the flagged entries (and skips the list if none exists).
COPY_FIELDS = ("possible_copy", "is_possible_copy", "suspected_copy", "flagged_copy", "copy_of", "duplicate_of")


def copy_field() -> str | None:
    for name in COPY_FIELDS:
        try:
            DiaryEntry._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return None


def _on_duty(sel, day: datetime.date):
    return (
        StationAssignment.objects.filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .filter(sel.q(ASSIGNMENT_FIELDS))
    )


def officer_table(metrics: Metrics, *, today: datetime.date | None = None) -> Table:
    """Every officer on duty in the area at the end of the period, or with entries in it."""
    sel = metrics.sel
    today = today or timezone.localdate()
    figures = dict(metrics.breakdown("officer", cases=False))
    ids = set(figures) | set(_on_duty(sel, sel.date_to).values_list("officer_id", flat=True))
    ids.discard(None)
    last_entry = DiaryEntry.objects.filter(officer=OuterRef("pk")).order_by("-visit_date").values("visit_date")[:1]
    officers = User.objects.filter(pk__in=ids).annotate(last_diary=Subquery(last_entry)).only("pk", "name", "username")
    on_duty_now = set(_on_duty(sel, today).values_list("officer_id", flat=True))
    quiet_since = today - datetime.timedelta(days=SILENT_DAYS)
    rows = []
    for officer in officers:
        f = dict(figures.get(officer.pk) or {"diaries": 0, "household_visits": 0, "enterprise_visits": 0})
        silent = officer.pk in on_duty_now and (officer.last_diary is None or officer.last_diary < quiet_since)
        f["last_diary"] = officer.last_diary.isoformat() if officer.last_diary else ""
        f["silent"] = _("yes") if silent else ""
        links = {"diaries": diary_list_url(officer=officer.pk, date_from=sel.date_from.isoformat(),
                                           date_to=sel.date_to.isoformat())}  # fmt: skip
        rows.append(Row(key=officer.pk, label=str(officer), figures=f, links=links))
    rows.sort(key=lambda r: (-(r.figures.get("diaries") or 0), r.label))
    return Table(kind="officer", title=str(TABLE_TITLES["officer"]), columns=TABLE_COLUMNS["officer"], rows=rows)


def possible_copies(metrics: Metrics, *, limit: int = 50) -> list[DiaryEntry] | None:
    """Entries of the period the diaries app flagged as possible copies; None when it keeps no such flag."""
    name = copy_field()
    if name is None:
        return None
    field = DiaryEntry._meta.get_field(name)
    flagged = ~Q(**{f"{name}__isnull": True}) if field.is_relation else Q(**{name: True})
    sel = metrics.sel
    return list(
        DiaryEntry.objects.filter(visit_date__gte=sel.date_from, visit_date__lte=sel.date_to)
        .filter(sel.q(DIARY_FIELDS))
        .filter(flagged)
        .select_related("officer", "station")
        .order_by("-visit_date", "-id")[:limit]
    )
