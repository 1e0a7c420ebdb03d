import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboards.services.rollup import rollup_day


class Command(BaseCommand):
    help = "Roll up the daily figures of one day (--date) or of the last N days (--days); yesterday by default."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--date", type=datetime.date.fromisoformat, help="YYYY-MM-DD, a day before today")
        group.add_argument("--days", type=int, help="the N days before today")

    def handle(self, *args, date: datetime.date | None = None, days: int | None = None, **options):
        today = timezone.localdate()
        if date is not None:
            if date >= today:
                raise CommandError("Only days before today can be rolled up; today is counted live.")
            todo = [date]
        else:
            n = 1 if days is None else days
            if n < 1:
                raise CommandError("--days must be at least 1.")
            todo = [today - datetime.timedelta(days=i) for i in range(n, 0, -1)]
        rows = 0
        for day in todo:
            rows += rollup_day(day)
        self.stdout.write(self.style.SUCCESS(f"Rolled up {len(todo)} day(s), {rows} row(s)."))
