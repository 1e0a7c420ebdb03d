"""Try the integration by hand (README, "Orders from 12345 / 四平台")."""

import contextlib

from django.core.management.base import BaseCommand, CommandError

from integrations.fake import FakePlatform, sample_order, send_order
from integrations.models import Source


class Command(BaseCommand):
    help = "A fake 12345 platform: prints the pushes it receives; --send N posts N signed sample orders first."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--source", default="12345", help="the platform's code (a Source in the admin)")
        parser.add_argument("--send", type=int, default=0, metavar="N", help="post N sample orders, then listen")
        parser.add_argument("--url", default="http://127.0.0.1:8000/api/v1/inbound/orders/", help="Minqing's order URL")
        parser.add_argument("--category", default="ROAD", help="their category code in the sample orders")
        parser.add_argument("--township", default="", help="a township code for the sample orders")

    def handle(self, *args, port, source, send, url, category, township, **options):
        found = Source.objects.filter(code=source).first()
        if found is None:
            raise CommandError(f"No platform {source!r}: add it in the admin (Other platforms › Platforms).")
        for n in range(1, send + 1):
            response = send_order(url, source=source, secret=found.secret,
                                  order=sample_order(n, category_code=category, township_code=township))  # fmt: skip
            self.stdout.write(f"order {n}: HTTP {response.status_code} {response.text[:200]}")
        platform = FakePlatform(found.secret, port=port, echo=True)
        self.stdout.write(f"Listening for pushes on {platform.url} (set it as the platform's push URL). Ctrl-C stops.")
        with contextlib.suppress(KeyboardInterrupt):
            platform.serve_forever()
