"""What every store must do with writes, run unchanged on each: FalkorDB always, and Neo4j (the
session's own server, or NEO4J_URI's). Idempotent writes, parameters stored exactly, the same result
shapes, the export reading back what was written, and ``clear`` keeping the schema.

On Neo4j the suite empties the database it is pointed at: use a throwaway one
(see docs/development.md).
"""

from __future__ import annotations

from argmap.graph.export_json import export_json
from argmap.graph.schema import ensure_schema, fulltext_claims_query
from argmap.graph.store import Store
from store_contract_data import EXPECTED_COUNTS, TRICKY, _search, contract_thread, counts, write_all

from argmap.core.times import utc_iso


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


def test_clear_empties_the_graph_and_keeps_the_schema(any_store: Store) -> None:
    thread = contract_thread()
    write_all(any_store, thread)
    any_store.clear()
    assert counts(any_store) == {}
    assert export_json(any_store)["threads"] == []
    claims, _ = write_all(any_store, thread)  # indexes still there: search works at once
    assert _search(any_store, fulltext_claims_query(any_store), "cheap") == [claims[1].id]
