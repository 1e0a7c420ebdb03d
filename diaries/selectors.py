"""Reads of diary entries; every list, detail, photo and count starts from diaries_visible_to."""

import datetime

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import OrgUnit, User, UserRole
from accounts.roles import Role
from accounts.scope import Scope, scope_of
from cases.models import Case
from core import tablecache
from diaries.models import DiaryEntry, Photo, Review

COPY_WINDOW_DAYS = 90
COPY_CANDIDATES = 500


def diaries_visible_to(user) -> QuerySet[DiaryEntry]:
    """DOMAIN.md's scope for diaries: the one place it is decided.

    An officer sees their own entries, township staff and a township leader
    their township, the city office and a city leader their city, an admin
    everything; unit handlers none (they work on cases, not diaries).
    """
    scope = scope_of(user)
    return DiaryEntry.objects.filter(diary_scope_q(scope))


def diary_scope_q(scope: Scope) -> Q:
    """The rule of diaries_visible_to as a condition, for lists and figures alike."""
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    if scope.city_ids:
        q |= Q(city_id__in=scope.city_ids)
    if scope.township_ids:
        q |= Q(township_id__in=scope.township_ids)
    if scope.officer_id:
        q |= Q(officer_id=scope.officer_id)
    return q


def diary_list(user) -> QuerySet[DiaryEntry]:
    """Entries for lists (API and page): what a row shows, in a constant number of queries."""
    return (
        diaries_visible_to(user)
        .select_related("officer", "station", "township")
        .prefetch_related(
            "visits",
            # Ids only: a list shows how many, the detail shows what.
            Prefetch("cases", queryset=Case.objects.only("id", "diary_id").order_by("id"), to_attr="case_rows"),
            Prefetch("photos", queryset=Photo.objects.only("id", "entry_id"), to_attr="photo_rows"),
            Prefetch("reviews", queryset=Review.objects.only("id", "entry_id"), to_attr="review_rows"),
        )
        .order_by("-visit_date", "-id")
    )


def diary_detail(user) -> QuerySet[DiaryEntry]:
    """Entries with everything their page and API detail show."""
    return (
        diaries_visible_to(user)
        .select_related("officer", "station", "township")
        .prefetch_related(
            "visits",
            "photos",
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer")),
            Prefetch(
                "cases",
                queryset=Case.objects.only("id", "code", "title", "status", "level", "diary_id").order_by("id"),
                to_attr="case_rows",
            ),
        )
    )


def as_written(entry: DiaryEntry) -> DiaryEntry:
    """The entry ``diary_create`` just returned, carrying what ``diary_detail`` would prefetch, so
    its answer needs no second read. The rows are the ones inserted (``entry.written``), in id order
    as a read gives them, cached the way Django's own prefetch caches them."""
    visits, photos, cases = entry.written
    entry._prefetched_objects_cache = {}
    for name, rows in (("visits", visits), ("photos", photos), ("reviews", [])):
        queryset = getattr(entry, name).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        entry._prefetched_objects_cache[name] = queryset
    entry.case_rows = list(cases)
    return entry


def photo_visible_to(user, photo_id: int) -> Photo:
    """A photo whose entry the user may see; Photo.DoesNotExist otherwise (HTTP 404)."""
    return Photo.objects.get(pk=photo_id, entry__in=diaries_visible_to(user))


def copy_candidates(officer, *, today: datetime.date) -> QuerySet:
    """The officer's recent entries (id, content) to compare a new one with: bounded by time and number."""
    since = today - datetime.timedelta(days=COPY_WINDOW_DAYS)
    return (
        DiaryEntry.objects.filter(officer=officer, visit_date__gte=since)
        .order_by("-visit_date", "-id")
        .values_list("id", "content")[:COPY_CANDIDATES]
    )


def township_desk(township_id: int) -> QuerySet[User]:
    """The township staff who supervise diaries of a township."""
    return User.objects.filter(
        is_active=True, roles__role=Role.TOWNSHIP_STAFF, org_unit__township_id=township_id
    ).distinct()


def township_desk_ids(township_id: int) -> list[int]:
    """``township_desk`` as ids, from this process's table cache: told on every entry that looks copied."""
    return tablecache.cached(
        "township_desk", lambda: list(township_desk(township_id).values_list("pk", flat=True)), township_id
    )


tablecache.invalidated_by("township_desk", User, UserRole, OrgUnit)


def may_review(user) -> bool:
    return user.has_role(Role.TOWNSHIP_STAFF, Role.CITY_OFFICE)
