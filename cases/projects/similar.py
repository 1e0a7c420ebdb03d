"""Similar cases: alike titles in the same category, among the cases the caller may see."""

from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db import connection, transaction
from django.db.models import BigIntegerField, Func, TextField, Value
from django.db.models.functions import Cast

from cases.models import Case
from cases.selectors import cases_visible_to
from core import textsim

# How many recent cases the Python fallback (SQLite, `make run`) compares against.
FALLBACK_WINDOW = 3000


class Grams(Func):
    """minqing_grams(title): the expression the GiST index of migration dashboards 0002 is built on."""

    function = "minqing_grams"
    output_field = TextField()


def similar_cases(
    user, case: Case, *, limit: int = 10, min_score: float = textsim.SIMILAR_MIN
) -> list[tuple[Case, float]]:
    """(case, score) pairs, best first, never ``case`` itself, only cases visible to ``user``."""
    candidates = (
        cases_visible_to(user)
        # A bigint on both sides, or btree_gist cannot use the category part of the index.
        .filter(category_id=Cast(Value(case.category_id), BigIntegerField()))
        .exclude(pk=case.pk)
        .select_related("township", "category", "unit")
    )
    query = textsim.grams(case.title)
    if not query:
        return []
    if connection.vendor == "postgresql":
        with transaction.atomic():
            # '%' compares against this threshold; local to the transaction.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", [str(min_score)])
            # Nearest first straight from the GiST index of migration dashboards 0002 ('%' keeps the scan to
            # alike titles); ids first, on the cases table alone, so no join stands between the
            # index order and the LIMIT.
            best = list(
                candidates.select_related(None)
                .alias(grams=Grams("title"))
                .filter(grams__trigram_similar=query)
                .annotate(
                    score=TrigramSimilarity(Grams("title"), query), distance=TrigramDistance(Grams("title"), query)
                )
                .order_by("distance")
                .values_list("pk", "score")[:limit]
            )
        found = candidates.in_bulk([pk for pk, _score in best])
        return [(found[pk], round(score, 3)) for pk, score in best if pk in found]
    target = textsim.signature(case.title)
    scored = []
    for c in candidates.order_by("-id")[:FALLBACK_WINDOW]:
        score = target.score(textsim.signature(c.title))
        if score >= min_score:
            scored.append((c, round(score, 3)))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]
