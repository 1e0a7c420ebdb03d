from django.core.management.base import BaseCommand, CommandError

from accounts.models import OrgKind, OrgUnit
from dashboards.services.hotspots import WINDOW_DAYS, hotspots_detect


class Command(BaseCommand):
    help = "Find hotspots (alike cases in at least three townships) now, for one city or for all."

    def add_arguments(self, parser):
        parser.add_argument("--city", help="code of the city (all cities when left out)")
        parser.add_argument("--days", type=int, default=WINDOW_DAYS, help="look at cases raised in the last N days")

    def handle(self, *args, city: str | None = None, days: int = WINDOW_DAYS, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cities = OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True)
        if city:
            cities = cities.filter(code=city)
            if not cities.exists():
                raise CommandError(f"No city with code {city!r}.")
        for unit in cities:
            found = hotspots_detect(city=unit, days=days)
            self.stdout.write(f"{unit.code} {unit.label}: {len(found)} hotspot(s)")
