"""The store contract's data (``tests/test_store_contract_*.py``, and ``test_argmap_json``):
a small thread and its extraction in text that breaks naive quoting, the writer and node/edge
counter for them, and the full-text search helper."""

from __future__ import annotations

from datetime import datetime

from argmap.graph.schema import fulltext_candidates, fulltext_claims_query, fulltext_terms
from argmap.graph.store import Store
from argmap.graph.thread_languages import thread_languages
from argmap.graph.writes import write_extractions, write_thread

from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread

# Text that breaks naive quoting in Cypher, JSON, HTML, Lucene and RediSearch, in several scripts.
TRICKY = [
    "Robert'); MATCH (n) DETACH DELETE n; //",
    'She wrote "RETURN $x" and {a: 1}, then \\n (a backslash n) and a real\nnewline\tand tab.',
    "Zoë — “Normung” 標準化 ist schön; עברית; emoji 🙂 and \u200bzero-width",
    "  leading and trailing spaces  ",
]
AUTHORS = ["Ann", 'O\'Brien "the" <b>bold</b>', "Zoë 標準", "$author {x}"]


def contract_thread() -> Thread:
    """An article and three replies (one nested), with text from ``TRICKY``."""
    tid = stable_id("t", "contract")
    texts = [
        "Joining ISO would slow the party down. Standards bodies are slow.",
        "No: ISO membership costs little and opens doors. " + TRICKY[0],
        "Membership is cheap, but the procedures are heavy. " + TRICKY[1],
        TRICKY[2] + " " + TRICKY[3],
    ]
    parents = [None, 0, 1, 0]
    posts = [
        Post(
            id=stable_id("p", tid, i),
            thread_id=tid,
            kind="article" if i == 0 else "comment",
            author=AUTHORS[i],
            posted_at=datetime(2013, 6, 24, 10 + i, 5, 7),
            position=i,
            text=text,
            parent_id=None if parents[i] is None else stable_id("p", tid, parents[i]),
        )
        for i, text in enumerate(texts)
    ]
    return Thread(
        id=tid,
        title="Contract «thread» 'quoted'",
        url="https://example.org/?a=1&b='2'",
        source_format="test",
        published_at=datetime(2013, 6, 24, 9),
        posts=posts,
        reply_tree="source",
    )


def _claim(post: Post, quote: str, text: str, extractor: str = "offline") -> Claim:
    start = post.text.index(quote)
    end = start + len(quote)
    return Claim(
        id=claim_id(post.id, start, end),
        post_id=post.id,
        text=text,
        quote=quote,
        start=start,
        end=end,
        extractor=extractor,
    )


def contract_extraction(thread: Thread) -> tuple[list[Claim], list[Relation]]:
    a, b, c, d = thread.posts[:4]
    claims = [
        _claim(a, "Joining ISO would slow the party down", "Joining ISO slows the party"),
        _claim(
            b, "ISO membership costs little and opens doors", "ISO membership is cheap and useful"
        ),
        _claim(c, "the procedures are heavy", "ISO procedures are heavy", extractor="llm"),
        _claim(d, TRICKY[2], TRICKY[2]),
    ]
    relations = [
        Relation(
            source=claims[1].id,
            target=claims[0].id,
            type="rebuts",
            confidence=0.9,
            rationale="says the cost is small: " + TRICKY[1],
            extractor="offline",
        ),
        Relation(
            source=claims[2].id,
            target=claims[0].id,
            type="supports",
            confidence=0.55,
            rationale="agrees it is slow",
            extractor="llm",
        ),
        Relation(
            source=claims[2].id,
            target=claims[1].id,
            type="rebuts",
            confidence=0.4,
            rationale="",
            extractor="llm",
        ),
    ]
    return claims, relations


def write_all(store: Store, thread: Thread) -> tuple[list[Claim], list[Relation]]:
    claims, relations = contract_extraction(thread)
    write_thread(store, thread)
    write_extractions(store, [p.id for p in thread.posts], claims, relations, "offline")
    return claims, relations


def counts(store: Store) -> dict[str, int]:
    nodes = store.run_read("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n")
    edges = store.run_read("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n")
    return {r["label"]: r["n"] for r in nodes} | {r["type"]: r["n"] for r in edges}


EXPECTED_COUNTS = {
    "Meta": 1,  # the graph's revision (graph.revision)
    "Thread": 1,
    "Post": 4,
    "Person": 4,
    "Claim": 4,
    "CONTAINS": 4,
    "WROTE": 4,
    "REPLIES_TO": 3,
    "MAKES": 4,
    "REBUTS": 2,
    "SUPPORTS": 1,
}


def _search(store: Store, query: str, words: str, limit: int = 10) -> list[str]:
    # The claims' index holds their words stemmed in the thread's language: so is the query.
    if query == fulltext_claims_query(store):
        q = fulltext_candidates(store, words, thread_languages(store).values())
    else:
        q = fulltext_terms(store, words)
    rows = store.run_read(query, {"q": q, "limit": limit, "tids": None})
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)  # best first
    return [r["node"]["id"] for r in rows]


def spam_thread() -> Thread:
    """The contract thread plus a comment, with spam flags a moderator set against the heuristics.

    An ordinary comment is marked spam and an advert is not: an import must keep both calls.
    """
    thread = contract_thread()
    advert = Post(
        id=stable_id("p", thread.id, "advert"),
        thread_id=thread.id,
        kind="comment",
        author="cheap-pills",
        position=len(thread.posts),
        text="Buy cheap pills at http://example.com/pills !!! Best price, click http://example.com",
        parent_id=thread.posts[0].id,
        is_spam=False,
    )
    posts = list(thread.posts)
    posts[2] = posts[2].model_copy(update={"is_spam": True})
    return thread.model_copy(update={"posts": [*posts, advert]})
