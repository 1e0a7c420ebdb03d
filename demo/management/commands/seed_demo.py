import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from demo.boundaries import build_boundaries, city_centre
from demo.categories import seed_categories, seed_routing
from demo.history import build_history
from demo.ledgers import build_ledgers
from demo.org import SCALES, build_officers, build_org
from demo.residents import build_resident_history, demo_resident_url, seed_resident_codes


class Command(BaseCommand):
    help = "Build a believable county (or the benchmark sizes) with the demo accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--cases", type=int, help="county/province: override the number of cases (tests)")
        parser.add_argument("--diaries", type=int, help="county/province: override the number of diary entries")
        parser.add_argument("--open-cases", type=int, help="county/province: override the number of open cases")

    def handle(self, *args, scale: str, seed: int, **options):
        if scale != "demo" and connection.vendor != "postgresql":
            raise CommandError(f"seed_demo --scale {scale} needs PostgreSQL (DATABASE_URL); use --scale demo here.")
        sizes = SCALES[scale]
        start = timezone.localdate() - datetime.timedelta(days=365)
        cities = build_org(scale, seed)
        categories = seed_categories()
        per_city = -(-sizes.officers // len(cities))
        made = 0
        outlined = 0
        for index, city in enumerate(cities):
            seed_routing(city, categories)
            made += build_officers(city, per_city, seed, settings.DEMO_PASSWORD, start)
            # 一张图: generated outlines, before the history, whose visits are placed inside them.
            outlined += build_boundaries(city, seed + index, city_centre(index, sizes.townships_per_city))
        created = ensure_demo_accounts(cities[0], settings.DEMO_PASSWORD, start)
        self.stdout.write(
            f"seed_demo --scale {scale}: {len(cities)} city/cities, {made} new officers, "
            f"{len(created)} new demo accounts ({len(DEMO_ACCOUNTS)} in all), {outlined} new township outlines."
        )
        if scale == "demo":
            history = build_history(cities[0], seed=seed, password=settings.DEMO_PASSWORD)
            self.stdout.write(self.style.SUCCESS(f"{history} diary entries of history."))
            ledgers = build_ledgers(cities[0], seed=seed)
            self.stdout.write(f"Ledgers: {', '.join(f'{k}={v:,}' for k, v in ledgers.items()) or 'already there'}.")
            codes = seed_resident_codes(cities[0])
            requests = build_resident_history(cities[0], seed=seed)
            self.stdout.write(f"民情码: {codes} station codes, {requests} new residents' requests.")
            self.stdout.write(f"Resident URL: {demo_resident_url(cities[0])}")
        else:
            self._bulk(scale, cities, seed, options)
        # The same detection as the nightly task, so the hotspot page of a fresh demo is not empty.
        from dashboards.services.hotspots import hotspots_detect_all

        self.stdout.write(f"Hotspot detection: {hotspots_detect_all()} hotspot(s).")
        if scale == "demo":
            # A 民生项目 from the top hotspot, followed through (lead unit, milestones, money); the benchmark
            # sizes keep their generated history as it is.
            from demo.projects import seed_project

            project = seed_project(cities[0])
            if project is not None:
                self.stdout.write(f"Project: {project.title} ({project.cases.count()} cases).")

    def _bulk(self, scale, cities, seed, options) -> None:
        from dataclasses import replace

        from demo.bulk import build, rollup

        if build.history_exists(cities):
            self.stdout.write(self.style.WARNING("History already exists for these cities: nothing added."))
            return
        sizes = build.HISTORY[scale]
        for field in ("cases", "diaries", "open_cases"):
            if options.get(field) is not None:
                sizes = replace(sizes, **{field: options[field]})
        end = timezone.now().replace(second=0, microsecond=0)
        started = timezone.now()
        counts = build.build(cities, sizes, seed=seed, end=end, password=settings.DEMO_PASSWORD, scale=scale)
        last = timezone.localdate(end) - datetime.timedelta(days=1)
        first = last - datetime.timedelta(days=build.DAYS)
        rows = rollup.rollup_year(first, last)
        rollup.analyze()
        seconds = (timezone.now() - started).total_seconds()
        written = ", ".join(f"{table}={n:,}" for table, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"History written in {seconds:.0f}s: {written}; {rows:,} roll-up rows."))
        at = timezone.localtime(build.next_sweep(end)).isoformat()
        self.stdout.write(f"Next working day's sweep: manage.py sweep_deadlines --at {at}")
