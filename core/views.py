from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
