"""API sign-in by token (django-rest-knox), reading the user's unit with the token: every scope and role check
needs it, so a request costs one query for authentication."""

import binascii
from hmac import compare_digest

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from accounts.models import ApiToken, UserRole
from accounts.roles import Role


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
        # The user's roles come with the token (one indexed probe per role): every scope and action check
        # asks for them, and a second query per request for them is a tenth of a case action's budget.
        held = {f"_holds_{r}": Exists(UserRole.objects.filter(user=OuterRef("user_id"), role=r)) for r in Role.values}
        candidates = (
            ApiToken.objects.select_related("user__org_unit")
            .annotate(**held)
            .filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        )
        for api_token in candidates:
            if not compare_digest(digest, api_token.digest):
                continue
            if api_token.expiry is not None and api_token.expiry <= now:
                break  # idle or absolute lifetime over: the row goes at the owner's next sign-in
            if knox_settings.AUTO_REFRESH and api_token.expiry:
                # Moves the idle end on, never past created + AUTO_REFRESH_MAX_TTL (the absolute end);
                # writes at most once a minute (MIN_REFRESH_INTERVAL).
                self.renew_token(api_token)
            api_token.user._role_names = frozenset(r for r in Role.values if getattr(api_token, f"_holds_{r}"))
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
