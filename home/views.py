"""/: each person's work, not a welcome card (API.md: home is the caller's queue or dashboard)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import assignments_active_for
from cases.timing import remaining_text
from home.care import visits_due_this_week
from home.selectors import figures_now, waiting_work


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    officer = user.has_role(Role.OFFICER)
    work = waiting_work(user)
    now = timezone.now()
    for waiting in work:
        for case in waiting.cases:
            case.remaining = remaining_text(case, now)
    context = {
        "officer": officer,
        "stations": assignments_active_for(user) if officer else [],
        "due_visits": visits_due_this_week(user) if officer else None,
        "work": work,
        "figures": figures_now(user),
    }
    return render(request, "home/home.html", context)
