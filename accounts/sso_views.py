"""The single sign-on routes: to the provider, back from it, and DingTalk's in-app code (accounts.sso)."""

import logging
import re
from urllib.parse import urlencode

from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import sso, twofactor
from accounts.models import ExternalIdentity
from audit.services import audit_log

log = logging.getLogger(__name__)
NEXT_KEY = "sso_next"
BACKEND = "accounts.backends.LockoutModelBackend"


def _provider(code: str) -> sso.Provider:
    provider = sso.providers().get(code)
    if provider is None:
        raise Http404
    return provider


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_GET
def sso_start(request, provider):
    provider = _provider(provider)
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(reverse("sso_callback", args=[provider.code]))
    try:
        return sso.authorize_redirect(request, provider.code, redirect_uri)
    except sso.SSOError as exc:
        return _failed(request, provider, str(exc))


@require_GET
def sso_callback(request, provider):
    provider = _provider(provider)
    try:
        subject = sso.subject_from_callback(request, provider.code)
    except sso.SSOError as exc:
        return _failed(request, provider, str(exc))
    return _sign_in(request, provider, subject)


@require_POST
def sso_dingtalk_in_app(request):
    provider = _provider(sso.DINGTALK)
    if not sso.in_app_corp_id():
        raise Http404
    code = (request.POST.get("code") or "").strip()
    request.session[NEXT_KEY] = _safe_next(request, request.POST.get("next", ""))
    if not code or len(code) > 200:
        return _failed(request, provider, "no code")
    try:
        subject, userid = sso.subject_from_in_app_code(code)
    except sso.SSOError as exc:
        return _failed(request, provider, str(exc))
    return _sign_in(request, provider, subject, platform_user_id=userid)


def _failed(request, provider, reason: str):
    # reason never holds a code or token (accounts.sso.SSOError), but may quote the provider's error
    # parameter, which anyone can type: one line of plain characters in the log.
    log.warning("sign-in through %s failed: %s", provider.code, re.sub(r"[^\w .:()-]", "?", reason)[:200])
    audit_log(action="sso_failed", outcome="failed", request=request, detail={"provider": provider.code})
    context = {
        "provider": provider,
        "message": _("The sign-in through %(provider)s did not complete. Try again, or sign in with your password.")
        % {"provider": provider.name},
    }
    return render(request, "registration/sso_refused.html", context)


def _sign_in(request, provider, subject: str, platform_user_id: str = ""):
    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider.code, subject=subject).first()
    if identity is None or not identity.user.is_active:
        audit_log(
            action="sso_refused",
            outcome="failed",
            request=request,
            username=identity.user.get_username() if identity else "",
            detail={"provider": provider.code, "subject": subject[:255]},
        )
        context = {"provider": provider, "subject": subject, "not_linked": True}
        return render(request, "registration/sso_refused.html", context)
    identity.last_login_at = timezone.now()
    fields = ["last_login_at"]
    if platform_user_id and identity.platform_user_id != platform_user_id:
        identity.platform_user_id = platform_user_id
        fields.append("platform_user_id")
    identity.save(update_fields=fields)
    target = request.session.pop(NEXT_KEY, "/")
    # login() writes the "login" audit row and decides what the session still owes (accounts.middleware).
    login(request, identity.user, backend=BACKEND)
    audit_log(action="sso_login", user=identity.user, request=request, detail={"provider": provider.code})
    if request.session.get(twofactor.SESSION_KEY) == twofactor.VERIFY:
        # The provider was the first factor only: the second is asked as after a password.
        return redirect(f"{reverse('twofactor_verify')}?{urlencode({'next': target})}")
    return redirect(target)
