"""大数据比对: find alike cases of one category raised in at least three townships (METRICS.md).

Runs in the worker (dashboards.tasks.detect_hotspots), never in a request.
Per city and category, cases are grouped around a leading case: every
member's text is alike the leader's (textsim.ALIKE or more), so a hotspot
cannot drift through a chain of small resemblances. Candidates are found
through an inverted index of character bigrams, so the work grows with the
number of alike pairs rather than with the square of the case count.

A group is a hotspot only when it stands out from the category's
background: it holds more than SURGE times as many cases as the same city
and category raised alike its leader per window of the same length over
the BASELINE_DAYS before (see SURGE).
"""

import datetime
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import OrgKind, OrgUnit
from cases.choices import OPEN_STATUSES
from cases.models import Case
from dashboards import textsim
from dashboards.models import Hotspot, HotspotCase

log = logging.getLogger(__name__)

MIN_TOWNSHIPS = 3
PLACE_KINDS = (OrgKind.TOWNSHIP, OrgKind.PARK, OrgKind.VILLAGE, OrgKind.COMMUNITY)
WINDOW_DAYS = 90
# A bigram found in more than this share of a category's texts says nothing
# about which complaint it is ("村民", "反映"): it is not used to find candidates.
COMMON_SHARE = 0.2
COMMON_FLOOR = 50
# Common kinds of trouble (street lights out, potholes) are raised all year in every township: at
# county volume each of them reaches three townships within 90 days, and a detector keeping them
# would show a hundred "hotspots" that are only the category's usual work. A complaint that is
# recurring now — new, or growing — has more than SURGE times as many cases as alike ones came
# in a window of the same length before, on average over the BASELINE_DAYS before the window
# (a long baseline, so a kind of trouble that merely had a quiet spell does not stand out).
# Measured on the bulk demo history: ~115 groups at county scale without this, all steady
# through the year; with it the planted recurring complaints.
SURGE = 2
BASELINE_DAYS = 270


@dataclass
class _Text:
    signature: frozenset[str]
    keys: tuple[str, ...]
    members: list[tuple] = field(default_factory=list)  # (case_id, township_id, resident, title)


@dataclass
class Cluster:
    category_id: int
    title: str
    members: list[tuple[tuple, float]]  # ((case_id, township_id, resident, title), similarity to the leader)

    @property
    def townships(self) -> set:
        return {m[1] for m, _ in self.members if m[1] is not None}

    @property
    def residents(self) -> int:
        return len({m[2] for m, _ in self.members})

    @property
    def score(self) -> float:
        return round(sum(s for _, s in self.members) / len(self.members), 3)


def _keys(signature: frozenset[str]) -> tuple[str, ...]:
    # " ab" names the bigram ab; "  a" (a single character) is too common to find anything.
    return tuple(t for t in signature if t[0] == " " and t[1] != " ")


def _resident(case_id: int, phone: str, name: str) -> str:
    return f"p:{phone}" if phone else (f"n:{name}" if name else f"c:{case_id}")


def cluster_texts(rows: list[tuple], category_id: int, *, clean=lambda text: text) -> list[Cluster]:
    """Group (case_id, township_id, resident, title) rows of one category around leading texts.

    ``clean`` prepares a title for comparison (place names out); the stored title stays as written.
    """
    texts: dict[frozenset, _Text] = {}
    for row in rows:
        sig = textsim.signature(clean(row[3]))
        if not sig:
            continue
        text = texts.get(sig)
        if text is None:
            text = texts[sig] = _Text(signature=sig, keys=_keys(sig))
        text.members.append(row)
    unique = list(texts.values())
    # Lead with texts written most often, then the oldest case, so results are stable run to run.
    unique.sort(key=lambda t: (-len(t.members), min(m[0] for m in t.members)))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(unique):
        for key in text.keys:
            postings[key].append(i)
    too_common = max(COMMON_FLOOR, int(len(unique) * COMMON_SHARE))
    assigned = [False] * len(unique)
    clusters = []
    for i, leader in enumerate(unique):
        if assigned[i]:
            continue
        assigned[i] = True
        shared: dict[int, int] = defaultdict(int)
        for key in leader.keys:
            ids = postings[key]
            if len(ids) > too_common:
                continue
            for j in ids:
                if not assigned[j]:
                    shared[j] += 1
        members = [(m, 1.0) for m in leader.members]
        for j, count in shared.items():
            # Texts at ALIKE or more share at least two bigrams unless one of them is very short.
            if count < 2 and min(len(leader.keys), len(unique[j].keys)) > 4:
                continue
            score = textsim.jaccard(leader.signature, unique[j].signature)
            if score >= textsim.ALIKE:
                assigned[j] = True
                members += [(m, round(score, 3)) for m in unique[j].members]
        cluster = Cluster(category_id=category_id, title=leader.members[0][3], members=members)
        if len(cluster.townships) >= MIN_TOWNSHIPS:
            clusters.append(cluster)
    return clusters


def alike_before(
    rows: list[tuple[int, str]], clusters: list[Cluster], *, enough: list[int], clean=lambda text: text
) -> list[int]:
    """For each cluster, how many of the (category_id, title) rows are alike its leader (the clustering's scoring).

    Counting for a cluster stops at ``enough``, which rules it out. The rows (the baseline's cases) are
    many and the clusters few, so the leaders are indexed, not the rows.
    """
    leaders = [textsim.signature(clean(c.title)) for c in clusters]
    index: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, (cluster, leader) in enumerate(zip(clusters, leaders, strict=True)):
        for key in _keys(leader):
            index[(cluster.category_id, key)].append(i)
    counts = [0] * len(clusters)
    for (category_id, title), n in Counter(rows).items():
        sig = textsim.signature(clean(title))
        keys = _keys(sig)
        shared: dict[int, int] = defaultdict(int)
        for key in keys:
            for i in index.get((category_id, key), ()):
                shared[i] += 1
        for i, count in shared.items():
            if counts[i] >= enough[i] or (count < 2 and min(len(keys), len(_keys(leaders[i]))) > 4):
                continue
            if textsim.jaccard(leaders[i], sig) >= textsim.ALIKE:
                counts[i] += n
                if counts[i] >= enough[i]:
                    for key in _keys(leaders[i]):
                        index[(category_id, key)].remove(i)
    return counts


def background_rows(city: OrgUnit, *, now: datetime.datetime, days: int) -> list[tuple[int, str]]:
    """(category_id, title) of the city's cases raised in the BASELINE_DAYS before the window, not candidates."""
    since = now - datetime.timedelta(days=days)
    start = since - datetime.timedelta(days=BASELINE_DAYS)
    qs = (
        Case.objects.filter(city=city, created_at__gte=start, created_at__lt=since)
        .exclude(status__in=OPEN_STATUSES)
        .values_list("category_id", "title")
        .order_by()
    )
    return list(qs.iterator(chunk_size=5000))


def candidate_rows(city: OrgUnit, *, now: datetime.datetime, days: int) -> dict[int, list[tuple]]:
    """Open or recent cases of the city not merged into a project yet, per category."""
    since = now - datetime.timedelta(days=days)
    qs = (
        Case.objects.filter(city=city, project__isnull=True)
        .filter(Q(created_at__gte=since) | Q(status__in=OPEN_STATUSES))
        .values_list("id", "category_id", "township_id", "reporter_phone", "reporter_name", "title")
        .order_by()
    )
    per_category: dict[int, list[tuple]] = defaultdict(list)
    for case_id, category_id, township_id, phone, name, title in qs.iterator(chunk_size=5000):
        per_category[category_id].append((case_id, township_id, _resident(case_id, phone, name), title))
    return per_category


def hotspots_detect(*, city: OrgUnit, now: datetime.datetime | None = None, days: int = WINDOW_DAYS) -> list[Hotspot]:
    """Recompute the city's hotspots and replace the stored ones (those already made projects stay)."""
    now = now or timezone.now()
    places = OrgUnit.objects.filter(city=city, kind__in=PLACE_KINDS).values_list("name", flat=True)
    clean = textsim.place_stripper(list(places))
    found = []
    for category_id, rows in candidate_rows(city, now=now, days=days).items():
        found += cluster_texts(rows, category_id, clean=clean)
    # A hotspot has more than SURGE times the baseline's rate: members > SURGE * alike * days / BASELINE_DAYS;
    # ``enough`` is the fewest alike ones in the baseline that rule a group out.
    enough = [-(-len(c.members) * BASELINE_DAYS // (SURGE * days)) for c in found]
    before = alike_before(background_rows(city, now=now, days=days), found, enough=enough, clean=clean) if found else []
    clusters = [c for c, n, limit in zip(found, before, enough, strict=True) if n < limit]
    with transaction.atomic():
        Hotspot.objects.filter(city=city, project__isnull=True).delete()
        made = []
        for cluster in clusters:
            hotspot = Hotspot.objects.create(
                city=city, category_id=cluster.category_id, title=cluster.title[:200],
                townships=len(cluster.townships), residents=cluster.residents, cases_count=len(cluster.members),
                score=cluster.score, detected_at=now,
            )  # fmt: skip
            HotspotCase.objects.bulk_create(
                HotspotCase(hotspot=hotspot, case_id=m[0], similarity=s) for m, s in cluster.members
            )
            made.append(hotspot)
    log.info("hotspots for %s: %d", city.code, len(made))
    return made


def hotspots_detect_all(*, now: datetime.datetime | None = None, days: int = WINDOW_DAYS) -> int:
    total = 0
    for city in OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True):
        total += len(hotspots_detect(city=city, now=now, days=days))
    return total
