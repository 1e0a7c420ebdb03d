"""大数据比对: find alike cases of one category raised in at least three townships (METRICS.md).

Detection runs in the worker (dashboards.tasks.detect_hotspots), never in a
request; turning a hotspot into a 民生项目 is the cases app's project_create.
Per city and category, cases are grouped around a leading case: every
member's text is alike the leader's (textsim.ALIKE or more), so a hotspot
cannot drift through a chain of small resemblances. Candidates are found
through an inverted index of character bigrams, so the work grows with the
number of alike pairs rather than with the square of the case count.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgKind, OrgUnit
from cases.choices import OPEN_STATUSES
from cases.models import Case, Project
from cases.services.projects import project_create
from core import textsim
from dashboards.models import Hotspot, HotspotCase

log = logging.getLogger(__name__)

MIN_TOWNSHIPS = 3
PLACE_KINDS = (OrgKind.TOWNSHIP, OrgKind.PARK, OrgKind.VILLAGE, OrgKind.COMMUNITY)
WINDOW_DAYS = 90
# A bigram found in more than this share of a category's texts says nothing
# about which complaint it is ("村民", "反映"): it is not used to find candidates.
COMMON_SHARE = 0.2
COMMON_FLOOR = 50


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
    clusters = []
    for category_id, rows in candidate_rows(city, now=now, days=days).items():
        clusters += cluster_texts(rows, category_id, clean=clean)
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


class NothingToLink(Exception):
    """Every case of the hotspot is closed or already in a project."""


@transaction.atomic
def hotspot_make_project(*, hotspot: Hotspot, by) -> tuple[Project, int, int]:
    """Merge the hotspot's open cases into a new project (cases.services.projects.project_create) and keep it on
    the hotspot, so detection leaves it alone. Answers (project, cases linked, cases left out because they are
    closed or already in a project).

    Raises NothingToLink when no case is left to link, and whatever project_create raises (ActionForbidden,
    ValidationError, TransitionNotAllowed), with nothing written. Two clicks at once cannot make two projects:
    project_create locks each case, so the second finds them linked and rolls back.
    """
    members = [m.case for m in hotspot.members.all()]
    open_ids = [c.pk for c in members if c.is_open and c.project_id is None]
    if not open_ids:
        raise NothingToLink
    description = _("Made from a hotspot: %(n)d alike cases in %(t)d townships.") % {
        "n": hotspot.cases_count, "t": hotspot.townships,
    }  # fmt: skip
    project = project_create(by=by, title=hotspot.title, case_ids=open_ids, description=description)
    hotspot.project = project
    hotspot.save(update_fields=["project"])
    return project, len(open_ids), len(members) - len(open_ids)
