"""Similarity of short Chinese texts, the same in Python and in PostgreSQL.

Chinese has no spaces, so pg_trgm on raw text sees one long "word" and its
3-character windows rarely survive a rewording. We first turn the text into
its character bigrams as space-separated words ("公路坑洼" → "公路 坑洼 路坑"),
then let pg_trgm compare those: a score of shared bigrams (plus a little of
shared characters) over all of them, between 0 and 1.

``grams()`` below and the SQL function ``minqing_grams`` (migration 0002)
build the same string, and ``similarity()`` reproduces pg_trgm's
``similarity()`` on it, so the GIN-indexed lookup on PostgreSQL, the
fallback on SQLite and the hotspot detector give one and the same score.
"""

import re

# Scores from which two texts count as alike. The hotspot detector compares
# texts with place names taken out (see place_stripper), where a rewording of
# one complaint scores about 0.15–0.7 and unrelated cases of one category
# below 0.1. The similar-cases list compares raw titles through the index,
# where a shared village name adds about 0.05 to any pair.
ALIKE = 0.15
SIMILAR_MIN = 0.2

_PAIRS = re.compile(r"(..)", re.S)
_WORD = re.compile(r"\w+")


def normalize(text: str | None) -> str:
    """Lower case, letters and digits only (punctuation and spaces carry no meaning here)."""
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def grams(text: str | None) -> str:
    """The bigram words of ``text``: pairs from the first character, then from the second."""
    s = normalize(text)
    if not s:
        return ""
    return _PAIRS.sub(r"\1 ", s) + " " + _PAIRS.sub(r"\1 ", s[1:])


def trigram_set(gram_text: str) -> frozenset[str]:
    """pg_trgm's trigrams of a text: each word padded with two spaces before and one after."""
    out: set[str] = set()
    for word in _WORD.findall(gram_text):
        padded = f"  {word} "
        out.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(out)


def signature(text: str | None) -> frozenset[str]:
    return trigram_set(grams(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similarity(a: str | None, b: str | None) -> float:
    return jaccard(signature(a), signature(b))


PLACE_SUFFIXES = ("社区", "街道", "村", "镇", "乡")


def place_stripper(names: list[str]):
    """A function removing these place names (and their stems: 东溪村 → 东溪) from a text.

    The same complaint from two villages shares no place name, while two
    unrelated complaints from one village share it: names only add noise.
    """
    words = set()
    for name in names:
        name = name.strip()
        if len(name) < 2:
            continue
        words.add(name)
        for suffix in PLACE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
    if not words:
        return lambda text: text or ""
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return lambda text: pattern.sub("", text or "")
