"""Writing the audit trail. Never put passwords, tokens or full phone numbers in ``detail``."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from audit.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from. Behind TRUSTED_PROXY_COUNT proxies every request reaches us from a
    proxy, so the client is the entry that many places from the right of X-Forwarded-For (each proxy appends
    the address it was reached from; entries further left are whatever the client sent, and not believed)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # a proxy that forwards garbage: the connection's own address is all we know
        return remote


def audit_log(
    *,
    action: str,
    user=None,
    obj=None,
    outcome: str = "ok",
    request: HttpRequest | None = None,
    username: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit row: who (user), what (action), on what (obj), with what outcome, from where."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        outcome=outcome,
        ip=client_ip(request),
        detail=detail or {},
    )
