"""A stand-in for 12345 / 基层治理四平台: receives our pushes and sends us signed orders.

Tests start it in a thread (``FakePlatform(secret).start()``); ``manage.py fake_platform``
runs it in the foreground for trying the integration by hand.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from integrations import signing


class FakePlatform:
    """Pushes arrive at ``url``; each is checked against ``secret`` and kept in ``received`` (or ``refused``)."""

    def __init__(self, secret: str, *, port: int = 0, host: str = "127.0.0.1", echo: bool = False):
        self.secret, self.host, self.port, self.echo = secret, host, port, echo
        self.received: list[dict] = []
        self.refused: list[str] = []
        # Set to a status code to answer every push with it (a platform having a bad day).
        self.answer = 200
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/push"

    def start(self) -> "FakePlatform":
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler())
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler())
        self.port = self._server.server_address[1]
        self._server.serve_forever()

    def stop(self) -> None:
        """Close the port: posts to ``url`` are refused until ``start`` again (same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stamp = self.headers.get("X-Minqing-Timestamp", "")
                signature = self.headers.get("X-Minqing-Signature", "")
                if not (stamp and signature and signing.matches(platform.secret, stamp, body, signature)):
                    platform.refused.append("bad signature")
                    self._answer(401)
                    return
                if platform.answer >= 300:
                    self._answer(platform.answer)
                    return
                push = json.loads(body)
                platform.received.append(push)
                if platform.echo:
                    print(f"push: {push['external_id']} {push['event']} → {push['status']} at {push['at']}", flush=True)
                self._answer(200)

            def _answer(self, status: int) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format, *args):  # quiet: the pushes are printed above when asked
                pass

        return Handler


def sample_order(n: int, *, category_code: str = "ROAD", township_code: str = "") -> dict:
    """A plausible order; the phone is a sample number, never a real one."""
    return {
        "external_id": f"FAKE-{int(time.time())}-{n}",
        "category_code": category_code,
        "title": f"路灯不亮（样例{n}）",
        "content": "村口路灯坏了一周，晚上出行不便。",
        "reporter_name": "王先生",
        "reporter_phone": "13800000000",
        "address": "东溪村口",
        "township_code": township_code,
        "reported_at": "2026-11-25T09:00:00+08:00",
    }


def send_order(url: str, *, source: str, secret: str, order: dict) -> requests.Response:
    """Post one order signed as ``source`` would."""
    body = json.dumps(order, ensure_ascii=False).encode()
    headers = {**signing.headers(secret, int(time.time()), body), "X-Minqing-Source": source}
    return requests.post(url, data=body, headers=headers, timeout=10)
