"""What every dashboard page shares: who may open it and how its filters become a Selection."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from dashboards.forms import StatsFilterForm, default_stats_form
from dashboards.selection import area_of
from minqing.routers import on_replica


def dashboard_page(view):
    """Signed in, with a city or township to look at (city office, leaders, township staff, admins); reads may use the replica."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not area_of(request.user).shows_dashboards:
            raise PermissionDenied
        # Figures may come from the read replica (minqing.routers); the user above came from the primary.
        with on_replica():
            return view(request, *args, **kwargs)

    return wrapped


def stats_form(request) -> tuple[StatsFilterForm, StatsFilterForm]:
    """(the form as submitted, with its errors; a valid form to compute from).

    Bad filters are shown next to their field while the page falls back to
    the default period of the caller's own area.
    """
    form = StatsFilterForm(request.GET, user=request.user)
    if form.is_valid():
        # Shown with the period actually used (the defaults filled in).
        shown = StatsFilterForm(form.params(), user=request.user)
        shown.is_valid()
        return shown, form
    return form, default_stats_form(request.user)


def query(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
