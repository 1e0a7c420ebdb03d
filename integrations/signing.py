"""The one signature both directions use.

    X-Minqing-Signature = hex(HMAC-SHA256(key=secret, msg=timestamp + "." + raw body))

``timestamp`` is the X-Minqing-Timestamp header as sent (unix seconds, decimal), the
body the exact bytes of the request, both UTF-8.
"""

import hashlib
import hmac

# Seconds a signed request stays acceptable either side of our clock; seen signatures are kept this long.
WINDOW = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def matches(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """Constant-time: how much of a guess is right must not show in the answer's timing."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature.strip().lower())


def headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of a signed request of ours (pushes, and the fake platform's orders)."""
    stamp = str(timestamp)
    return {
        "Content-Type": "application/json",
        "X-Minqing-Timestamp": stamp,
        "X-Minqing-Signature": sign(secret, stamp, body),
    }
