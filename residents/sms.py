"""SMS backends: where messages to residents go (settings.SMS_BACKEND, a dotted path).

``ConsoleBackend`` (the default) only logs the message, the phone masked (138****5678): the demo shows
messages in the log. ``HttpBackend`` posts to a standard Chinese SMS gateway (settings.SMS_GATEWAY):

    POST <url>
    Content-Type: application/json; charset=utf-8
    X-Sms-Access-Key: <access key id>
    X-Sms-Signature: base64(HMAC-SHA256(key=<secret>, msg=<the exact body bytes>))

    {"phone": "13800001234", "sign_name": "清溪民情", "template_id": "SMS_001",
     "params": {"code": "...", "url": "..."}, "timestamp": 1767225600000, "nonce": "<32 hex>"}

``timestamp`` is in milliseconds and ``nonce`` is random, so the gateway can refuse replays. The
gateway answers 2xx with ``{"code": "OK"}`` when it took the message. A 5xx, a timeout or an unreachable
gateway is temporary (``TemporarySmsError``: the outbox tries again later, residents.messages); a 4xx, a
refusal in the body or a kind with no template is permanent (``PermanentSmsError``: given up at once).
Errors and log lines never carry the phone number.
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from minqing.log_filters import mask_digits

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5


class SmsError(Exception):
    """Sending failed; the message is safe to log and store (no phone number)."""


class TemporarySmsError(SmsError):
    """A later attempt may succeed (5xx, timeout, gateway unreachable)."""


class PermanentSmsError(SmsError):
    """It never will (4xx, refused, no template for the kind)."""


def masked(phone: str) -> str:
    """138****5678; anything shorter than a phone keeps only its last two characters."""
    phone = phone or ""
    if len(phone) >= 7:
        return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
    return f"{'*' * max(len(phone) - 2, 0)}{phone[-2:]}"


class Backend:
    def send(self, *, phone: str, kind: str, params: dict, text: str) -> None:
        """Send one message: ``kind`` picks the gateway's template, ``params`` fill it, ``text`` is the same in
        full (for backends that send plain text). Raises SmsError."""
        raise NotImplementedError


class ConsoleBackend(Backend):
    def send(self, *, phone: str, kind: str, params: dict, text: str) -> None:
        # The text holds no phone number; mask_digits catches any other number-shaped run all the same.
        logger.info("SMS to %s (%s): %s", masked(phone), kind, mask_digits(text))


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class HttpBackend(Backend):
    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else settings.SMS_GATEWAY

    def send(self, *, phone: str, kind: str, params: dict, text: str) -> None:
        config = self.config
        template = (config.get("templates") or {}).get(kind)
        if not template:
            raise PermanentSmsError(f"no SMS template for {kind}")
        url = config.get("url", "")
        if not url.startswith(("https://", "http://")):
            raise PermanentSmsError("the SMS gateway has no http(s) URL")
        body = json.dumps(
            {
                "phone": phone,
                "sign_name": config.get("sign_name", ""),
                "template_id": template,
                "params": params,
                "timestamp": int(time.time() * 1000),
                "nonce": secrets.token_hex(16),
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 — scheme checked above
            url,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Sms-Access-Key": config.get("access_key_id", ""),
                "X-Sms-Signature": sign(config.get("secret", ""), body),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = response.read(4096)
        except urllib.error.HTTPError as exc:
            error = PermanentSmsError if 400 <= exc.code < 500 else TemporarySmsError
            raise error(f"SMS gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:  # timeouts are OSErrors too
            raise TemporarySmsError(f"SMS gateway unreachable: {type(exc).__name__}") from None
        try:
            code = json.loads(answer or b"{}").get("code", "OK")
        except (ValueError, AttributeError):
            code = "OK"  # a 2xx without a JSON body: taken
        if code != "OK":
            raise PermanentSmsError(f"SMS gateway refused the message ({str(code)[:40]})")
        logger.info("SMS to %s (%s): sent through the gateway", masked(phone), kind)


@cache
def _load(path: str) -> Backend:
    return import_string(path)()


def backend() -> Backend:
    return _load(settings.SMS_BACKEND)
