"""API sign-in by token (django-rest-knox), reading the user's unit with the token: every scope and role check
needs it, and (on PostgreSQL) the user's roles, so a request costs one query for authentication."""

import binascii
from hmac import compare_digest

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from accounts.models import ApiToken, UserRole


class TokenAuthentication(auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # Knox's own version also loads all the user's other tokens on every request to delete the
        # expired ones; ours leaves that to token issue (accounts.services.api_token_issue).
        msg = _("Invalid token.")
        key = token.decode("utf-8")
        try:
            digest = hash_token(key)
        except (TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(msg) from None
        now = timezone.now()
        candidates = ApiToken.objects.select_related("user__org_unit").filter(
            token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]
        )
        if connection.vendor == "postgresql":
            # The user's roles in the same statement: every request asks for them (User.role_names).
            roles = UserRole.objects.filter(user_id=OuterRef("user_id")).values("role")
            candidates = candidates.annotate(role_list=ArraySubquery(roles))
        for api_token in candidates:
            if not compare_digest(digest, api_token.digest):
                continue
            if api_token.expiry is not None and api_token.expiry <= now:
                break  # idle or absolute lifetime over: the row goes at the owner's next sign-in
            if knox_settings.AUTO_REFRESH and api_token.expiry:
                # Moves the idle end on, never past created + AUTO_REFRESH_MAX_TTL (the absolute end);
                # writes at most once a minute (MIN_REFRESH_INTERVAL).
                self.renew_token(api_token)
            if hasattr(api_token, "role_list"):
                api_token.user._role_names = frozenset(api_token.role_list)
            return self.validate_user(api_token)
        raise exceptions.AuthenticationFailed(msg)

    def validate_user(self, auth_token: ApiToken):
        if not auth_token.user.is_active:  # knox's own message has no Chinese
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (auth_token.user, auth_token)


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of the class above, under the name DRF's token scheme had (``tokenAuth``)."""

    target_class = "accounts.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
