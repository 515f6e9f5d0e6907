"""What every store must do with queries, run unchanged on each: FalkorDB always, and Neo4j (the
session's own server, or NEO4J_URI's). A read-only ``run_read`` that refuses writes and schema
changes, time limits, one-line query errors, ids unique per label.

On Neo4j the suite empties the database it is pointed at: use a throwaway one
(see docs/development.md).
"""

from __future__ import annotations

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from store_contract_data import EXPECTED_COUNTS, contract_thread, counts, write_all

from argmap.core.errors import QueryError, ReadOnlyViolation

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
    ("query", "says"),
    [
        ("MATCH (n RETURN n", "query failed"),
        ("RETURN $missing", "query failed"),
        # The read path calls only procedures that read the graph (graph.cypher_scope): an
        # unknown one is refused before the server sees it; the write path gets the server's.
        ("CALL no.such.procedure()", "refused: CALL no.such.procedure is not a graph read"),
    ],
)
def test_bad_queries_raise_one_line_query_errors(any_store: Store, query: str, says: str) -> None:
    with pytest.raises(QueryError) as info:
        any_store.run_read(query)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(says)
    with pytest.raises(QueryError) as info:
        any_store.run(query)
    assert "\n" not in str(info.value) and str(info.value).startswith("query failed")


def test_ids_are_unique_per_label(any_store: Store) -> None:
    if any_store.dialect != "neo4j":
        pytest.skip("FalkorDB indexes ids without a uniqueness constraint; MERGE keeps them unique")
    any_store.run("CREATE (:Claim {id: 'dup'})")
    with pytest.raises(QueryError, match="already exists|ConstraintValidation"):
        any_store.run("CREATE (:Claim {id: 'dup'})")
