"""Full-text search over claims, on a real store (FalkorDB; Neo4j too when NEO4J_URI is set):
every claim holding each word, best first, whatever the two stores' tokenizers make of quotes,
contractions and query syntax.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argmap.graph import queries
from argmap.graph.store import Store
from argument_graphs import write_debate

from argmap.core.errors import ArgmapError


def test_search_finds_claims_with_every_word_best_first(any_store: Store) -> None:
    write_debate(
        any_store,
        claims=["long", "short", "partial", "other"],
        texts={
            "long": "An open standard helps archives, and the open review helped too.",
            "short": "Open standard wins.",
            "partial": "The standard is closed.",
            "other": "Completely unrelated words.",
        },
        authors={"short": "Sam"},
    )
    rows = queries.search(any_store, "open standard")
    assert [r.claim_id for r in rows] == ["short", "long"]
    assert rows[0].author == "Sam" and rows[0].post_id == "t1-post-short"
    assert rows[0].score == pytest.approx(2 / 3, abs=1e-3) and rows[0].score > rows[1].score
    # Case and punctuation do not matter; query syntax characters are not an error.
    assert [r.claim_id for r in queries.search(any_store, 'OPEN -standard: "')] == ["short", "long"]
    assert [r.claim_id for r in queries.search(any_store, "standard", limit=1)] == ["short"]
    assert queries.search(any_store, "nothingmatches") == []
    with pytest.raises(ArgmapError, match="at least one word"):
        queries.search(any_store, "?! ..")


def searcher(store: Store, texts: dict[str, str]) -> Callable[[str], set[str]]:
    """Write one claim per text (named by its key); return: the claims a search finds."""
    write_debate(store, claims=list(texts), texts=texts)
    return lambda words: {r.claim_id for r in queries.search(store, words)}


def test_search_finds_words_inside_curly_quotes_and_contractions_on_every_store(
    any_store: Store,
) -> None:
    # WordPress writes curly quotes and apostrophes; RediSearch keeps them inside its tokens
    # ("“democratic", "us”", "it’s"), Lucene does not: both stores must still give every claim.
    texts = {
        "quoted": "The central question, that of “democratic centralism.”",
        "plain": "Democratic centralism is the elephant in the room.",
        "closing": "They never told us” anything «democratic».",
        "apostrophe": "It’s the members’ decision, not the ISO’s.",
        "other": "Nothing of the kind here.",
    }
    found = searcher(any_store, texts)
    assert found("democratic") == {"quoted", "plain", "closing"}
    assert found("democratic centralism") == {"quoted", "plain"}
    assert found("us") == {"closing"}  # a short word before a closing quote
    assert found("it") == {"apostrophe"}  # the word before a curly apostrophe
    assert found("members decision") == {"apostrophe"}
    assert found("ISO’s") == found("ISO's") == {"apostrophe"}


def test_search_finds_short_contractions_whole_on_every_store(any_store: Store) -> None:
    # "it’s" is the words "it" and "s"; neither index holds the tail "s" (or "m") as a token of
    # its own, so searching for it too found nothing, though every word is in the claim.
    texts = {
        "curly": "It’s the members’ decision.",
        "straight": "It's what he said.",
        "im": "I’m not sure of it.",
        "other": "Nothing of the kind here.",
    }
    found = searcher(any_store, texts)
    assert found("it’s") == found("it's") == found("It’s") == {"curly", "straight"}
    assert found("I’m") == found("I'm") == {"im"}
    assert found("it") == {"curly", "straight", "im"}
    assert found("he’s") == {"straight"}  # "he" and "s" ("It's") are words of it, not "the"


def test_search_takes_underscores_as_text(any_store: Store) -> None:
    # "_" is a word character, so it reaches the store's query: RediSearch read a lone one as a
    # syntax error, which the page showed instead of an answer.
    texts = {"snake": "Name it in snake_case please.", "other": "Name nothing here."}
    write_debate(any_store, claims=list(texts), texts=texts)
    assert queries.search(any_store, "_") == []
    assert queries.search(any_store, "name _") == []
    assert [r.claim_id for r in queries.search(any_store, "snake_case")] == ["snake"]
    assert [r.claim_id for r in queries.search(any_store, "snake_case please")] == ["snake"]


def test_search_filters_threads_before_its_limit(any_store: Store) -> None:
    # Thread t1's claims match better (shorter) and would fill a limit of 2 taken before filtering.
    write_debate(
        any_store,
        claims=["a1", "a2", "a3"],
        thread_id="t1",
        texts={"a1": "party line", "a2": "party now", "a3": "party time"},
    )
    write_debate(
        any_store,
        claims=["b1", "b2"],
        thread_id="t2",
        texts={"b1": "the party of the future is here", "b2": "a party we should all join soon"},
    )
    assert [r.claim_id for r in queries.search(any_store, "party", limit=2, thread_ids=["t2"])] == [
        "b1",
        "b2",
    ]
