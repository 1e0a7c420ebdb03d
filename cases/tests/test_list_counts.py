"""Lists count exactly, unless a city's scope holds more rows than a count should read: then the database's
estimate is given and marked (core.api.pagination.counted). The threshold is lowered here to force it."""

import pytest
from django.db import connection
from django.test import override_settings

from core.testing.factories import RaisedCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(cast):
    return [RaisedCaseFactory(cast=cast) for _ in range(3)]


@pytest.mark.postgres
@override_settings(LIST_COUNT_ESTIMATE_ABOVE=0)
def test_a_city_list_above_the_threshold_gives_an_estimate_and_says_so(api, cast, three):
    body = api.as_user(cast.city_office).get("/api/v1/cases/", {"page_size": 1}).json()
    assert body["count_is_estimate"] is True
    assert isinstance(body["count"], int) and body["count"] >= 1
    assert len(body["results"]) == 1


@override_settings(LIST_COUNT_ESTIMATE_ABOVE=10_000)
def test_below_the_threshold_the_count_is_exact(api, cast, three):
    body = api.as_user(cast.city_office).get("/api/v1/cases/", {"page_size": 1}).json()
    assert body["count"] == 3 and "count_is_estimate" not in body


@override_settings(LIST_COUNT_ESTIMATE_ABOVE=0)
def test_a_township_scope_and_the_last_page_are_counted_exactly(api, cast, three):
    township = api.as_user(cast.township_staff).get("/api/v1/cases/", {"page_size": 1}).json()
    assert township["count"] == 3 and "count_is_estimate" not in township
    # Everything fits on the page: the count is exact by construction, whatever the planner thought.
    city = api.as_user(cast.city_office).get("/api/v1/cases/", {"page_size": 50}).json()
    assert city["count"] == 3 and "count_is_estimate" not in city


@override_settings(LIST_COUNT_ESTIMATE_ABOVE=0)
def test_sqlite_always_counts_exactly(api, cast, three):
    if connection.vendor == "postgresql":
        pytest.skip("the embedded default's behaviour: runs in the SQLite lane")
    body = api.as_user(cast.city_office).get("/api/v1/cases/", {"page_size": 1}).json()
    assert body["count"] == 3 and "count_is_estimate" not in body


@pytest.mark.postgres
@override_settings(LIST_COUNT_ESTIMATE_ABOVE=0)
def test_the_case_list_page_says_about(client, cast, three, monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 1)
    client.force_login(cast.city_office)
    html = client.get("/cases/", {"tab": "all"}).content.decode()
    assert 'data-estimate="1"' in html
    exact = override_settings(LIST_COUNT_ESTIMATE_ABOVE=10_000)
    with exact:
        html = client.get("/cases/", {"tab": "all"}).content.decode()
    assert 'data-estimate="1"' not in html and 'data-total="3"' in html


def test_the_api_schema_documents_the_mark(client, cast):
    client.force_login(cast.officer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    pages = [s for name, s in schema["components"]["schemas"].items() if name.startswith("Paginated")]
    assert pages and all("count_is_estimate" in s["properties"] for s in pages)


def test_a_scope_that_can_hold_nothing_is_planned_as_no_rows():
    """A list whose scope is empty (e.g. a leader's score appeals: pk__in=[]) has no SQL to plan; it counts 0
    instead of failing the request."""
    from cases.models import Case
    from core.api.pagination import counted, planner_rows

    empty = Case.objects.filter(pk__in=[])
    assert planner_rows(empty) in (0, None) and counted(empty) == (0, False)


def _dispatch(case, unit):
    from django.utils import timezone

    from cases.models import Dispatch

    now = timezone.now()
    return Dispatch.objects.create(
        case=case, level=case.level, unit=unit, dispatched_at=now, sign_due=now, handle_due=now
    )


def test_a_units_all_counts_each_case_it_ever_had_once_from_its_dispatches(client, cast, three):
    from django.test.utils import CaptureQueriesContext

    from cases.queues import case_listing
    from cases.selectors import cases_visible_to

    returned_then_again, once, _elsewhere = three
    _dispatch(returned_then_again, cast.office)
    _dispatch(returned_then_again, cast.office)
    _dispatch(once, cast.office)
    _dispatch(_elsewhere, cast.department)
    with CaptureQueriesContext(connection) as ctx:
        listing = case_listing(cast.office_handler, {})
    assert listing.counts["all"] == cases_visible_to(cast.office_handler).count() == 2
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "cases_case" not in counts[0]  # "all" from the index of dispatches alone
    # Filtered, the same rule through the cases: a filter narrows cases, not dispatches.
    filtered = case_listing(cast.office_handler, {"urgency": once.urgency})
    assert filtered.counts["all"] == cases_visible_to(cast.office_handler).filter(urgency=once.urgency).count()


@pytest.mark.postgres
def test_cases_and_dispatches_are_vacuumed_often_enough_for_index_only_counts():
    from importlib import import_module

    settings = import_module("cases.migrations.0020_autovacuum_for_index_only_counts").SETTINGS
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname IN ('cases_case', 'cases_dispatch')")
        options = {name: set(opts or []) for name, opts in cursor.fetchall()}
    wanted = {f"{name}={value}" for name, value in settings.items()}
    assert options == {"cases_case": wanted, "cases_dispatch": wanted}


def test_the_api_counts_a_units_whole_list_as_the_page_does(api, cast, three):
    from django.test.utils import CaptureQueriesContext

    first, second, _elsewhere = three
    for case in (first, first, second):
        _dispatch(case, cast.office)
    unit = api.as_user(cast.office_handler)
    with CaptureQueriesContext(connection) as ctx:
        body = unit.get("/api/v1/cases/", {"page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1 and "count_is_estimate" not in body
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 1 and "cases_case" not in counts[0]
    # A filter narrows cases: counted through them, the same number where it keeps them all.
    assert unit.get("/api/v1/cases/", {"page_size": 1, "level": first.level}).json()["count"] == 2
