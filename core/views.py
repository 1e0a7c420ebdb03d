from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied


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
