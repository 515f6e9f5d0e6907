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

from argmap.ingest.content_words import content_stem, reads
from argmap.ingest.text_cues import STOPWORDS as BASE_STOPWORDS
from argmap.ingest.text_cues import (
    cosine as cosine,  # re-exported: the extractor's similarity measure
)
from argmap.ingest.text_cues import unit_tfidf

from argmap.core.scripts import MARKS, is_unspaced, split_unspaced, unspaced_bigrams

# The reply-tree cues' stopwords, plus words too common in comments to tell claims apart.
STOPWORDS = BASE_STOPWORDS | frozenset(
    """almost although always among another anyone anything around either else enough etc getting
    go goes going lot lots many may maybe neither never often oh ok okay others per perhaps
    quite rather re said say says see seem seems shall since something still thing things think
    thus via whose within without""".split()
)

# Letters and digits with their combining marks (a Devanagari vowel sign is part of its word).
_WORD = re.compile(rf"[^\W_](?:[^\W_]|[{MARKS}])*(?:['’][^\W_](?:[^\W_]|[{MARKS}])*)*")
# Suffixes stripped longest first; the stem must keep at least three letters.
_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "iveness",
    "ations",
    "ingly",
    "ement",
    "ments",
    "ation",
    "ities",
    "ness",
    "ment",
    "ings",
    "ists",
    "isms",
    "ally",
    "ible",
    "able",
    "ing",
    "ers",
    "ies",
    "ied",
    "ist",
    "ism",
    "ity",
    "ive",
    "est",
    "ed",
    "er",
    "es",
    "ly",
    "al",
    "s",
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
def _term(word: str, language: str | None = None) -> str | None:
    """The stem of ``word``, or None for a stopword, a number or a scrap; in German, French or
    Spanish (``language``) by that language's stop words and stemmer, else by English's."""
    low = word.casefold().replace("’", "'")
    if reads(language):
        return content_stem(low, language, STOPWORDS)
    if low in STOPWORDS or len(low) < 3 or low.isdigit():
        return None
    return stem(low)


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits, inner apostrophes kept), in order."""
    return _WORD.findall(text)


def term(word: str, language: str | None = None) -> str | None:
    """The stem ``word`` counts as, or None for a stopword, a number or a scrap (``language``:
    the thread's, ISO 639-1; ``None`` reads English)."""
    return _term(word, language)


def _terms(word: str, language: str | None) -> list[tuple[str, str]]:
    """``(term, surface)`` for what a word token stands for: its stem, or for Han and kana
    (written without spaces, so one token is a whole clause) its overlapping character pairs."""
    if word.isascii():
        t = _term(word, language)
        return [] if t is None else [(t, word)]
    out: list[tuple[str, str]] = []
    for part in split_unspaced(word):
        if is_unspaced(part):
            out.extend((pair, pair) for pair in unspaced_bigrams(part) if len(pair) == 2)
        elif (t := _term(part, language)) is not None:
            out.append((t, part))
    return out


def content_words(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """``(stem, surface)`` for each word of ``text`` that carries content (no stopwords/numbers)."""
    return [pair for w in _WORD.findall(text) for pair in _terms(w, language)]


def stems(text: str, language: str | None = None) -> list[str]:
    """The content-word stems of ``text`` (character pairs for Han and kana), read in
    ``language`` (the thread's, ISO 639-1; ``None``: English)."""
    return [t for w in _WORD.findall(text) for t, _ in _terms(w, language)]


class Idf:
    """Inverse document frequencies over the documents (posts) of one thread, whose words are
    read in ``language`` (the thread's; ``None``: English)."""

    def __init__(self, documents: Iterable[str] = (), language: str | None = None) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        self.language = language
        self._weights: dict[str, float] = {}
        for doc in documents:
            self.add(doc)

    def add(self, document: str) -> None:
        self.n += 1
        self.df.update(set(stems(document, self.language)))
        self._weights.clear()

    def weight(self, term: str) -> float:
        w = self._weights.get(term)
        if w is None:
            w = self._weights[term] = math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0
        return w


Vector = dict[str, float]


def vector(text: str | list[str], idf: Idf) -> Vector:
    """The L2-normalised TF-IDF vector of ``text`` (or of its already computed stems), its words
    read in the language of ``idf``."""
    terms = stems(text, idf.language) if isinstance(text, str) else text
    return unit_tfidf(Counter(terms), idf.weight)


def shared_words(
    a_text: str, a: Vector, b: Vector, limit: int = 3, language: str | None = None
) -> list[str]:
    """The words of ``a_text`` that weigh most in both vectors (for rationales), best first;
    ``language`` as the vectors' words were read."""
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    for s, word in content_words(a_text, language):
        if s in b and s not in scores:
            scores[s] = a.get(s, 0.0) * b[s]
            surface[s] = word.casefold() if not word.isupper() else word
    best = sorted(scores, key=lambda s: (-scores[s], s))[:limit]
    return [surface[s] for s in best]
