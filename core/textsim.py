"""Similarity of short Chinese texts: one module for diaries, similar cases and hotspots.

Chinese has no spaces between words, so every comparison here works on the
character bigrams (two adjacent characters, roughly a word) of the text
reduced to lower-case letters and digits, and scores two texts with the
Jaccard index of their sets. Two sets serve two needs:

- ``bigrams()``, the plain bigrams: diaries find an entry written again
  (形式主义). A copy with a name and a date changed keeps most of its
  bigrams, while two honest entries about one village share only common words.
- ``signature()``, pg_trgm's trigrams of the bigram words that ``grams()``
  builds ("公路坑洼" → "公路 坑洼 路坑"): pg_trgm on raw Chinese sees one long
  "word" whose 3-character windows rarely survive a rewording. The SQL
  function ``minqing_grams`` (migration dashboards 0002) builds the same
  string as ``grams()`` and ``similarity()`` reproduces pg_trgm's
  ``similarity()`` on it, so the GiST-indexed lookup of similar cases on
  PostgreSQL, its fallback on SQLite and the hotspot detector give one and
  the same score.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable

# Scores from which two texts count as alike, each on its own set:
# - ALIKE (signature, hotspots): texts are compared with place names taken out
#   (see place_stripper), where a rewording of one complaint scores about
#   0.15–0.7 and unrelated cases of one category below 0.1.
# - SIMILAR_MIN (signature, similar cases): raw titles through the index,
#   where a shared village name adds about 0.05 to any pair.
# - COPY_THRESHOLD (bigrams, diaries): a copied entry with names and dates
#   changed; texts shorter than COPY_MIN_CHARS only count when repeated exactly.
ALIKE = 0.15
SIMILAR_MIN = 0.2
COPY_THRESHOLD = 0.7
COPY_MIN_CHARS = 6

# Whitespace, punctuation (ASCII and full-width) and "_": everything but letters and digits.
_NOISE = re.compile(r"[\W_]+")
_PAIRS = re.compile(r"(..)", re.S)


def normalize(text: str | None) -> str:
    """Lower case, letters and digits only (punctuation and spaces carry no meaning here)."""
    return _NOISE.sub("", (text or "").lower())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


# --- plain bigrams (diaries) ---------------------------------------------------


def bigrams(text: str | None) -> frozenset[str]:
    """The text's character bigrams; a text of one or two characters is its own single "bigram"."""
    s = normalize(text)
    if len(s) <= 2:
        return frozenset({s}) if s else frozenset()
    return frozenset(s[i : i + 2] for i in range(len(s) - 1))


def most_similar(
    text: str, candidates: Iterable[tuple[int, str]], *, threshold: float = COPY_THRESHOLD
) -> tuple[int, float] | None:
    """The (id, score) of the candidate most like ``text`` at or above ``threshold``, or None."""
    mine = bigrams(text)
    if len(normalize(text)) < COPY_MIN_CHARS:
        threshold = 1.0
    best: tuple[int, float] | None = None
    for pk, other_text in candidates:
        # Jaccard can never exceed the ratio of the set sizes; the text lengths
        # approximate them well enough to skip most candidates unbuilt.
        longer = max(len(text), len(other_text)) or 1
        if min(len(text), len(other_text)) / longer < threshold * 0.8:
            continue
        score = jaccard(mine, bigrams(other_text))
        if score >= threshold and (best is None or score > best[1]):
            best = (pk, score)
    return best


# --- pg_trgm on bigram words (similar cases, hotspots) ---------------------------


def grams(text: str | None) -> str:
    """The bigram words of ``text``: pairs from the first character, then from the second."""
    s = normalize(text)
    if not s:
        return ""
    return _PAIRS.sub(r"\1 ", s) + " " + _PAIRS.sub(r"\1 ", s[1:])


def signature_and_keys(text: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """pg_trgm's trigrams of ``grams(text)``, and those of them that name a bigram (``signature_keys``).

    Each bigram word "ab" padded as "  ab " gives "  a", " ab" and "ab "; a lone last character "c"
    gives "  c" and " c ". Built straight from the characters (hotspot detection signs every case of a
    city's year, so this is its hottest loop); a test holds it equal to pg_trgm's padding of the words
    of ``grams()``."""
    s = normalize(text)
    out: set[str] = set()
    keys: set[str] = set()
    add, key = out.add, keys.add
    n = len(s)
    for start in (0, 1):
        for i in range(start, n, 2):
            word = s[i : i + 2]
            if len(word) == 2:
                add("  " + word[0])
                key(" " + word)
                add(word + " ")
            else:
                add("  " + word)
                key(" " + word + " ")
    out |= keys
    return frozenset(out), tuple(keys)


def signature(text: str | None) -> frozenset[str]:
    return signature_and_keys(text)[0]


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's similarity(minqing_grams(a), minqing_grams(b)), in Python."""
    return jaccard(signature(a), signature(b))


def signature_keys(sig: frozenset[str]) -> tuple[str, ...]:
    # " ab" names the bigram ab; "  a" (a single character) is too common to find anything.
    return tuple(t for t in sig if t[0] == " " and t[1] != " ")


class AlikeIndex:
    """Signatures indexed by their bigrams, to find those alike a text (ALIKE or more) without comparing
    it with every one: the work grows with the number of alike pairs, not with the square of the texts.

    A bigram found in more than COMMON_SHARE of the texts ("村民", "反映") says nothing about which
    complaint it is and is not used to find candidates.
    """

    COMMON_SHARE = 0.2
    COMMON_FLOOR = 50

    def __init__(self, signatures: list[frozenset[str]]):
        self.signatures = signatures
        self.keys = [signature_keys(s) for s in signatures]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, keys in enumerate(self.keys):
            for key in keys:
                postings[key].append(i)
        too_common = max(self.COMMON_FLOOR, int(len(signatures) * self.COMMON_SHARE))
        self.postings = {k: ids for k, ids in postings.items() if len(ids) <= too_common}

    def _candidates(
        self, sig: frozenset[str], skip: list[bool] | None, keys: tuple[str, ...] | None = None
    ) -> list[int]:
        """Positions sharing enough bigrams with ``sig`` (whose ``keys`` may be given) to be worth scoring."""
        keys = signature_keys(sig) if keys is None else keys
        shared: dict[int, int] = defaultdict(int)
        for key in keys:
            for j in self.postings.get(key, ()):
                if skip is None or not skip[j]:
                    shared[j] += 1
        # Texts at ALIKE or more share at least two bigrams unless one of them is very short.
        short = len(keys) <= 4
        return [j for j, count in shared.items() if count >= 2 or short or len(self.keys[j]) <= 4]

    def alike(self, sig: frozenset[str], *, skip: list[bool] | None = None) -> list[tuple[int, float]]:
        """(position, score) of the indexed signatures alike ``sig``, leaving out positions where skip is True."""
        found = []
        for j in self._candidates(sig, skip):
            score = jaccard(sig, self.signatures[j])
            if score >= ALIKE:
                found.append((j, score))
        return found

    def first_alike(self, sig: frozenset[str], keys: tuple[str, ...] | None = None) -> int | None:
        """The first position (in the order indexed) alike ``sig``, scoring candidates only until it is found."""
        for j in sorted(self._candidates(sig, None, keys)):
            if jaccard(sig, self.signatures[j]) >= ALIKE:
                return j
        return None


PLACE_SUFFIXES = ("社区", "街道", "村", "镇", "乡")


def place_stripper(names: list[str]) -> Callable[[str | None], str]:
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
