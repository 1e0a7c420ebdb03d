"""A local stand-in for a Chinese SMS gateway, served from a thread on 127.0.0.1 (residents.sms.HttpBackend).

It checks the access key and the HMAC-SHA256 signature over the body (answering 403 otherwise), keeps
each message it took in ``messages`` and answers ``{"code": "OK"}``. ``fail_next`` lists HTTP statuses
to answer first, one per call (500 for a gateway down, 400 for a refusal), and ``delay`` makes it slow.
Used by the tests and by ``manage.py fake_sms``; never in production.
"""

import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from residents.sms import sign

ACCESS_KEY_ID, SECRET = "fake-sms-key", "fake-sms-secret-0123456789"
TEMPLATES = {"received": "SMS_RECEIVED", "answered": "SMS_ANSWERED", "redo": "SMS_REDO"}


class FakeSmsGateway:
    def __init__(self, port: int = 0, host: str = "127.0.0.1"):
        self.messages: list[dict] = []
        self.fail_next: list[int] = []
        self.calls = 0
        self.delay = 0.0
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.url = f"http://{host}:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeSmsGateway":
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def gateway_settings(self) -> dict:
        """settings.SMS_GATEWAY pointing at this fake."""
        return {"url": self.url, "access_key_id": ACCESS_KEY_ID, "secret": SECRET, "sign_name": "清溪民情",
                "templates": dict(TEMPLATES)}  # fmt: skip

    def answer(self, headers, body: bytes) -> tuple[int, dict]:
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if self.fail_next:
            return self.fail_next.pop(0), {"code": "Fail"}
        expected = sign(SECRET, body)
        if headers.get("X-Sms-Access-Key") != ACCESS_KEY_ID or not hmac.compare_digest(
            headers.get("X-Sms-Signature", ""), expected
        ):
            return 403, {"code": "SignatureDoesNotMatch"}
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"code": "BadJson"}
        missing = {"phone", "sign_name", "template_id", "params", "timestamp", "nonce"} - set(payload)
        if missing or payload["template_id"] not in TEMPLATES.values():
            return 400, {"code": "InvalidParameter"}
        self.messages.append(payload)
        return 200, {"code": "OK", "request_id": str(len(self.messages))}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = fake.answer(self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep the test output (and any phone) out of stderr
                pass

        return Handler
