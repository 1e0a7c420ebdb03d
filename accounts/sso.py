"""Single sign-on: a standard OIDC provider and DingTalk's OAuth2, both as a first factor only.

Providers come from settings (SSO_OIDC, DINGTALK); one without a client id is off, and its routes
answer 404. A provider's answer signs someone in only if an admin linked its subject to an active
user (ExternalIdentity): nobody is ever created or linked here.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

import requests
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.utils.translation import gettext as _

from accounts import dingtalk

log = logging.getLogger(__name__)

OIDC, DINGTALK = "oidc", "dingtalk"
TIMEOUT_SECONDS = 5


class SSOError(Exception):
    """The provider's answer cannot sign anyone in. The message is safe to log (no codes, no tokens)."""


@dataclass(frozen=True)
class Provider:
    code: str
    name: str


def providers() -> dict[str, Provider]:
    """The configured providers, in the order their buttons show."""
    found = {}
    oidc = settings.SSO_OIDC
    if oidc["issuer"] and oidc["client_id"]:
        found[OIDC] = Provider(OIDC, oidc["name"] or "OIDC")
    if dingtalk.configured():
        found[DINGTALK] = Provider(DINGTALK, _("DingTalk"))
    return found


def in_app_corp_id() -> str:
    """The corpId the DingTalk client's in-app sign-in needs, or "" when it is off."""
    return settings.DINGTALK["corp_id"] if DINGTALK in providers() else ""


@lru_cache(maxsize=8)
def _client(code: str, config: tuple):
    """The authlib client for a provider; cached per configuration, so discovery is fetched once."""
    oauth = OAuth()
    conf = dict(config)
    if code == OIDC:
        return oauth.register(
            OIDC,
            client_id=conf["client_id"],
            client_secret=conf["client_secret"],
            server_metadata_url=conf["issuer"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid", "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS},
        )
    # DingTalk is OAuth2 without OIDC: authlib makes the redirect and keeps the state; the token and the
    # user are fetched by hand below (JSON body, a header of DingTalk's own).
    return oauth.register(
        DINGTALK,
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        authorize_url=conf["login_url"].rstrip("/") + "/oauth2/auth",
        authorize_params={"prompt": "consent"},
        client_kwargs={"scope": "openid", "timeout": TIMEOUT_SECONDS},
    )


def client(code: str):
    conf = settings.SSO_OIDC if code == OIDC else settings.DINGTALK
    return _client(code, tuple(sorted(conf.items())))


def authorize_redirect(request, code: str, redirect_uri: str):
    """The redirect to the provider, with a state (and for OIDC a nonce and PKCE) kept in the session."""
    try:
        return client(code).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise SSOError(f"discovery failed: {type(exc).__name__}") from None


def subject_from_callback(request, code: str) -> str:
    """The provider's stable id of the person the callback brings back, once state and token check out."""
    if code == OIDC:
        from authlib.integrations.base_client import OAuthError

        try:
            token = client(OIDC).authorize_access_token(request)
        except OAuthError as exc:
            raise SSOError(f"provider refused: {exc.error}") from None
        except requests.RequestException as exc:
            raise SSOError(f"provider unreachable: {type(exc).__name__}") from None
        except Exception as exc:  # a bad ID token (signature, nonce, expiry) is joserfc's error of the day
            raise SSOError(f"token rejected: {type(exc).__name__}") from None
        subject = (token.get("userinfo") or {}).get("sub")
        if not subject:
            raise SSOError("no subject in the ID token")
        return str(subject)
    return _dingtalk_subject(request)


def _dingtalk_subject(request) -> str:
    if error := request.GET.get("error"):
        raise SSOError(f"provider refused: {error[:50]}")
    state = request.GET.get("state") or ""
    app = client(DINGTALK)
    state_data = app.framework.get_state_data(request.session, state) if state else None
    if state:
        app.framework.clear_state_data(request.session, state)
    if not state_data:
        raise SSOError("mismatching state")
    # DingTalk's redirect names the code authCode.
    auth_code = request.GET.get("authCode") or request.GET.get("code")
    if not auth_code:
        raise SSOError("no code")
    conf = settings.DINGTALK
    api = conf["api_url"].rstrip("/")
    try:
        answer = requests.post(
            f"{api}/v1.0/oauth2/userAccessToken",
            json={
                "clientId": conf["client_id"],
                "clientSecret": conf["client_secret"],
                "code": auth_code,
                "grantType": "authorization_code",
            },
            timeout=TIMEOUT_SECONDS,
        )
        if answer.status_code != 200:
            raise SSOError(f"token refused: HTTP {answer.status_code}")
        user_token = answer.json().get("accessToken")
        if not user_token:
            raise SSOError("token refused: no accessToken")
        me = requests.get(
            f"{api}/v1.0/contact/users/me", headers={"x-acs-dingtalk-access-token": user_token}, timeout=TIMEOUT_SECONDS
        )
        if me.status_code != 200:
            raise SSOError(f"user refused: HTTP {me.status_code}")
        union_id = me.json().get("unionId")
    except requests.RequestException as exc:
        raise SSOError(f"provider unreachable: {type(exc).__name__}") from None
    except (ValueError, AttributeError):
        raise SSOError("provider answered nonsense") from None
    if not union_id or not isinstance(union_id, str):
        raise SSOError("no unionId")
    return union_id


def subject_from_in_app_code(auth_code: str) -> tuple[str, str]:
    """(unionId, userid) for a code the DingTalk client gave the in-app page."""
    try:
        return dingtalk.user_by_code(auth_code)
    except dingtalk.DingTalkError as exc:
        raise SSOError(str(exc)) from None
