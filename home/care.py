"""The officer's home: the key household records of their stations due this week (HOUSEHOLDS.md)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Window
from django.utils import timezone

from households.models import Household, RecordStatus
from households.selectors import served_station_ids

SHOWN = 10


@dataclass
class DueVisits:
    count: int
    records: list[Household]
    today: datetime.date


def visits_due_this_week(user, *, today: datetime.date | None = None) -> DueVisits:
    """Key records of the officer's stations due by Sunday, overdue first; the count comes with the rows
    (one query, whatever the number of records)."""
    today = today or timezone.localdate()
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    rows = (
        Household.objects.filter(
            station_id__in=served_station_ids(user, on=today), status=RecordStatus.ACTIVE,
            interval_days__isnull=False, next_visit_due__lte=sunday,
        )
        .annotate(total=Window(Count("id")))
        .only("id", "name", "address", "next_visit_due", "interval_days")
        .order_by("next_visit_due", "name", "id")[:SHOWN]
    )  # fmt: skip
    records = list(rows)
    for record in records:
        record.overdue = record.next_visit_due < today
    return DueVisits(count=records[0].total if records else 0, records=records, today=today)
