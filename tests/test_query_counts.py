"""Every list and detail page and API endpoint has a pinned query count that does not grow with rows.

One world is built with 2 of everything (cases, a timeline of return and
re-dispatch rounds, diaries, visits and issues, notices, projects, stations),
every route is counted, then the same is added with 20 and every route is
counted again: the counts must be equal, and within the budget pinned here.
Detail routes are counted on the object that has the 2 (then 20) related rows.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from cases import services
from cases.services.projects import project_create
from core import tablecache
from core.testing.factories import (
    IssueDataFactory,
    StationAssignmentFactory,
    VillageFactory,
    VisitDataFactory,
    WrittenDiaryFactory,
)
from dashboards.services.rollup import rollup_day
from demo.categories import seed_categories
from notifications.services import notify

pytestmark = pytest.mark.django_db

# route → (who asks, the most queries it may take: what it takes today). "{case}" etc. are the detail objects of each round.
ROUTES = {
    # cases
    "/api/v1/categories/": ("officer", 3),
    "/api/v1/cases/": ("city_office", 6),
    "/api/v1/cases/?status=pending_sign&page_size=50": ("city_office", 5),
    "/api/v1/cases/{case}/": ("city_office", 8),
    "/api/v1/cases/{case}/events/": ("city_office", 6),
    "/api/v1/cases/{case}/similar/": ("city_office", 9),
    # A city's lists ask the planner first whether to count or estimate (core.api.pagination.counted): +1.
    "/cases/": ("city_office", 14),
    "/cases/{case}/": ("city_office", 22),
    "/api/v1/cases/?page_size=20": ("officer", 7),
    # diaries
    "/api/v1/diaries/": ("township_staff", 9),
    "/api/v1/diaries/{diary}/": ("township_staff", 8),
    "/diaries/": ("township_staff", 16),
    "/diaries/{diary}/": ("township_staff", 15),  # its audit row: residents named to the desk
    "/diaries/new/": (
        "officer",
        12,
    ),  # + the key records due (the picker without script), the tags, the stations served
    "/api/v1/diaries/?page_size=20": ("officer", 9),
    # notifications
    "/api/v1/notifications/": ("township_staff", 3),
    "/api/v1/notifications/unread-count/": ("township_staff", 2),
    "/notifications/": ("township_staff", 9),
    # dashboards
    "/api/v1/stats/overview/": ("city_office", 14),
    "/api/v1/stats/rankings/": ("city_office", 9),
    "/api/v1/stats/scores/": ("city_office", 11),  # as /dashboard/scores/ (dashboards/tests/test_query_counts.py)
    "/api/v1/hotspots/": ("city_office", 4),
    # projects (cases.projects)
    # Projects followed through: their milestones, lead and assisting units (one query each, however many);
    # the list asks the planner's estimate first, as every city list does.
    "/api/v1/projects/": ("city_office", 7),
    "/api/v1/projects/{project}/": ("city_office", 5),
    "/projects/": ("city_office", 9),
    # The page: milestones, updates, cases by township with their callbacks, and the forms' unit choices.
    "/projects/{project}/": ("city_office", 18),
    # accounts: the org tree, the caller's stations, the caller
    "/api/v1/me/": ("officer", 4),
    "/api/v1/org-units/": ("city_office", 5),
    "/api/v1/stations/": ("officer", 3),
}


def clients(cast) -> dict[tuple[str, bool], Client]:
    """(who, api) → a client: the API with the user's token (as the app does), pages with a session."""
    out = {}
    for name in {who for who, _ in ROUTES.values()}:
        user = getattr(cast, name)
        out[name, True] = Client(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.create(user=user)[1]}")
        out[name, False] = Client()
        out[name, False].force_login(user)
    return out


def add_world(cast, cats, n: int, round_: int) -> dict[str, int]:
    """n more of everything; answers the detail objects that have n related rows."""
    raised = []
    for i in range(n):
        case = services.case_raise(
            by=cast.township_staff, title=f"村口道路坑洼 {round_}-{i}", description="雨天积水",
            category=cats["infra.road"], urgency="normal", township=cast.township,
            reporter_name="张三", reporter_phone="13812345678", source="phone",
        )  # fmt: skip
        raised.append(case)
    # One case with n rounds of dispatch and return: n dispatches, 2n + 1 events.
    timeline = raised[0]
    for i in range(n):
        services.case_dispatch(case_id=timeline.pk, by=cast.township_staff, unit=cast.office)
        services.case_return(case_id=timeline.pk, by=cast.office_handler, reason=f"不属于本单位 {i}")
    for case in raised[1::2]:
        services.case_dispatch(case_id=case.pk, by=cast.township_staff, unit=cast.office)
    # Diaries: n entries, one of them with n visits and n issues (each issue is a case).
    issues = [IssueDataFactory(title=f"路灯不亮 {round_}-{i}") for i in range(n)]
    visits = [VisitDataFactory(name=f"王五{i}") for i in range(n)]
    # The big entry repeats an earlier one: its page then also shows the possible original (worst case).
    text = f"第{round_}轮走访东溪村农户，了解春耕用水和村道修缮情况，村民反映村口道路坑洼。"
    WrittenDiaryFactory(cast=cast, content=text, days_ago=1)
    big = WrittenDiaryFactory(cast=cast, issues=issues, visits=visits, content=text)
    for i in range(n - 2):
        WrittenDiaryFactory(cast=cast, content=f"走访农户 {round_}-{i}，了解生产生活情况。", days_ago=i % 5)
    notify(recipients=[cast.township_staff], kind="case.return", title=f"通知 {round_}")
    for i in range(n - 1):
        notify(recipients=[cast.township_staff], kind="case.return", title=f"通知 {round_}-{i}")
    # n projects; the last links n open cases.
    for i, case in enumerate(raised[1:]):
        project_create(by=cast.city_office, title=f"民生项目 {round_}-{i}", case_ids=[case.pk])
    diary_cases = list(big.cases.values_list("pk", flat=True))
    project = project_create(by=cast.city_office, title=f"道路整治 {round_}", case_ids=diary_cases)
    # n more stations for the officer, n more units in the org tree.
    for i in range(n):
        unit = VillageFactory(code=f"R{round_}V{i}", name=f"新村{round_}-{i}", parent=cast.township)
        StationAssignmentFactory(cast=cast, station=unit)
    for day in range(1, 4):
        rollup_day(timezone.localdate() - datetime.timedelta(days=day))
    return {"case": timeline.pk, "diary": big.pk, "project": project.pk}


def count_all(by_user: dict, ids: dict[str, int]) -> dict[str, int]:
    out = {}
    for route, (who, _budget) in ROUTES.items():
        url = route.format(**ids)
        tablecache.forget_all()  # each page counted as on a fresh process: the table cache refilled too
        with CaptureQueriesContext(connection) as ctx:
            response = by_user[who, url.startswith("/api/")].get(url)
        assert response.status_code == 200, (url, response.status_code)
        out[route] = len(ctx.captured_queries)
    return out


def test_query_counts_are_pinned_and_do_not_grow_with_rows(cast):
    cats = seed_categories()
    by_user = clients(cast)
    two = count_all(by_user, add_world(cast, cats, 2, 1))
    over = {r: (n, ROUTES[r][1]) for r, n in two.items() if n > ROUTES[r][1]}
    assert not over, f"over budget (counted, budget): {over}"
    twenty = count_all(by_user, add_world(cast, cats, 20, 2))
    grew = {r: (two[r], twenty[r]) for r in ROUTES if twenty[r] != two[r]}
    assert not grew, f"query count depends on rows (2 rows, 20 rows): {grew}"
