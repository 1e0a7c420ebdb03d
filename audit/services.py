"""Writing the audit trail. Never put passwords, tokens or full phone numbers in ``detail``."""

from django.http import HttpRequest

from audit.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
