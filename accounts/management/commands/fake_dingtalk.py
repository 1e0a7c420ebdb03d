"""Runs accounts.testing.fake_idp by hand, to try single sign-on and work notices under `make run`."""

import time

from django.core.management.base import BaseCommand

from accounts.testing.fake_idp import CLIENT_ID, CLIENT_SECRET, FakeIdP


class Command(BaseCommand):
    help = "Serve a fake OIDC provider and a fake DingTalk on 127.0.0.1 (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, port, **options):
        fake = FakeIdP(port=port)
        fake.interactive = True  # the authorize pages ask which subject to sign in as
        fake.start()
        self.stdout.write(
            f"Fake provider on {fake.url}. Put these in .env, restart `make run`, link a subject in the admin:\n"
            f"SSO_OIDC_ISSUER={fake.url}\nSSO_OIDC_CLIENT_ID={CLIENT_ID}\nSSO_OIDC_CLIENT_SECRET={CLIENT_SECRET}\n"
            f"SSO_DINGTALK_CLIENT_ID={CLIENT_ID}\nSSO_DINGTALK_CLIENT_SECRET={CLIENT_SECRET}\nDINGTALK_AGENT_ID=1001\n"
            f"DINGTALK_LOGIN_URL={fake.url}\nDINGTALK_API_URL={fake.url}\nDINGTALK_OAPI_URL={fake.url}\n"
            "NOTIFY_CHANNELS=email,webhook,dingtalk\n"
        )
        try:
            seen = 0
            while True:
                time.sleep(1)
                for message in fake.messages[seen:]:
                    md = message["msg"]["markdown"]
                    self.stdout.write(f"work notice to {message['userid_list']}: {md['title']}")
                seen = len(fake.messages)
        except KeyboardInterrupt:
            fake.close()
