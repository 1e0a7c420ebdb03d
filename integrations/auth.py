"""Who may post orders: a platform that signs its request (signing.py), not a person.

Every refusal is the same 401 with nothing written; the log says why, never the body.
"""

import logging
import time

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from integrations import signing
from integrations.models import Source

logger = logging.getLogger(__name__)


class PlatformUser:
    """The ``request.user`` of a signed platform request: authenticated, with no roles and no scope."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = id = None
    role_names = frozenset()

    def __init__(self, source: Source):
        self.source = source

    def __str__(self) -> str:
        return f"platform {self.source.code}"


class SignatureAuthentication(authentication.BaseAuthentication):
    """X-Minqing-Source, X-Minqing-Timestamp, X-Minqing-Signature (see integrations.signing)."""

    def authenticate(self, request):
        meta = request.META
        code = meta.get("HTTP_X_MINQING_SOURCE", "")
        stamp = meta.get("HTTP_X_MINQING_TIMESTAMP", "")
        signature = meta.get("HTTP_X_MINQING_SIGNATURE", "")
        if not (code and stamp and signature):
            self._refuse(code, "a signature header is missing")
        source = Source.objects.filter(code=code[:32], is_active=True).first()
        if source is None:
            self._refuse(code, "unknown or inactive platform")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > signing.WINDOW:
            self._refuse(code, "timestamp outside the window")
        if not signing.matches(source.secret, stamp, request._request.body, signature):
            self._refuse(code, "wrong signature")
        # add() is atomic in the cache: of two identical requests, one passes.
        if not cache.add(f"integrations:seen:{source.pk}:{signature.strip().lower()}", 1, signing.WINDOW * 2 + 5):
            self._refuse(code, "replayed signature")
        return PlatformUser(source), source

    def authenticate_header(self, request) -> str:
        # Any value makes DRF answer 401 rather than 403.
        return 'Minqing-Signature realm="api"'

    @staticmethod
    def _refuse(code: str, reason: str):
        logger.warning("inbound order refused (platform %r): %s", code[:32], reason)
        raise exceptions.AuthenticationFailed(_("The request is not signed by a known platform."))


class IsPlatform(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Source)


class SignatureScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of the class above: the signature header (with its two companions)."""

    target_class = "integrations.auth.SignatureAuthentication"
    name = "platformSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "X-Minqing-Signature",
            "description": 'hex HMAC-SHA256(secret, X-Minqing-Timestamp + "." + raw body), '
                           "with X-Minqing-Source and X-Minqing-Timestamp (unix seconds, ±300 s)",
        }  # fmt: skip
