"""Real things on local ports for the delivery tests: a chat robot and a Redis of our own."""

import base64
import hashlib
import hmac
import json
import os
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
import redis
from celery import current_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Robot:
    """A DingTalk-style robot: checks the signature, answers 500 while told to fail."""

    secret = "SEC-test-secret-0123456789"

    def __init__(self):
        self.messages: list[dict] = []
        self.bad_signatures = 0
        self.fail_next = 0
        self.always_fail = False
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's name
                query = parse_qs(urlparse(self.path).query)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                timestamp, sign = query["timestamp"][0], query["sign"][0]
                expected = base64.b64encode(
                    hmac.new(robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256).digest()
                ).decode()
                if not hmac.compare_digest(sign, expected) or query.get("access_token") != ["tok-1"]:
                    robot.bad_signatures += 1
                    return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
                if robot.always_fail or robot.fail_next > 0:
                    robot.fail_next -= 1
                    return self.answer(500, {"errmsg": "busy"})
                robot.messages.append(body)
                return self.answer(200, {"errcode": 0, "errmsg": "ok"})

            def answer(self, status: int, payload: dict):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=tok-1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    robot = Robot()
    yield robot
    robot.close()


class RedisServer:
    """A redis-server of the test's own, to stop and start without touching the suite's one."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Redis keeps the real clock even when `make test SYSTEM_CLOCK=…` moves the suite's (it does not
            # start under libfaketime), like the suite's own Redis.
            env={k: v for k, v in os.environ.items() if k not in {"LD_PRELOAD", "FAKETIME"}},
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@pytest.fixture
def private_redis():
    """Celery publishes to a Redis of this test's own while it runs."""
    server = RedisServer()
    server.start()
    previous = current_app.conf.broker_url
    current_app.conf.broker_url = server.url
    yield server
    current_app.conf.broker_url = previous
    server.stop()
