"""A group-chat robot webhook, DingTalk style: a JSON POST signed with the robot's secret.

The signature is HMAC-SHA256 over ``timestamp + "\\n" + secret`` keyed with
the secret, base64-encoded, and sent with the millisecond timestamp as the
``timestamp`` and ``sign`` query parameters. The robot answers
``{"errcode": 0}`` when it took the message.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

from notifications.channels import Channel, DeliveryError, PermanentDeliveryError, absolute, wording
from notifications.models import WebhookEndpoint

TIMEOUT_SECONDS = 5


def sign(secret: str, timestamp_ms: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, timestamp_ms: str | None = None) -> str:
    timestamp_ms = timestamp_ms or str(int(time.time() * 1000))
    query = urlencode({"timestamp": timestamp_ms, "sign": sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


class WebhookChannel(Channel):
    name = "webhook"
    recipients_sql = (
        "EXISTS (SELECT 1 FROM notifications_webhookendpoint w WHERE w.org_unit_id = u.org_unit_id AND w.is_active)"
    )

    def send(self, notification) -> None:
        recipient = notification.recipient
        endpoint = WebhookEndpoint.objects.filter(org_unit_id=recipient.org_unit_id, is_active=True).first()
        if endpoint is None:
            raise PermanentDeliveryError("no active robot for the recipient's unit")
        said = wording(notification)
        text = f"#### {said.title}\n\n@{recipient}\n\n{said.body}"
        if notification.url:
            text += f"\n\n[{said.title}]({absolute(notification.url)})"
        payload = {"msgtype": "markdown", "markdown": {"title": said.title, "text": text}}
        if not endpoint.url.startswith(("https://", "http://")):
            raise PermanentDeliveryError(f"robot {endpoint.pk} has no http(s) URL")
        request = urllib.request.Request(  # noqa: S310 — scheme checked above
            signed_url(endpoint.url, endpoint.secret),
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        # Errors name the robot by id only: its URL carries an access token.
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 — scheme checked above
                answer = response.read(4096)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"robot {endpoint.pk} answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"robot {endpoint.pk} unreachable: {type(exc).__name__}") from None
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            errcode = 0  # a 2xx without a JSON body: taken
        if errcode:
            raise DeliveryError(f"robot {endpoint.pk} refused the message (errcode {errcode})")
