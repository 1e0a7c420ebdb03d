"""How lists count their rows: exactly, unless counting would cost more than the page.

Counting a city's cases row by row takes longer than reading the page of 50
it comes with (60–120 ms at a province's volume). Where PostgreSQL's planner
expects more rows than ``LIST_COUNT_ESTIMATE_ABOVE`` (a city's scope, an
unfiltered default list), its estimate is given instead and marked as one:
the API adds ``"count_is_estimate": true`` beside ``count``, the case list
page says "约 N". Filtered and small lists, and every list on SQLite, are
counted exactly. ``counted`` is the one place that decides; the API's
pagination and the case list page both ask it.
"""

import functools
import json

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination

# Above this many rows expected by the planner a list's count is estimated (settings may move it).
ESTIMATE_ABOVE = 20_000


def planner_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` matches (planning only: no row is read)."""
    plain = queryset.order_by().values("pk")
    connection = connections[plain.db]
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = plain.query.sql_with_params()
    except EmptyResultSet:  # a scope that can hold nothing (pk__in=[]): no SQL to plan, and no row
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def wide(user) -> bool:
    """Whether ``user`` sees a city or more: only such a scope can hold more rows than a count should read.
    Below it (a township, a unit, an officer) lists are counted exactly without asking the planner first."""
    from accounts.scope import scope_of

    scope = scope_of(user)
    return bool(scope.everything or scope.city_ids)


def counted(queryset: QuerySet, *, user=None) -> tuple[int, bool]:
    """(count, is_estimate): for a user who sees a city or more, the planner's estimate when it expects more
    rows than ``LIST_COUNT_ESTIMATE_ABOVE``; otherwise the exact count."""
    above = getattr(settings, "LIST_COUNT_ESTIMATE_ABOVE", ESTIMATE_ABOVE)
    estimate = planner_rows(queryset) if user is None or wide(user) else None
    if estimate is not None and estimate > above:
        return estimate, True
    return queryset.count(), False


class EstimatingPaginator(Paginator):
    """A paginator whose count comes from ``counted``; ``is_estimate`` says which it was."""

    is_estimate = False

    def __init__(self, *args, user=None, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # whose list it is: their scope says whether to ask the planner
        self.known = known  # the count, where the view could tell it more cheaply than a COUNT

    @cached_property
    def count(self) -> int:
        if self.known is not None:
            return self.known
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        number, self.is_estimate = counted(self.object_list, user=self.user)
        return number

    def page(self, number):
        try:
            number = self.validate_number(number)
        except EmptyPage:
            if not self.is_estimate:
                raise
            # An estimate below the real count must not hide a page that exists: count exactly and ask again.
            self._settle(self.object_list.count(), estimate=False)
            number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # Sliced by the page size, not by the count: an estimate must not cut a page short.
        rows = self.object_list[bottom : bottom + self.per_page]
        if self.is_estimate:
            got = len(rows)
            if got < self.per_page:  # the last page is in hand: the count is exact by construction
                self._settle(bottom + got, estimate=False)
            elif self.count < bottom + got:
                self._settle(bottom + got, estimate=True)
        return self._get_page(rows, number, self)

    def _settle(self, count: int, *, estimate: bool) -> None:
        self.__dict__.pop("num_pages", None)  # computed from the count it replaces
        self.count, self.is_estimate = count, estimate


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = EstimatingPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # DRF makes the paginator itself: this one is told whose list it is, and the count if the view knows it.
        known = view.known_count() if hasattr(view, "known_count") else None
        self.django_paginator_class = functools.partial(
            EstimatingPaginator, user=getattr(request, "user", None), known=known
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.is_estimate:
            # Beside ``count``: clients show "about N" rather than an exact figure.
            body = {"count": response.data["count"], "count_is_estimate": True}
            response.data = {**body, **{k: v for k, v in response.data.items() if k != "count"}}
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "Present and true when `count` is the database's estimate (a large scope, unfiltered).",
        }
        return schema
