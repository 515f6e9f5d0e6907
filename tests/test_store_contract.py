"""What every store must do, run unchanged on each: FalkorDB always, Neo4j when NEO4J_URI is set.

Idempotent writes, parameters stored exactly, the same result shapes, full-text search, a
read-only ``run_read`` that refuses writes, time limits, one-line errors, ``clear``. The last
tests check that an unreachable Neo4j fails fast with one line (they need no server).

On Neo4j the suite empties the database it is pointed at: use a throwaway one (see README).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.schema import (
    ensure_schema,
    fulltext_claims_query,
    fulltext_posts_query,
    fulltext_terms,
)
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread

from argmap.core.errors import QueryError, ReadOnlyViolation
from argmap.core.ids import claim_id, stable_id
from argmap.core.models import Claim, Post, Relation, Thread
from argmap.core.resources import sample_thread
from argmap.core.times import utc_iso

ROOT = Path(__file__).resolve().parent.parent

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


# -- writes ------------------------------------------------------------------------------------


def test_writes_are_idempotent(any_store: Store) -> None:
    thread = contract_thread()
    write_all(any_store, thread)
    first = counts(any_store)
    write_all(any_store, thread)
    ensure_schema(any_store)  # re-creating the schema is a no-op too
    assert first == EXPECTED_COUNTS
    assert counts(any_store) == EXPECTED_COUNTS


def test_parameters_are_stored_exactly(any_store: Store) -> None:
    thread = contract_thread()
    claims, relations = write_all(any_store, thread)
    posts = any_store.run_read(
        "MATCH (u:Person)-[:WROTE]->(p:Post) RETURN p.id AS id, p.text AS text, "
        "p.author AS author, u.name AS name, p.posted_at AS posted_at ORDER BY p.position"
    )
    assert posts == [
        {
            "id": p.id,
            "text": p.text,
            "author": p.author,
            "name": p.author,
            "posted_at": utc_iso(p.posted_at),  # every time is stored as aware UTC
        }
        for p in thread.posts
    ]
    # Looked up *by* tricky text, not only read back.
    for text in TRICKY:
        rows = any_store.run_read(
            "MATCH (c:Claim) WHERE c.quote = $q RETURN c.id AS id", {"q": text}
        )
        expected = [c.id for c in claims if c.quote == text]
        assert [r["id"] for r in rows] == expected
    rationale = any_store.run_read(
        "MATCH (:Claim {id: $s})-[r:REBUTS]->(:Claim {id: $t}) RETURN r.rationale AS r",
        {"s": relations[0].source, "t": relations[0].target},
    )
    assert rationale == [{"r": relations[0].rationale}]


def test_value_types_and_shapes_are_the_same(any_store: Store) -> None:
    rows = any_store.run_read(
        "RETURN 1 AS i, 2.5 AS f, true AS b, null AS n, 'x' AS s, [1, 'a', null] AS l, "
        "{k: 'v', n: [1, 2]} AS m, $p AS p",
        {"p": {"nested": ["ü", 3, {"deep": True}]}},
    )
    assert rows == [
        {
            "i": 1,
            "f": 2.5,
            "b": True,
            "n": None,
            "s": "x",
            "l": [1, "a", None],
            "m": {"k": "v", "n": [1, 2]},
            "p": {"nested": ["ü", 3, {"deep": True}]},
        }
    ]
    thread = contract_thread()
    write_all(any_store, thread)
    reply = thread.posts[2]
    rows = any_store.run_read(
        "MATCH (p:Post {id: $id})-[r:REPLIES_TO]->(q:Post) RETURN p, r, q", {"id": reply.id}
    )
    assert len(rows) == 1
    assert rows[0]["p"]["text"] == reply.text and rows[0]["p"]["position"] == 2
    assert rows[0]["q"]["id"] == reply.parent_id
    assert rows[0]["r"] == {}  # a relationship is its properties (none here)
    # A path is the list of its nodes' properties, in order.
    rows = any_store.run_read(
        "MATCH path = (p:Post {id: $id})-[:REPLIES_TO*]->(a:Post {kind: 'article'}) RETURN path",
        {"id": reply.id},
    )
    assert [n["position"] for n in rows[0]["path"]] == [2, 1, 0]


def test_export_reads_back_what_was_written(any_store: Store) -> None:
    thread = contract_thread()
    claims, relations = write_all(any_store, thread)
    doc = export_json(any_store)
    assert doc["threads"] == [
        {
            "id": thread.id,
            "title": thread.title,
            "url": thread.url,
            "source_format": "test",
            "published_at": utc_iso(thread.published_at),
        }
    ]
    assert [(p["id"], p["parent_id"], p["text"], p["is_spam"]) for p in doc["posts"]] == [
        (p.id, p.parent_id, p.text, False) for p in thread.posts
    ]
    assert sorted((c["id"], c["quote"], c["extractor"]) for c in doc["claims"]) == sorted(
        (c.id, c.quote, c.extractor) for c in claims
    )
    assert sorted(
        (r["source"], r["target"], r["type"], r["confidence"]) for r in doc["relations"]
    ) == sorted((r.source, r.target, r.type, r.confidence) for r in relations)


# -- full-text search ----------------------------------------------------------------------------


def _search(store: Store, query: str, words: str, limit: int = 10) -> list[str]:
    rows = store.run_read(query, {"q": fulltext_terms(store, words), "limit": limit, "tids": None})
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)  # best first
    return [r["node"]["id"] for r in rows]


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


# -- read-only, time limits, errors ---------------------------------------------------------------


WRITES = [
    "CREATE (:Thread {id: 'intruder'})",
    "MERGE (:Claim {id: 'intruder'})",
    "MATCH (p:Post) SET p.text = 'defaced'",
    "MATCH (p:Post) DETACH DELETE p",
    "MATCH (c:Claim) REMOVE c.text",
]


@pytest.mark.parametrize("query", WRITES)
def test_run_read_refuses_writes_and_changes_nothing(any_store: Store, query: str) -> None:
    thread = contract_thread()
    write_all(any_store, thread)
    before = export_json(any_store)
    with pytest.raises(ReadOnlyViolation, match="read-only"):
        any_store.run_read(query)
    assert export_json(any_store) == before
    assert counts(any_store) == EXPECTED_COUNTS


def test_run_read_refuses_schema_changes(any_store: Store) -> None:
    with pytest.raises(ReadOnlyViolation):
        any_store.run_read("CREATE INDEX FOR (n:Intruder) ON (n.x)")


# 400 million rows without building a large list: seconds at least on either store, well past
# both a 20 ms limit and Neo4j's timeout monitor (it checks every 2 s by default).
SLOW = "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b RETURN count(*) AS n"


def test_time_limit_stops_a_long_query(any_store: Store) -> None:
    with pytest.raises(QueryError, match="time limit"):
        any_store.run_read(SLOW, timeout_ms=20)
    # The limit applies to that query only; a quick one under a generous limit still answers.
    assert any_store.run_read("RETURN 40 + 2 AS n", timeout_ms=60_000) == [{"n": 42}]


@pytest.mark.parametrize(
    "query", ["MATCH (n RETURN n", "RETURN $missing", "CALL no.such.procedure()"]
)
def test_bad_queries_raise_one_line_query_errors(any_store: Store, query: str) -> None:
    with pytest.raises(QueryError) as info:
        any_store.run_read(query)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("query failed")


def test_ids_are_unique_per_label(any_store: Store) -> None:
    if any_store.dialect != "neo4j":
        pytest.skip("FalkorDB indexes ids without a uniqueness constraint; MERGE keeps them unique")
    any_store.run("CREATE (:Claim {id: 'dup'})")
    with pytest.raises(QueryError, match="already exists|ConstraintValidation"):
        any_store.run("CREATE (:Claim {id: 'dup'})")


def test_clear_empties_the_graph_and_keeps_the_schema(any_store: Store) -> None:
    thread = contract_thread()
    write_all(any_store, thread)
    any_store.clear()
    assert counts(any_store) == {}
    assert export_json(any_store)["threads"] == []
    claims, _ = write_all(any_store, thread)  # indexes still there: search works at once
    assert _search(any_store, fulltext_claims_query(any_store), "cheap") == [claims[1].id]


# -- an unreachable Neo4j fails fast, with one line --------------------------------------------------


def _argmap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (its own settings, its own stderr)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARGMAP_", "NEO4J_"))}
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env=base | (env or {}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_unreachable_neo4j_fails_with_one_line(scheme: str) -> None:
    target = f"{scheme}://127.0.0.1:{_closed_port()}"
    result = _argmap("export", "--db", target, env={"NEO4J_PASSWORD": "secret-pw"})
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"argmap: error: cannot reach Neo4j at {target} ")
    assert "Connection refused" in lines[0] and "check the server is running" in lines[0]
    assert "secret-pw" not in result.stderr


def test_hung_neo4j_fails_within_the_connect_timeout(silent_port: int) -> None:
    target = f"bolt://127.0.0.1:{silent_port}"
    result = _argmap(
        "ingest",
        str(sample_thread()),
        env={"ARGMAP_DB": target, "ARGMAP_CONNECT_TIMEOUT": "1"},
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot reach Neo4j at {target} within 1s" in lines[0]
    assert "no Bolt handshake answer" in lines[0]


def test_bad_neo4j_uri_is_one_line_without_the_password() -> None:
    result = _argmap("db", "status", "--db", "bolt://neo4j:hunter22@127.0.0.1:1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "hunter22" not in result.stderr
    assert "NEO4J_USER/NEO4J_PASSWORD" in result.stderr
