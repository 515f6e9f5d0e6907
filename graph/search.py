"""Full-text search over the claims: every word a user types, in any of its forms.

The store's full-text index finds candidates over each claim's stored copy of its words
(``graph.search_words``: folded, and stemmed in the thread's language); argmap then keeps the
claims holding every query word, stemmed as the claim's thread stems it, and scores them itself,
so both stores give the same rows in the same order.
"""

from __future__ import annotations

from collections import Counter

from argmap.graph.catalog import known_thread_params
from argmap.graph.schema import fulltext_candidates, fulltext_claims_query
from argmap.graph.search_words import SEARCH_PROPERTY, holds_phrase, search_phrases, search_words
from argmap.graph.store import Store
from argmap.graph.thread_languages import thread_languages
from pydantic import BaseModel

from argmap.core.errors import ArgmapError

# Full-text candidates fetched before argmap ranks them (see ``search``).
SEARCH_CANDIDATES = 5000


class SearchRow(BaseModel):
    claim_id: str
    text: str
    post_id: str | None
    author: str | None
    score: float


def search(
    store: Store, text: str, limit: int | None = 20, thread_ids: list[str] | None = None
) -> list[SearchRow]:
    """Claims containing every word of ``text`` (case and accents ignored, and the endings
    Snowball strips in the language of the claim's thread), best match first.

    Words are as ``graph.search_words`` reads them: "well-known", "model–and", "wait…what",
    "3.5" and "it’s" are two words each. The store's full-text index finds candidates; argmap
    then keeps the claims that contain each word as a whole word and scores them by the share
    of the claim's words that are query words. The stores' own scores (and FalkorDB's
    stemming) differ; this does not, so both stores give the same rows as long as fewer than
    ``SEARCH_CANDIDATES`` claims match.
    """
    if not search_words(text):
        raise ArgmapError(f"nothing to search for in {text!r}: give at least one word")
    # The ids are checked first (a bare string, a misspelt id), and an empty choice is every
    # thread, for the languages as for the rows.
    scope = known_thread_params(store, thread_ids)
    languages = thread_languages(store, scope["tids"])
    rows = store.run_read(
        fulltext_claims_query(store),
        {
            "q": fulltext_candidates(store, text, set(languages.values())),
            "limit": SEARCH_CANDIDATES,
            **scope,
        },
    )
    scored = []
    wanted: dict[str | None, tuple[set[str], list[tuple[str, ...]]]] = {}
    for r in rows:
        node = r["node"]
        language = languages.get(r["thread_id"])
        if language not in wanted:
            # The query's words as this claim's thread stems them; the claim's are stored so.
            phrases = search_phrases(text, language)
            # Han, kana and Hangul are indexed a word per character: their characters must
            # stand together, as typed ("在宅勤務" is not any claim holding 在, 宅, 勤 and 務).
            runs = [phrase for phrase in set(phrases) if len(phrase) > 1]
            wanted[language] = ({w for phrase in phrases for w in phrase}, runs)
        words, runs = wanted[language]
        stored = node.get(SEARCH_PROPERTY)
        tokens = stored.split() if stored is not None else search_words(node.get("text"), language)
        counts = Counter(tokens)
        if not tokens or any(counts[w] == 0 for w in words):
            continue
        if not all(holds_phrase(tokens, run) for run in runs):
            continue
        score = round(sum(counts[w] for w in words) / len(tokens), 4)
        scored.append((score, node, r["author"]))
    scored.sort(key=lambda s: (-s[0], s[1]["id"]))
    if limit is not None:
        scored = scored[:limit]
    return [
        SearchRow(
            claim_id=n["id"],
            text=n.get("text") or "",
            post_id=n.get("post_id"),
            author=author,
            score=score,
        )
        for score, n, author in scored
    ]
