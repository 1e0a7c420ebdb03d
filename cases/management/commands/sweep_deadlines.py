import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.sweep import sweep


def moment(value: str) -> datetime.datetime:
    """ISO 8601; without an offset it is read in the site's time zone."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at must be an ISO-8601 date and time, got {value!r}") from exc
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Run the deadline sweep once, as if the clock read --at (default: now)."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=str, help="e.g. 2026-10-09T10:00:00+08:00")

    def handle(self, *args, at: str | None = None, **options):
        counts = sweep(now=moment(at) if at else None)
        self.stdout.write(" ".join(f"{rule}={n}" for rule, n in counts.items()))
