from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied

from core import text_size


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


# Django's own error answers (handler400/403/404/500 in minqing.urls): errors raised outside a DRF view, or that
# DRF does not handle (a request over Django's upload limits, a bug), answer JSON under /api/ (API.md: errors are
# JSON) and the usual pages elsewhere.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


# Over DATA_UPLOAD_MAX_NUMBER_FILES / _FIELDS / _MEMORY_SIZE: Django refuses before any view reads the body.
TOO_LARGE = (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        if isinstance(exception, TOO_LARGE):
            return JsonResponse(
                {"detail": _("The request is too large: too many files or fields, or too big.")}, status=413
            )
        return JsonResponse({"detail": str(ParseError.default_detail)}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(exception) or str(DRFPermissionDenied.default_detail)}, status=403)
    return defaults.permission_denied(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL that names no route: JSON under /api/, the page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": str(APIException.default_detail)}, status=500)
    return defaults.server_error(request)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline shell's worker, served from the root so its scope covers /diaries/new/ and the start page.

    Rendered without the request: the same bytes for everyone, no query, no personal data."""
    body = render_to_string("pwa/sw.js", {"static_url": static("")})
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers re-check the worker on every visit anyway; never let a proxy hold an old one.
    patch_cache_control(response, no_cache=True)
    return response


def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: installs the site as 民情日记, starting at /."""
    data = {
        "name": _("Minqing diary"),
        "short_name": _("Minqing diary"),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f7fa",
        "theme_color": "#b3261e",
        "lang": get_language(),
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("pwa/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_POST
def set_text_size(request: HttpRequest) -> HttpResponse:
    """The large-text switch: a plain form post (no JavaScript), back to the page it was pressed on."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("size") == text_size.LARGE:
        response.set_cookie(
            text_size.COOKIE, text_size.LARGE, max_age=text_size.ONE_YEAR, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE, httponly=True,
        )  # fmt: skip
    else:
        response.delete_cookie(text_size.COOKIE, samesite="Lax")
    return response
