"""Runs residents.testing.fake_sms by hand, to see messages to residents go through a gateway under `make run`."""

import time

from django.core.management.base import BaseCommand

from residents.sms import masked
from residents.testing.fake_sms import ACCESS_KEY_ID, SECRET, TEMPLATES, FakeSmsGateway


class Command(BaseCommand):
    help = "Serve a fake SMS gateway on 127.0.0.1 (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8766)

    def handle(self, *args, port, **options):
        fake = FakeSmsGateway(port=port).start()
        self.stdout.write(
            f"Fake SMS gateway on {fake.url}. Put these in .env and restart `make run`:\n"
            f"SMS_BACKEND=residents.sms.HttpBackend\nSMS_GATEWAY_URL={fake.url}\nSMS_ACCESS_KEY_ID={ACCESS_KEY_ID}\n"
            f"SMS_SECRET={SECRET}\nSMS_SIGN_NAME=清溪民情\n"
            + "".join(f"SMS_TEMPLATE_{kind.upper()}={tid}\n" for kind, tid in TEMPLATES.items())
        )
        try:
            seen = 0
            while True:
                time.sleep(1)
                for message in fake.messages[seen:]:
                    self.stdout.write(
                        f"SMS to {masked(message['phone'])}: {message['template_id']} {message['params']}"
                    )
                seen = len(fake.messages)
        except KeyboardInterrupt:
            fake.close()
