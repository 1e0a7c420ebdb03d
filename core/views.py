from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound

from accounts.scope import scope_of
from accounts.selectors import assignments_active_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The caller's starting point; each role's queue and dashboard hang off it."""
    user = request.user
    context = {
        "roles": sorted(user.roles.all(), key=lambda r: r.role),
        "scope": scope_of(user),
        "stations": assignments_active_for(user) if user.has_role("officer") else [],
    }
    return render(request, "core/home.html", context)


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a URL that names no route: JSON under /api/ (API.md: errors are JSON), the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
