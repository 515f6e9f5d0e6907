"""What every store must do for full-text search, run unchanged on each: FalkorDB always, and Neo4j
(the session's own server, or NEO4J_URI's). Claims and posts found by their words, best first, user
punctuation not taken as search syntax, rewritten text searchable at once.

On Neo4j the suite empties the database it is pointed at: use a throwaway one
(see docs/development.md).
"""

from __future__ import annotations

from argmap.graph.schema import fulltext_claims_query, fulltext_posts_query
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions
from store_contract_data import _search, contract_thread, write_all


def test_fulltext_finds_claims_by_their_words(any_store: Store) -> None:
    thread = contract_thread()
    claims, _ = write_all(any_store, thread)
    q = fulltext_claims_query(any_store)
    assert _search(any_store, q, "membership cheap") == [claims[1].id]
    assert set(_search(any_store, q, "ISO")) == {claims[0].id, claims[1].id, claims[2].id}
    # Punctuation a user types is not search syntax on either store.
    assert _search(any_store, q, 'membership: "cheap (and) useful!') == [claims[1].id]
    assert _search(any_store, q, "procedures") == [claims[2].id]
    assert _search(any_store, q, "nonexistentword") == []
    assert len(_search(any_store, q, "ISO", limit=1)) == 1


def test_fulltext_finds_posts_by_their_words(any_store: Store) -> None:
    thread = contract_thread()
    write_all(any_store, thread)
    q = fulltext_posts_query(any_store)
    assert _search(any_store, q, "doors") == [thread.posts[1].id]
    assert _search(any_store, q, "Standards bodies") == [thread.posts[0].id]


def test_fulltext_sees_rewritten_text(any_store: Store) -> None:
    thread = contract_thread()
    claims, relations = write_all(any_store, thread)
    changed = claims[1].model_copy(update={"text": "ISO membership brings zeppelins"})
    write_extractions(any_store, [claims[1].post_id], [changed], [], "offline")
    q = fulltext_claims_query(any_store)
    assert _search(any_store, q, "zeppelins") == [claims[1].id]
    assert _search(any_store, q, "membership cheap") == []
