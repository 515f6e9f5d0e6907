"""On Neo4j, argmap's writes find every node through an index that is ONLINE before they start.

Two mechanisms a first write into an empty Neo4j depends on (issue: the first write measured
6.6x a bulk MERGE): ``ensure_schema`` returns only once every index it created is populated,
and every query the write path sends is planned with index seeks on an empty database (no
label or full scans, which grow with the graph).
"""

from __future__ import annotations

from argmap.graph.schema import ID_LABELS, ensure_schema
from argmap.graph.store import Store
from argmap.graph.writes import write_extractions, write_thread
from query_plans import Recording, scans
from test_writes import claims_of, tiny_thread


def drop_schema(store: Store) -> None:
    for row in store.run_read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store.run(f"DROP CONSTRAINT `{row['name']}`")
    for row in store.run_read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        store.run(f"DROP INDEX `{row['name']}`")


def test_ensure_schema_returns_with_every_index_online(neo4j_store: Store) -> None:
    # Nodes first, so each new index has something to populate in the background.
    neo4j_store.run(
        "UNWIND range(1, $n) AS i CREATE (:Post {id: 'p' + i, text: 'post number ' + i}) "
        "CREATE (:Claim {id: 'c' + i, text: 'claim number ' + i})",
        {"n": 20000},
    )
    drop_schema(neo4j_store)
    try:
        ensure_schema(neo4j_store)
        indexes = neo4j_store.run_read(
            "SHOW INDEXES YIELD name, type, state, populationPercent, labelsOrTypes, properties, "
            "owningConstraint "
            "WHERE type <> 'LOOKUP' RETURN *"
        )
        assert [(r["name"], r["state"]) for r in indexes if r["state"] != "ONLINE"] == []
        assert all(r["populationPercent"] == 100.0 for r in indexes)
        unique = {
            r["labelsOrTypes"][0]
            for r in indexes
            if r["owningConstraint"] and r["properties"] == ["id"]
        }
        assert unique == set(ID_LABELS)
    finally:
        ensure_schema(neo4j_store)  # whatever failed, the next test gets argmap's schema


def test_every_write_query_seeks_by_index_on_an_empty_database(neo4j_store: Store) -> None:
    thread = tiny_thread()
    claims, relations = claims_of(thread)
    recording = Recording(neo4j_store)
    write_thread(recording, thread)  # type: ignore[arg-type]  # duck-typed Store (a Protocol)
    write_extractions(
        recording,  # type: ignore[arg-type]  # duck-typed Store (a Protocol)
        [p.id for p in thread.posts],
        claims,
        relations,
        "offline",
    )
    assert len(recording.sent) >= 8  # the thread, posts, reply edges, claims, relations, marks
    neo4j_store.clear()
    neo4j_store.run("CALL db.clearQueryCaches()")  # plan against the empty database's statistics
    scanning = {
        q[:80]: found for q, p in recording.sent.items() if (found := scans(neo4j_store, q, p))
    }
    assert scanning == {}
