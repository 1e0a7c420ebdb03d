import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from demo.categories import seed_categories, seed_routing
from demo.history import build_history
from demo.org import SCALES, build_officers, build_org


class Command(BaseCommand):
    help = "Build a believable county (or the benchmark sizes) with the demo accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: str, seed: int, **options):
        sizes = SCALES[scale]
        start = timezone.localdate() - datetime.timedelta(days=365)
        cities = build_org(scale, seed)
        categories = seed_categories()
        per_city = -(-sizes.officers // len(cities))
        made = 0
        for city in cities:
            seed_routing(city, categories)
            made += build_officers(city, per_city, seed, settings.DEMO_PASSWORD, start)
        created = ensure_demo_accounts(cities[0], settings.DEMO_PASSWORD, start)
        history = build_history(cities[0], seed=seed, password=settings.DEMO_PASSWORD) if scale == "demo" else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_demo --scale {scale}: {len(cities)} city/cities, {made} new officers, "
                f"{len(created)} new demo accounts ({len(DEMO_ACCOUNTS)} in all), {history} diary entries of history."
            )
        )
