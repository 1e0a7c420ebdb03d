"""大数据比对: alike cases of one category raised in at least two townships, and whether they surge (METRICS.md).

Detection runs in the worker (dashboards.tasks.detect_hotspots, nightly), on
demand and at the end of seed_demo, never in a request; turning a hotspot into
a 民生项目 is the cases app's project_create.

Per city and category, the window's cases are grouped around a leading case:
every member's text is alike the leader's (textsim.ALIKE or more), so a cluster
cannot drift through a chain of small resemblances; a text joins the first
leader it is alike. Each case of the 12 months before the window counts, by the
same rule, for one cluster; that count per window length, over the days of
those months the city has cases for, is the cluster's baseline. A cluster of at
least MIN_CASES cases and SURGE times its baseline is a hotspot; the others are
常态问题. Two alike cases only are a coincidence and are not kept.

Writes are set-based (two DELETEs, two bulk INSERTs, one run row), so the query
count does not grow with the number of clusters.
"""

import contextlib
import datetime
import gc
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgKind, OrgUnit
from cases.choices import OPEN_STATUSES
from cases.models import Case, Project
from cases.services.projects import project_create
from core import textsim
from dashboards.models import DetectionRun, Hotspot, HotspotCase, HotspotKind

log = logging.getLogger(__name__)

MIN_TOWNSHIPS = 2
MIN_CASES = 3
SURGE = 2.0
PLACE_KINDS = (OrgKind.TOWNSHIP, OrgKind.PARK, OrgKind.VILLAGE, OrgKind.COMMUNITY)
WINDOW_DAYS = 90
BASELINE_DAYS = 365
MEMBER_BATCH = 5000


@dataclass
class _Text:
    signature: textsim.Signature
    members: list[tuple] = field(default_factory=list)  # (case_id, township_id, resident, title)


@dataclass
class Cluster:
    category_id: int
    title: str
    members: list[tuple[tuple, float]]  # ((case_id, township_id, resident, title), similarity to the leader)
    signature: textsim.Signature = textsim.signature("")
    earlier: int = 0  # alike cases of the same category in the 12 months before the window
    # Days of those 12 months the city has cases for: a city on Minqing for less than a year averages
    # over the months it has, not over months it was not there.
    span: int = BASELINE_DAYS

    @property
    def townships(self) -> set:
        return {m[1] for m, _ in self.members if m[1] is not None}

    @property
    def residents(self) -> int:
        return len({m[2] for m, _ in self.members})

    @property
    def score(self) -> float:
        return round(sum(s for _, s in self.members) / len(self.members), 3)

    def baseline(self, days: int) -> float:
        return self.earlier * days / self.span if self.span > 0 else 0.0

    def surge_ratio(self, days: int) -> float:
        # A cluster never seen before counts as if it had been seen once in the year, so ratios stay finite
        # and rank by size among new ones.
        return round(len(self.members) / max(self.baseline(days), days / BASELINE_DAYS), 2)

    def kind(self, days: int) -> str:
        n = len(self.members)
        surges = n >= MIN_CASES and n >= SURGE * self.baseline(days)
        return HotspotKind.HOTSPOT if surges else HotspotKind.STEADY


def _resident(case_id: int, phone: str, name: str) -> str:
    return f"p:{phone}" if phone else (f"n:{name}" if name else f"c:{case_id}")


def cluster_texts(rows: list[tuple], category_id: int, *, clean=lambda text: text) -> list[Cluster]:
    """The clusters of ``all_clusters`` over MIN_TOWNSHIPS townships or more."""
    return [c for c in all_clusters(rows, category_id, clean=clean) if len(c.townships) >= MIN_TOWNSHIPS]


def all_clusters(rows: list[tuple], category_id: int, *, clean=lambda text: text) -> list[Cluster]:
    """Group (case_id, township_id, resident, title) rows of one category around leading texts, in the
    leaders' order: each text joins the first leader it is alike.

    ``clean`` prepares a title for comparison (place names out); the stored title stays as written.
    """
    texts: dict[frozenset, _Text] = {}
    for row in rows:
        sig = textsim.signature(clean(row[3]))
        if not sig:
            continue
        text = texts.get(sig)
        if text is None:
            text = texts[sig] = _Text(signature=sig)
        text.members.append(row)
    unique = list(texts.values())
    # Lead with texts written most often, then the oldest case, so results are stable run to run.
    unique.sort(key=lambda t: (-len(t.members), min(m[0] for m in t.members)))
    index = textsim.AlikeIndex([t.signature for t in unique])
    assigned = [False] * len(unique)
    clusters = []
    for i, leader in enumerate(unique):
        if assigned[i]:
            continue
        assigned[i] = True
        members = [(m, 1.0) for m in leader.members]
        for j, score in index.alike(leader.signature, skip=assigned):
            assigned[j] = True
            members += [(m, round(score, 3)) for m in unique[j].members]
        clusters.append(Cluster(category_id=category_id, title=leader.members[0][3], members=members,
                                signature=leader.signature))  # fmt: skip
    return clusters


def count_earlier(clusters: list[Cluster], earlier: list[tuple[str, int]], *, clean=lambda text: text) -> None:
    """Set each cluster's ``earlier``: the (title, count) rows of its category alike its leader, each row
    counted once, for the first cluster in the leaders' order it is alike — the rule that made the
    clusters of the window (all_clusters), so a complaint's baseline and its window are counted alike.
    ``clusters`` are all of the category's, in their order, also those too local to be kept."""
    if not clusters:
        return
    # Titles differing only by their place names are one text here: each is signed and looked up once.
    texts: Counter = Counter()
    for title, n in earlier:
        texts[clean(title)] += n
    index = textsim.AlikeIndex([c.signature for c in clusters])
    for text, n in texts.items():
        first = index.first_alike(*textsim.signature_and_keys(text))
        if first is not None:
            clusters[first].earlier += n


def _window(now: datetime.datetime, days: int) -> Q:
    return Q(created_at__gte=now - datetime.timedelta(days=days)) | Q(status__in=OPEN_STATUSES)


def candidate_rows(city: OrgUnit, *, now: datetime.datetime, days: int) -> dict[int, list[tuple]]:
    """Open or recent cases of the city not merged into a project yet, per category."""
    qs = (
        Case.objects.filter(city=city, project__isnull=True)
        .filter(_window(now, days))
        .values_list("id", "category_id", "township_id", "reporter_phone", "reporter_name", "title")
        .order_by()
    )
    per_category: dict[int, list[tuple]] = defaultdict(list)
    for case_id, category_id, township_id, phone, name, title in qs.iterator(chunk_size=5000):
        per_category[category_id].append((case_id, township_id, _resident(case_id, phone, name), title))
    return per_category


def earlier_rows(city: OrgUnit, categories, *, now: datetime.datetime, days: int) -> dict[int, list[tuple]]:
    """The 12 months before the window, as (title, count) per category: the cases the window left out
    (closed ones and those already in a project count too; a complaint recurs whatever became of it)."""
    since = now - datetime.timedelta(days=days)
    qs = (
        Case.objects.filter(city=city, category_id__in=categories)
        .filter(created_at__gte=since - datetime.timedelta(days=BASELINE_DAYS), created_at__lt=since)
        .exclude(Q(project__isnull=True) & _window(now, days))
        .values_list("category_id", "title")
        .order_by()
    )
    # Counted here rather than by GROUP BY: nearly every title is written once, so sorting a year of them
    # in the database would cost more than the dictionary.
    counted: dict[int, Counter] = defaultdict(Counter)
    for category_id, title in qs.iterator(chunk_size=5000):
        counted[category_id][title] += 1
    return {category_id: list(titles.items()) for category_id, titles in counted.items()}


def _kept(cluster: Cluster) -> bool:
    return len(cluster.members) >= MIN_CASES and len(cluster.townships) >= MIN_TOWNSHIPS


def covered_days(city: OrgUnit, *, now: datetime.datetime, days: int) -> int:
    """Days of the 12 months before the window since the city's first case: BASELINE_DAYS at most, and
    one window at least, so that a single case just before the window does not make a baseline."""
    first = Case.objects.filter(city=city).aggregate(first=Min("created_at"))["first"]
    since = now - datetime.timedelta(days=days)
    covered = (since - first).days if first is not None else 0
    return max(days, min(BASELINE_DAYS, covered))


def _first_seen(city: OrgUnit) -> dict[tuple[int, str], datetime.datetime]:
    """(case, kind) → when the stored cluster holding it was first seen, before this run replaces them."""
    rows = HotspotCase.objects.filter(hotspot__city=city, hotspot__project__isnull=True).values_list(
        "case_id", "hotspot__kind", "hotspot__first_seen", "hotspot__detected_at"
    )
    return {(case_id, kind): first or detected for case_id, kind, first, detected in rows}


def _replace(city: OrgUnit) -> None:
    """Delete the city's stored clusters not made projects yet: two statements, however many there are."""
    hotspot, member = Hotspot._meta.db_table, HotspotCase._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {member} WHERE hotspot_id IN "  # noqa: S608 (table names from the models)
            f"(SELECT id FROM {hotspot} WHERE city_id = %s AND project_id IS NULL)",
            [city.pk],
        )
        cursor.execute(f"DELETE FROM {hotspot} WHERE city_id = %s AND project_id IS NULL", [city.pk])  # noqa: S608


def _insert_members(rows: list[tuple[int, int, float]]) -> None:
    """(hotspot, case, similarity) rows. A large city's clusters hold some 80,000 cases: on PostgreSQL they
    go as three arrays in one statement, which saves building a model instance and SQL for each."""
    if connection.vendor != "postgresql":
        HotspotCase.objects.bulk_create((HotspotCase(hotspot_id=h, case_id=c, similarity=s) for h, c, s in rows),
                                        batch_size=MEMBER_BATCH)  # fmt: skip
        return
    if not rows:
        return
    hotspots, cases, scores = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {HotspotCase._meta.db_table} (hotspot_id, case_id, similarity) "  # noqa: S608 (model's table)
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::float8[])",
            [hotspots, cases, scores],
        )


@contextlib.contextmanager
def _no_cyclic_gc():
    """Signing a large city's year allocates millions of small sets and keeps a quarter of a million of
    them, which made Python's cycle collector rescan them again and again (a fifth of the run). None of
    them form cycles, so the collector waits until the run is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _kept_clusters(city: OrgUnit, *, now: datetime.datetime, days: int, clean) -> list[Cluster]:
    per_category: dict[int, list[Cluster]] = {}
    for category_id, rows in candidate_rows(city, now=now, days=days).items():
        found = all_clusters(rows, category_id, clean=clean)
        if any(_kept(c) for c in found):
            per_category[category_id] = found
    if per_category:
        for category_id, rows in earlier_rows(city, list(per_category), now=now, days=days).items():
            count_earlier(per_category[category_id], rows, clean=clean)
    span = covered_days(city, now=now, days=days)
    clusters = [c for found in per_category.values() for c in found if _kept(c)]
    for c in clusters:
        c.span = span
    return clusters


def hotspots_detect(*, city: OrgUnit, now: datetime.datetime | None = None, days: int = WINDOW_DAYS) -> list[Hotspot]:
    """Recompute the city's clusters and replace the stored ones (those already made projects stay); record
    the run. Answers the stored clusters, hotspots first, each kind ranked as the page shows them."""
    started = timezone.now()
    now = now or started
    places = OrgUnit.objects.filter(city=city, kind__in=PLACE_KINDS).values_list("name", flat=True)
    clean = textsim.place_stripper(list(places))
    with _no_cyclic_gc():
        clusters = _kept_clusters(city, now=now, days=days, clean=clean)
    with transaction.atomic():
        seen = _first_seen(city)
        _replace(city)
        pairs = []
        for c in clusters:
            kind = c.kind(days)
            before = [seen[(m[0], kind)] for m, _ in c.members if (m[0], kind) in seen]
            pairs.append((Hotspot(
                city=city, category_id=c.category_id, title=c.title[:200], kind=kind,
                townships=len(c.townships), residents=c.residents, cases_count=len(c.members),
                baseline=round(c.baseline(days), 2), surge_ratio=c.surge_ratio(days), score=c.score,
                detected_at=now, first_seen=min(before, default=now),
            ), c))  # fmt: skip
        pairs.sort(key=lambda p: (p[0].kind != HotspotKind.HOTSPOT, -p[0].surge_ratio, -p[0].townships,
                                  -p[0].residents, p[0].title))  # fmt: skip
        made = Hotspot.objects.bulk_create([h for h, _ in pairs])
        _insert_members([(h.pk, m[0], s) for h, c in pairs for m, s in c.members])
        kinds = Counter(h.kind for h in made)
        DetectionRun.objects.create(
            city=city, started_at=started, finished_at=timezone.now(), hotspots=kinds[HotspotKind.HOTSPOT],
            steady=kinds[HotspotKind.STEADY], new=sum(h.is_new and h.kind == HotspotKind.HOTSPOT for h in made),
        )  # fmt: skip
    log.info("hotspots for %s: %d, recurring %d", city.code, kinds[HotspotKind.HOTSPOT], kinds[HotspotKind.STEADY])
    return made


def hotspots_detect_all(*, now: datetime.datetime | None = None, days: int = WINDOW_DAYS) -> int:
    """Every active city in turn; answers the number of hotspots (常态问题 left out)."""
    total = 0
    for city in OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True):
        total += sum(h.kind == HotspotKind.HOTSPOT for h in hotspots_detect(city=city, now=now, days=days))
    return total


class NothingToLink(Exception):
    """Every case of the hotspot is closed or already in a project."""


@transaction.atomic
def hotspot_make_project(
    *, hotspot: Hotspot, by, title: str | None = None, lead_unit=None, milestone=None, request=None
) -> tuple[Project, int, int]:
    """Merge the hotspot's open cases into a new project (cases.services.projects.project_create) and keep it on
    the hotspot, so detection leaves it alone. Answers (project, cases linked, cases left out because they are
    closed or already in a project).

    ``title`` (the hotspot's by default), ``lead_unit`` and ``milestone`` (title, planned date) are required by
    project_create for a project made from a hotspot.

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
    project = project_create(
        by=by, title=hotspot.title if title is None else title, case_ids=open_ids, description=description,
        lead_unit=lead_unit, milestone=milestone, require_lead=True, request=request,
    )  # fmt: skip
    hotspot.project = project
    hotspot.save(update_fields=["project"])
    return project, len(open_ids), len(members) - len(open_ids)
