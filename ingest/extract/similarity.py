"""Lexical similarity for the offline extractor: content words, light stemming, TF-IDF cosine.

Deliberately small: enough to tell which of a parent's claims a reply is talking about. Vectors are
plain dicts from stem to weight, L2-normalised, so cosine is a sparse dot product.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

STOPWORDS = frozenset(
    """a about above after again against all almost also although always am among an and another
    any anyone anything are aren't around as at be because been before being below between both
    but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each
    either else enough etc even ever every few for from further get gets getting go goes going got
    had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
    himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just
    let's like many may maybe me might more most much must mustn't my myself neither never no nor
    not now of off often on once one only or other others ought our ours ourselves out over own
    per perhaps quite rather re really same say says said see seem seems shall shan't she she'd
    she'll she's should shouldn't since so some something still such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've thing
    things think this those though through thus to too under until up upon us very via was wasn't
    we we'd we'll we're we've well were weren't what what's when when's where where's whether which
    while who who's whom whose why why's will with within without won't would wouldn't yes yet you
    you'd you'll you're you've your yours yourself yourselves lot lots ok okay oh""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Suffixes stripped longest first; the stem must keep at least three letters.
_SUFFIXES = (
    "ational", "ization", "fulness", "iveness", "ations", "ingly", "ement", "ments", "ation",
    "ities", "ness", "ment", "ings", "ists", "isms", "ally", "ible", "able", "ing", "ers",
    "ies", "ied", "ist", "ism", "ity", "ive", "est", "ed", "er", "es", "ly", "al", "s",
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: lower-cased, possessive dropped, one common suffix stripped."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix in ("ies", "ied", "ities"):
                w += "y" if suffix != "ities" else ""
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopp" -> "stop"
    return w


@lru_cache(maxsize=262144)
def _term(word: str) -> str | None:
    """The stem of ``word``, or None for a stopword, a number or a scrap."""
    low = word.casefold().replace("’", "'")
    if low in STOPWORDS or len(low) < 3 or low.isdigit():
        return None
    return stem(low)


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, inner apostrophes kept), in order."""
    return _WORD.findall(text)


def term(word: str) -> str | None:
    """The stem ``word`` counts as, or None for a stopword, a number or a scrap."""
    return _term(word)


def content_words(text: str) -> list[tuple[str, str]]:
    """``(stem, surface)`` for each word of ``text`` that carries content (no stopwords/numbers)."""
    return [(t, w) for w in _WORD.findall(text) if (t := _term(w)) is not None]


def stems(text: str) -> list[str]:
    """The content-word stems of ``text``."""
    return [t for w in _WORD.findall(text) if (t := _term(w)) is not None]


class Idf:
    """Inverse document frequencies over the documents (posts) of one thread."""

    def __init__(self, documents: Iterable[str] = ()) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        self._weights: dict[str, float] = {}
        for doc in documents:
            self.add(doc)

    def add(self, document: str) -> None:
        self.n += 1
        self.df.update(set(stems(document)))
        self._weights.clear()

    def weight(self, term: str) -> float:
        w = self._weights.get(term)
        if w is None:
            w = self._weights[term] = math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0
        return w


Vector = dict[str, float]


def vector(text: str | list[str], idf: Idf) -> Vector:
    """The L2-normalised TF-IDF vector of ``text`` (or of its already computed stems)."""
    counts = Counter(stems(text) if isinstance(text, str) else text)
    vec = {t: (1.0 + math.log(c)) * idf.weight(t) for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def shared_words(a_text: str, a: Vector, b: Vector, limit: int = 3) -> list[str]:
    """The words of ``a_text`` that weigh most in both vectors (for rationales), best first."""
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    for s, word in content_words(a_text):
        if s in b and s not in scores:
            scores[s] = a.get(s, 0.0) * b[s]
            surface[s] = word.casefold() if not word.isupper() else word
    best = sorted(scores, key=lambda s: (-scores[s], s))[:limit]
    return [surface[s] for s in best]
