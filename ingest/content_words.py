"""Which words of a German, French or Spanish text carry its content: stop words and stems.

The reply-tree cues (``ingest.text_cues``) and the offline extractor's similarity
(``ingest.extract.similarity``) compare texts by their content words. Their own stop words and
suffix rules are English, so in a German thread "der", "und" or "nicht" counted as content and
made unrelated comments look alike. A thread in one of ``LANGUAGES`` is read with that language's
stop words (the ``stop-words`` package's lists: BSD-3-Clause, data only, kept up) beside the
caller's English ones (threads quote English), French elision undone ("l'impôt" is "impôt"), and
the Snowball stemmer search already uses (``graph.search_words.stem``). Any other language, or
none told, keeps the English reading: ``reads`` says which.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TypeGuard

from argmap.graph.search_words import stem
from stop_words import get_stop_words

LANGUAGES = ("de", "fr", "es")

# French writes an article or pronoun onto the next word ("l'État", "qu'il", "d'accord").
_ELIDED = frozenset("c d j l m n qu s t jusqu lorsqu puisqu quoiqu".split())


def reads(language: str | None) -> TypeGuard[str]:
    """Whether a thread in ``language`` is read with its own stop words and stems (then
    ``language`` is a code ``content_stem`` and ``stop_words`` take)."""
    return language in LANGUAGES


@lru_cache(maxsize=len(LANGUAGES))
def stop_words(language: str) -> frozenset[str]:
    """``language``'s stop words, lower-case (French ones without their elided apostrophe)."""
    return frozenset(w.lower().rstrip("'") for w in get_stop_words(language))


def _unelided(word: str) -> str:
    head, mark, rest = word.partition("'")
    return rest if mark and head in _ELIDED and rest else word


@lru_cache(maxsize=262_144)
def content_stem(word: str, language: str, english: Collection[str]) -> str | None:
    """The stem ``word`` (lower-case, apostrophes straight) counts as in ``language``, or
    ``None`` for a stop word (``language``'s or one of ``english``), a number or a scrap."""
    if language == "fr":
        word = _unelided(word)
    if len(word) < 3 or word.isdigit() or word in english or word in stop_words(language):
        return None
    return stem(language, word)
