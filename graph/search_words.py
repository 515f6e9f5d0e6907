"""The words full-text search sees: one normal form for a claim's text and for what a user types.

FalkorDB's index (RediSearch) splits text at ASCII punctuation only, so "model–and",
"wait…what" and "“democratic" were single tokens there; Neo4j's (Lucene) keeps "3.5", "1,000",
"example.org" and "ISO’s" whole and cuts Han text into single characters. Neither can search
inside a token. So argmap indexes a copy of each claim's text that holds only its words, one
space between each, which every tokenizer splits the same way, and reduces a query to the same
words. A word is a run of letters, digits and underscores (``\\w+``) after case and accents are
folded ("Café" is "cafe"); Han and kana, written without spaces, are a word per character.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain

from argmap.core.scripts import WORD_CHARS

# The property only the claims' full-text index reads (``graph.schema``). A change to
# ``search_words`` that alters stored copies needs a new name, so stores backfill it again;
# ``OLD_SEARCH_PROPERTIES`` are the names used before (the copy under them is dropped).
# v2: words keep their vowel signs (Devanagari), Arabic and Hebrew vowel points, "ё" and
# stroked letters ("ł") are folded, Hangul is a word per syllable.
SEARCH_PROPERTY = "search_text_v2"
OLD_SEARCH_PROPERTIES = ("search_text",)

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


def search_phrases(text: str | None) -> list[tuple[str, ...]]:
    """The words of ``text`` as search compares them, grouped: a run of Han, kana or Hangul is
    one group of its characters (a search for it wants them side by side), any other word a
    group of one.

    ``"AI導入 café"`` gives ``[("ai",), ("導", "入"), ("cafe",)]``.
    """
    text = text or ""
    if text.isascii():  # most text: nothing to fold but case (search reads thousands of claims)
        return [(w,) for w in _WORD.findall(text.lower())]
    # Case first: casefold can itself yield a combining mark ("İ" -> "i" + dot), removed next.
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_STROKES))
    bare = unicodedata.normalize("NFC", _POINTS.sub("", _ACCENTS.sub("", decomposed)))
    out: list[tuple[str, ...]] = []
    for word in _WORD.findall(bare):
        for part in re.split(f"({_UNSPACED.pattern}+)", word):
            if _UNSPACED.match(part):
                out.append(tuple(part))
            elif part:
                out.append((part,))
    return out


def search_words(text: str | None) -> list[str]:
    """The words of ``text`` as search compares them: case and accents folded, in order.

    ``"It’s a well-known café—3.5%"`` gives ``["it", "s", "a", "well", "known", "cafe", "3",
    "5"]``. Compatibility forms are folded too (full-width letters, ligatures such as "ﬁ").
    Han, kana and Hangul are a word per character.
    """
    return list(chain.from_iterable(search_phrases(text)))


def holds_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs in ``words`` as consecutive words."""
    n = len(phrase)
    if n == 1:
        return phrase[0] in words
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def search_text(text: str | None) -> str:
    """What the index holds for a claim whose text is ``text``: its search words, space-separated."""
    return " ".join(search_words(text))
