"""What a signed-in session still owes before it gets a page: a second factor, and a life that ends.

Both read only the session (already loaded for the user), so they add no query to any request.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import twofactor

SIGNED_IN_AT = "signed_in_at"


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = timezone.now().isoformat()
    twofactor.session_start(request, user)


class SessionLifetimeMiddleware:
    """Ends a session settings.SESSION_ABSOLUTE_HOURS after its sign-in, however busy (ASVS 3.3.2).

    The 30-minute idle timeout (SESSION_COOKIE_AGE, renewed on every request) alone would let a session
    that is used every few minutes live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            now = timezone.now()
            if started is None:
                # A session from before this rule: its life is counted from now.
                request.session[SIGNED_IN_AT] = now.isoformat()
            elif now - datetime.datetime.fromisoformat(started) > datetime.timedelta(
                hours=settings.SESSION_ABSOLUTE_HOURS
            ):
                # The next login_required page sends the now anonymous user to sign in again.
                logout(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Asks for the second factor (or its enrolment) before any page, the admin's included (accounts.twofactor)."""

    # Only the second factor's own pages, signing out and what those pages load.
    ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/admin/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.ALLOWED_PREFIXES) or not request.user.is_authenticated:
            return self.get_response(request)
        state = request.session.get(twofactor.SESSION_KEY)
        if state is None:
            # A session from before two factors: decided as at a sign-in (one query, once).
            state = twofactor.session_start(request, request.user)
        if state == twofactor.DONE:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # A browser session half signed in gets nothing from the API either.
            return JsonResponse({"detail": _("Finish signing in with your second factor first.")}, status=403)
        target = reverse("twofactor_verify" if state == twofactor.VERIFY else "twofactor_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
