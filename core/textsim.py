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

import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import NamedTuple

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


class Signature(NamedTuple):
    """pg_trgm's trigrams of ``grams(text)``, kept by kind rather than as strings.

    Each bigram word "ab" padded as "  ab " gives "  a", " ab" and "ab "; a lone last character "c" gives
    "  c" and " c ". The words of both passes are every adjacent pair plus the last character, so the
    trigrams are "  a" for each character, " ab" and "ab " for each pair (always both) and " c " for the
    last one. Keeping the characters and the pairs themselves spares building three strings per pair:
    hotspot detection signs every case of a city's year, and this was its hottest loop. ``trigrams()``
    gives the strings back; a test holds them equal to pg_trgm's padding of the words of ``grams()``.
    """

    chars: frozenset[str]
    pairs: frozenset[str]
    last: str
    size: int  # the number of trigrams

    def __bool__(self) -> bool:
        return self.size > 0

    def score(self, other: "Signature") -> float:
        """pg_trgm's similarity: the Jaccard index of the two trigram sets, counted by kind."""
        if not self.size or not other.size:
            return 0.0
        shared = len(self.chars & other.chars) + 2 * len(self.pairs & other.pairs) + (self.last == other.last)
        return shared / (self.size + other.size - shared)

    def index_keys(self) -> tuple[str, ...]:
        """The trigrams naming a bigram (" ab", and " c " of the last character), as index keys: "  a" (a
        single character) is too common to find anything. A pair stands for itself; the last character
        comes with a space, which no pair holds."""
        return (*self.pairs, self.last + " ") if self.size else ()

    def trigrams(self) -> frozenset[str]:
        if not self.size:
            return frozenset()
        out = {"  " + c for c in self.chars} | {" " + p for p in self.pairs} | {p + " " for p in self.pairs}
        return frozenset(out | {" " + self.last + " "})


_NOTHING = Signature(frozenset(), frozenset(), "", 0)


def signature_and_keys(text: str | None) -> tuple[Signature, tuple[str, ...]]:
    """The text's Signature and its index keys (``Signature.index_keys``)."""
    sig = signature(text)
    return sig, sig.index_keys()


def signature(text: str | None) -> Signature:
    s = normalize(text)
    if not s:
        return _NOTHING
    chars = frozenset(s)
    pairs = frozenset(map(operator.add, s, s[1:]))
    return Signature(chars, pairs, s[-1], len(chars) + 2 * len(pairs) + 1)


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm's similarity(minqing_grams(a), minqing_grams(b)), in Python."""
    return signature(a).score(signature(b))


class AlikeIndex:
    """Signatures indexed by their bigrams, to find those alike a text (ALIKE or more) without comparing
    it with every one: the work grows with the number of alike pairs, not with the square of the texts.

    A bigram found in more than COMMON_SHARE of the texts ("村民", "反映") says nothing about which
    complaint it is and is not used to find candidates.
    """

    COMMON_SHARE = 0.2
    COMMON_FLOOR = 50

    def __init__(self, signatures: list[Signature]):
        self.signatures = signatures
        self.sizes: list[int] = []  # how many keys each has
        postings: dict[str, list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            keys = sig.index_keys()
            self.sizes.append(len(keys))
            for key in keys:
                postings[key].append(i)
        too_common = max(self.COMMON_FLOOR, int(len(signatures) * self.COMMON_SHARE))
        self.postings = {k: ids for k, ids in postings.items() if len(ids) <= too_common}

    def _candidates(self, keys: tuple[str, ...], skip: list[bool] | None) -> list[int]:
        """Positions sharing enough bigrams with a signature of these ``keys`` to be worth scoring."""
        get = self.postings.get
        shared = Counter(chain.from_iterable(get(key, ()) for key in keys))
        # Texts at ALIKE or more share at least two bigrams unless one of them is very short.
        short = len(keys) <= 4
        sizes = self.sizes
        return [j for j, count in shared.items()
                if (count >= 2 or short or sizes[j] <= 4) and (skip is None or not skip[j])]  # fmt: skip

    def alike(self, sig: Signature, *, skip: list[bool] | None = None) -> list[tuple[int, float]]:
        """(position, score) of the indexed signatures alike ``sig``, leaving out positions where skip is True."""
        found = []
        for j in self._candidates(sig.index_keys(), skip):
            score = sig.score(self.signatures[j])
            if score >= ALIKE:
                found.append((j, score))
        return found

    def first_alike(self, sig: Signature, keys: tuple[str, ...] | None = None) -> int | None:
        """The first position (in the order indexed) alike ``sig``, scoring candidates only until it is found."""
        for j in sorted(self._candidates(sig.index_keys() if keys is None else keys, None)):
            if sig.score(self.signatures[j]) >= ALIKE:
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
    pattern = re.compile(words_pattern(words))
    return lambda text: pattern.sub("", text or "")


def words_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest where several start at one place.

    Shaped as the words' prefix tree ("东溪(?:村)?|新桥社区") rather than as one alternative per word: a
    city's thousands of place names would otherwise be tried one by one at every character, which made
    stripping them most of a hotspot run's time."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _tree_pattern(tree)


def _tree_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _tree_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = "|".join(branches)
    # Greedy "?" tries the longer word first and falls back to the one ending here.
    if ends:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"
