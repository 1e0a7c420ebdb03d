from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts.api.permissions import FORCED_CHANGE_MESSAGE
from accounts.passwords import password_expired
from core.db import is_unavailable


class ContentSecurityPolicyMiddleware:
    """Sends the CSP of settings.CONTENT_SECURITY_POLICY: scripts only from our own files."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(f"{k} {v}" for k, v in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.header)
        return response


class ForcePasswordChangeMiddleware:
    """Sends a user whose password an admin marked for change, or whose password expired, to the change form first.

    The API cannot show a form: its calls answer 403 JSON saying where to change it (token calls get the
    same from accounts.api.permissions.PasswordChangeNotPending, since tokens are read after this runs).
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/v1/auth/token/", "/api/v1/auth/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (getattr(user, "must_change_password", False) or password_expired(user))
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(FORCED_CHANGE_MESSAGE)}, status=403)
            return redirect(reverse("password_change"))
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A page whose database connection dropped (restart, failover) answers 503, not a 500.

    Nothing was committed, so the honest message is "try again"; the next
    request reconnects by itself (CONN_HEALTH_CHECKS). The page is standalone
    because the usual base template would query the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    # Never written back into a page: a password, a second-factor code or a token.
    SECRET_FIELDS = ("password", "otp", "token", "code")

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            response = render(request, "core/503.html", self.kept_input(request), status=503)
            response["Retry-After"] = "5"
            return response
        return None

    def kept_input(self, request) -> dict:
        """What a refused form had in it, so the page can show it and send it again: a person
        who typed a long reply must not lose it because the database restarted. A form that
        carried a secret is not offered again (its secret is not written back)."""
        if request.method != "POST" or request.path.startswith("/api/"):
            return {}
        fields = [(k, v) for k, values in request.POST.lists() for v in values]
        if any(any(s in k.lower() for s in self.SECRET_FIELDS) and k != "csrfmiddlewaretoken" for k, _ in fields):
            return {}
        typed = [(k, v) for k, v in fields if k != "csrfmiddlewaretoken" and len(v) > 20]
        return {"resend": fields, "typed": typed, "files_dropped": bool(request.FILES), "action": request.path}


class NoStoreWhenSignedInMiddleware:
    """Answers to a signed-in user (pages, API, exports, photos) carry their personal data:
    ``Cache-Control: no-store`` keeps them out of shared caches and the browser's disk cache,
    so the next person on a shared office computer cannot page back to them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # DRF authenticates tokens inside the view and sets the user on this request too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
