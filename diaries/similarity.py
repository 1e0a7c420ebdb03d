"""Near-copy detection for diary text (形式主义: the same entry written again and again).

Chinese has no spaces between words, so texts are compared as sets of
character bigrams (two adjacent characters, roughly a word) with the Jaccard
index: a copy with a name and a date changed keeps most of its bigrams,
while two honest entries about the same village share only common words.
"""

import re
from collections.abc import Iterable

# Whitespace and punctuation (ASCII and full-width) carry no meaning here.
_NOISE = re.compile(r"[\W_]+", re.UNICODE)

SHINGLE = 2
THRESHOLD = 0.7
# Shorter texts are still compared, but only an exact repeat counts.
MIN_CHARS = 6


def normalise(text: str) -> str:
    return _NOISE.sub("", (text or "").lower())


def shingles(text: str) -> frozenset[str]:
    s = normalise(text)
    if len(s) <= SHINGLE:
        return frozenset({s}) if s else frozenset()
    return frozenset(s[i : i + SHINGLE] for i in range(len(s) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def most_similar(text: str, candidates: Iterable[tuple[int, str]], *, threshold: float = THRESHOLD):
    """The (id, score) of the candidate most like ``text`` at or above ``threshold``, or None."""
    mine = shingles(text)
    if len(normalise(text)) < MIN_CHARS:
        threshold = 1.0
    best: tuple[int, float] | None = None
    for pk, other_text in candidates:
        # Jaccard can never exceed the ratio of the set sizes; the text lengths
        # approximate them well enough to skip most candidates unbuilt.
        longer = max(len(text), len(other_text)) or 1
        if min(len(text), len(other_text)) / longer < threshold * 0.8:
            continue
        score = jaccard(mine, shingles(other_text))
        if score >= threshold and (best is None or score > best[1]):
            best = (pk, score)
    return best
