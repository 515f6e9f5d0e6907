"""The words full-text search sees: one normal form for a claim's text and for what a user types.

FalkorDB's index (RediSearch) splits text at ASCII punctuation only, so "model–and",
"wait…what" and "“democratic" were single tokens there; Neo4j's (Lucene) keeps "3.5", "1,000",
"example.org" and "ISO’s" whole and cuts Han text into single characters. Neither can search
inside a token. So argmap indexes a copy of each claim's text that holds only its words, one
space between each, which every tokenizer splits the same way, and reduces a query to the same
words. A word is a run of letters, digits and underscores (``\\w+``) after case and accents are
folded ("Café" is "cafe"); Han and kana, written without spaces, are a word per character.

A word is then reduced to its stem in the language of its thread (``argmap.core.languages``),
by the Snowball algorithm for that language: "rebuttals" is "rebutt" as "rebuttal" is, in
English; "Schließungen" is "schliessung" as "Schließung" is, in German. A query's words are
stemmed in the language of each claim they are compared with. Words of a thread whose language
is unknown, or has no Snowball algorithm, and Han, kana and Hangul, are kept whole.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from itertools import chain

import snowballstemmer

from argmap.core.languages import STEMMERS
from argmap.core.scripts import WORD_CHARS

# The property only the claims' full-text index reads (``graph.schema``). A change to
# ``search_words`` that alters stored copies needs a new name, so stores backfill it again;
# ``OLD_SEARCH_PROPERTIES`` are the names used before (the copy under them is dropped).
# v2: words keep their vowel signs (Devanagari), Arabic and Hebrew vowel points, "ё" and
# stroked letters ("ł") are folded, Hangul is a word per syllable.
# v3: words are stemmed in their thread's language (``Thread.language``).
SEARCH_PROPERTY = "search_text_v3"
OLD_SEARCH_PROPERTIES = ("search_text", "search_text_v2")

# A word is a run of letters, digits and "_" with the marks written on them: Python's ``\w``
# alone cut "हिन्दी" at its vowel signs into "ह न द", which matched any word holding them.
_WORD = re.compile(f"[{WORD_CHARS}]+")
# Accents on Latin and Greek letters are folded ("café" is "cafe", as users type it), and the
# diaeresis of the Cyrillic "ё" (mostly written "е"); other marks stay (the Cyrillic "й" is
# not "и", the kana "が" not "か").
_ACCENTS = re.compile(
    "(?<=[a-z\u00c0-\u024f\u0370-\u03ff\u1e00-\u1eff\u1f00-\u1fff])[\u0300-\u036f]+|(?<=\u0435)\u0308"
)
# Latin letters whose mark is no combining accent, so NFKD keeps them: Polish "ł", Danish "ø",
# Croatian "đ", Maltese "ħ", Turkish dotless "ı" are typed as "l", "o", "d", "h", "i" too.
_STROKES = str.maketrans("łøđħıŧ", "lodhit")
# Arabic and Hebrew vowel points and cantillation, and the Arabic elongation (tatweel): most
# text is written without them, so "أُجريت" is "أجريت" as a user types it.
_POINTS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u0640\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]"
)
# Han ideographs (with extensions and compatibility forms), kana and Hangul syllables: a word
# per character, as Korean attaches its particles ("생산성이") and the others use no spaces.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\U00020000-\U0003134f]"
)


# Snowball's stemmers keep the word being stemmed in the object: one at a time (the dashboard
# serves several sessions from threads).
_STEMMING = threading.Lock()


@lru_cache(maxsize=32)
def _stemmer(algorithm: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=200_000)  # a thread repeats its words: a 50k-claim store stems ~1/10 of them
def stem(language: str | None, word: str) -> str:
    """``word`` (folded, as ``search_words`` gives it) reduced to its stem in ``language``
    (ISO 639-1), or ``word`` itself for a language without a Snowball algorithm."""
    algorithm = STEMMERS.get(language or "")
    if algorithm is None:
        return word
    with _STEMMING:
        return _stemmer(algorithm).stemWord(word)


def search_phrases(text: str | None, language: str | None = None) -> list[tuple[str, ...]]:
    """The words of ``text`` as search compares them, grouped: a run of Han, kana or Hangul is
    one group of its characters (a search for it wants them side by side), any other word a
    group of one, stemmed in ``language`` (see ``stem``).

    ``"AI導入 café"`` gives ``[("ai",), ("導", "入"), ("cafe",)]``.
    """
    text = text or ""
    if text.isascii():  # most text: nothing to fold but case (search reads thousands of claims)
        return [(stem(language, w),) for w in _WORD.findall(text.lower())]
    # Case first: casefold can itself yield a combining mark ("İ" -> "i" + dot), removed next.
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_STROKES))
    bare = unicodedata.normalize("NFC", _POINTS.sub("", _ACCENTS.sub("", decomposed)))
    out: list[tuple[str, ...]] = []
    for word in _WORD.findall(bare):
        for part in re.split(f"({_UNSPACED.pattern}+)", word):
            if _UNSPACED.match(part):
                out.append(tuple(part))
            elif part:
                out.append((stem(language, part),))
    return out


def search_words(text: str | None, language: str | None = None) -> list[str]:
    """The words of ``text`` as search compares them: case and accents folded, in order.

    ``"It’s a well-known café—3.5%"`` gives ``["it", "s", "a", "well", "known", "cafe", "3",
    "5"]``. Compatibility forms are folded too (full-width letters, ligatures such as "ﬁ").
    Han, kana and Hangul are a word per character. Words are stemmed in ``language``.
    """
    return list(chain.from_iterable(search_phrases(text, language)))


def holds_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs in ``words`` as consecutive words."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def search_text(text: str | None, language: str | None = None) -> str:
    """What the index holds for a claim whose text is ``text``, in a thread written in
    ``language``: its search words, space-separated."""
    return " ".join(search_words(text, language))
