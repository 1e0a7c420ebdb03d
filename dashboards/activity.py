"""Officers: what came of the issues each one raised, their visits, and who has gone silent.

为基层减负 (DOMAIN.md, METRICS.md "Rankings"): officers are shown to themselves and
their township by coverage and outcomes, in order of name, never ranked by how
much they write.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StationAssignment, User
from accounts.selectors import silence_reminder_days
from cases.choices import Clock
from dashboards.metrics import Metrics, empty_figures
from dashboards.selection import ASSIGNMENT_FIELDS, DIARY_FIELDS, Selection
from dashboards.tables import TABLE_COLUMNS, TABLE_TITLES, Row, Table, figure_links
from diaries.models import DiaryEntry

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


def _on_duty(sel: Selection, day: datetime.date):
    return (
        StationAssignment.objects.filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .filter(sel.q(ASSIGNMENT_FIELDS))
    )


@dataclass(frozen=True)
class Silence:
    """Each on-duty officer's silence reminder today, as the sweep reads it (cases.sweep.rules):
    the shortest of their stations' counties that keep it on, counted from their last diary
    or, when later, the start of their first station."""

    days: dict[int, int]  # officer → days, only where some county of theirs keeps the reminder on
    since: dict[int, datetime.date]  # officer → start of their first station on duty

    @property
    def on(self) -> bool:
        return bool(self.days)

    @property
    def shown_days(self) -> int | None:
        """The one number the page names, when every county in view uses the same."""
        values = set(self.days.values())
        return values.pop() if len(values) == 1 else None

    def is_silent(self, officer_id: int, last_diary: datetime.date | None, today: datetime.date) -> bool:
        days = self.days.get(officer_id)
        if days is None:
            return False
        since = max(d for d in (last_diary, self.since[officer_id]) if d is not None)
        return since <= today - datetime.timedelta(days=days)


def silence_today(officer_ids: set[int], today: datetime.date) -> Silence:
    cities: dict[int, set[int]] = defaultdict(set)
    since: dict[int, datetime.date] = {}
    active = StationAssignment.objects.filter(officer_id__in=officer_ids, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    for officer_id, city_id, start in active.values_list("officer_id", "station__city_id", "start"):
        cities[officer_id].add(city_id)
        since[officer_id] = min(start, since.get(officer_id, start))
    per_city = silence_reminder_days({c for ids in cities.values() for c in ids})
    days = {}
    for officer_id, ids in cities.items():
        chosen = [per_city[c] for c in ids if per_city[c]]
        if chosen:
            days[officer_id] = min(chosen)
    return Silence(days=days, since=since)


def officer_activity(metrics: Metrics, *, today: datetime.date | None = None) -> tuple[Table, Silence]:
    """Every officer on duty in the area at the end of the period, or with entries or cases in it, by name;
    and their silence reminders today."""
    sel = metrics.sel
    today = today or timezone.localdate()
    figures = dict(metrics.breakdown("officer"))
    ids = set(figures) | set(_on_duty(sel, sel.date_to).values_list("officer_id", flat=True))
    ids.discard(None)
    last_entry = DiaryEntry.objects.filter(officer=OuterRef("pk")).order_by("-visit_date").values("visit_date")[:1]
    officers = User.objects.filter(pk__in=ids).annotate(last_diary=Subquery(last_entry)).only("pk", "name", "username")
    silence = silence_today(ids, today)
    rows = []
    for officer in officers:
        f = dict(figures.get(officer.pk) or empty_figures())
        f["overdue_feedback"] = (f.get("overdue_by_clock") or {}).get(Clock.FEEDBACK, 0)
        f["last_diary"] = officer.last_diary.isoformat() if officer.last_diary else ""
        f["silent"] = _("yes") if silence.is_silent(officer.pk, officer.last_diary, today) else ""
        links = figure_links(sel, overdue_of_raised=metrics.overdue_of_raised, officer=officer.pk)
        rows.append(Row(key=officer.pk, label=str(officer), figures=f, links=links))
    # By name: an officer's place in the table says nothing about how much they did.
    rows.sort(key=lambda r: (r.label, r.key))
    columns = TABLE_COLUMNS["officer"]
    if not silence.on:
        columns = tuple(c for c in columns if c != "silent")
    return Table(kind="officer", title=str(TABLE_TITLES["officer"]), columns=columns, rows=rows), silence


def officer_table(metrics: Metrics, *, today: datetime.date | None = None) -> Table:
    return officer_activity(metrics, today=today)[0]


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
