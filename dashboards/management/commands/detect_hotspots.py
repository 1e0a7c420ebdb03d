from django.core.management.base import BaseCommand, CommandError

from accounts.models import OrgKind, OrgUnit
from dashboards.models import HotspotKind
from dashboards.services.hotspots import WINDOW_DAYS, hotspots_detect


class Command(BaseCommand):
    help = "Find hotspots (alike cases in two or more townships, surging over their baseline) now, per city."

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
            hot = sum(h.kind == HotspotKind.HOTSPOT for h in found)
            new = sum(h.kind == HotspotKind.HOTSPOT and h.is_new for h in found)
            self.stdout.write(
                f"{unit.code} {unit.label}: {hot} hotspot(s), {new} new; {len(found) - hot} recurring issue(s)"
            )
