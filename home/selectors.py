"""What each person's home shows: the work waiting on them, soonest deadline first, and the figures of now.

Nothing here decides a rule: the queues are cases.queues' (each where its
action waits), the figures dashboards.metrics' for the caller's area, and
each links to the list that holds exactly its rows.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cases.models import Case
from cases.queues import Queue, case_listing
from dashboards.forms import default_stats_form
from dashboards.metrics import Metrics
from dashboards.selection import area_of
from dashboards.tables import LABELS, figure_links

SHOWN = 5
# The figures a city office or a leader looks at first, this month so far.
FIGURES = ("raised", "closed", "completion_rate", "overdue_open", "on_time_rate", "satisfaction_rate")


@dataclass
class WaitingWork:
    queue: Queue
    count: int
    cases: list[Case]


def waiting_work(user) -> list[WaitingWork]:
    """The caller's work tabs that hold something, each with its first cases, the running deadline first."""
    listing = case_listing(user, {})
    found = []
    for tab in listing.tabs:
        count = listing.counts[tab.key]
        if not tab.open_only or not count:
            continue
        # A work tab lists the running deadline first.
        first = case_listing(user, {"tab": tab.key}, counted=False).cases[:SHOWN]
        found.append(WaitingWork(queue=tab, count=count, cases=list(first)))
    return found


def figures_now(user, *, today: datetime.date | None = None) -> list[dict] | None:
    """This month's leading figures of the caller's city or township, each with its list; None for
    roles without an area dashboard."""
    if not area_of(user).shows_dashboards:
        return None
    today = today or timezone.localdate()
    form = default_stats_form(user)
    sel = form.selection().with_period(today.replace(day=1), today)
    figures = Metrics(sel, total_only=True).overview()
    links = figure_links(sel)
    return [{"key": k, "label": LABELS[k], "value": figures[k], "url": links.get(k)} for k in FIGURES]
