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

# The property only the claims' full-text index reads (``graph.schema``). A change to
# ``search_words`` that alters stored copies needs a new name, so stores backfill it again.
SEARCH_PROPERTY = "search_text"

_WORD = re.compile(r"\w+")
# Accents on Latin and Greek letters are folded ("café" is "cafe", as users type it); marks on
# other letters stay (the Cyrillic "й" is not "и", the kana "が" not "か").
_ACCENTS = re.compile(
    "(?<=[a-z\u00c0-\u024f\u0370-\u03ff\u1e00-\u1eff\u1f00-\u1fff])[\u0300-\u036f]+"
)
# Han ideographs (with extensions and compatibility forms) and kana.
_CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])")


def search_words(text: str | None) -> list[str]:
    """The words of ``text`` as search compares them: case and accents folded, in order.

    ``"It’s a well-known café—3.5%"`` gives ``["it", "s", "a", "well", "known", "cafe", "3",
    "5"]``. Compatibility forms are folded too (full-width letters, ligatures such as "ﬁ").
    """
    text = text or ""
    if text.isascii():  # most text: nothing to fold but case (search reads thousands of claims)
        return _WORD.findall(text.lower())
    # Case first: casefold can itself yield a combining mark ("İ" -> "i" + dot), removed next.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))
    return _WORD.findall(_CJK.sub(r" \1 ", bare))


def search_text(text: str | None) -> str:
    """What the index holds for a claim whose text is ``text``: its search words, space-separated."""
    return " ".join(search_words(text))
