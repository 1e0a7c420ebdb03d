from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


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
    """Sends a user whose password an admin marked for change to the change form first."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect(reverse("password_change"))
        return self.get_response(request)
