"""The read-only Cypher console on a real store: parameters, row limit, time limit, no writes."""

from __future__ import annotations

import pytest
from argmap.graph.console import parse_params, run_console, write_clause
from argmap.graph.store import Store
from argument_graphs import write_debate

from argmap.core.errors import ArgmapError, QueryError, ReadOnlyViolation

COUNT = "MATCH (n) RETURN count(n) AS n"


def _size(store: Store) -> int:
    return store.run_read(COUNT)[0]["n"]


def test_reads_with_parameters(any_store: Store) -> None:
    write_debate(any_store, rebuts=[("a", "b"), ("c", "b")], texts={"a": "Alpha claim."})
    result = run_console(
        any_store,
        "MATCH (x:Claim)-[:REBUTS]->(t:Claim {id: $target}) WHERE x.id IN $ids "
        "RETURN x.id AS id, x.text AS text ORDER BY id",
        parse_params(["target=b", 'ids=["a", "c", "zzz"]']),
    )
    assert result.columns == ["id", "text"]
    assert [r["id"] for r in result.rows] == ["a", "c"]
    assert result.rows[0]["text"] == "Alpha claim."
    assert not result.truncated


def test_row_limit_cuts_and_says_so(any_store: Store) -> None:
    write_debate(any_store, claims=[f"c{i:02d}" for i in range(12)])
    q = "MATCH (c:Claim) RETURN c.id AS id ORDER BY id"
    cut = run_console(any_store, q, row_limit=5)
    assert [r["id"] for r in cut.rows] == [f"c{i:02d}" for i in range(5)] and cut.truncated
    whole = run_console(any_store, q, row_limit=12)
    assert len(whole.rows) == 12 and not whole.truncated
    # The query's own LIMIT, a trailing comment and UNION are kept as written.
    own = run_console(any_store, q + " LIMIT 3 // first three", row_limit=2)
    assert len(own.rows) == 2 and own.truncated
    union = run_console(any_store, "RETURN 1 AS x UNION RETURN 2 AS x", row_limit=1)
    assert len(union.rows) == 1 and union.truncated


def test_time_limit_stops_a_long_query(any_store: Store) -> None:
    with pytest.raises(QueryError, match="time limit"):
        run_console(
            any_store,
            # Rows streamed from two small lists: a single range() of 30M is refused outright.
            "UNWIND range(1, 30000) AS x UNWIND range(1, 1000) AS y "
            "WITH x WHERE (x + y) % 7 = 0 RETURN count(x) AS n",
            timeout_ms=1,
        )


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Claim {id: 'evil'})",
        "MATCH (c:Claim) SET c.text = 'changed'",
        "MATCH (c:Claim) DETACH DELETE c",
        "MERGE (:Person {id: 'x'})",
        "MATCH (c:Claim) REMOVE c.text",
        "CALL db.idx.fulltext.createNodeIndex('Thread', 'title')",
    ],
)
def test_writes_are_refused_with_one_line_and_change_nothing(any_store: Store, query: str) -> None:
    if query.startswith("CALL db.idx") and any_store.dialect == "neo4j":
        query = "CREATE FULLTEXT INDEX evil FOR (n:Claim) ON EACH [n.quote]"  # Neo4j's DDL
    write_debate(any_store, rebuts=[("a", "b")])
    before = _size(any_store)
    texts = any_store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text ORDER BY id")
    # Refused before sending, and, with the text check off, by the store's read-only mode.
    for check in (True, False):
        with pytest.raises(ReadOnlyViolation) as err:
            run_console(any_store, query, check_writes=check)
        assert "\n" not in str(err.value) and "read-only" in str(err.value)
    assert _size(any_store) == before
    assert (
        any_store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text ORDER BY id") == texts
    )


def test_write_words_inside_strings_and_names_are_not_writes(any_store: Store) -> None:
    write_debate(any_store, claims=["a"], texts={"a": "We must CREATE and DELETE nothing."})
    assert write_clause("MATCH (c:Claim) WHERE c.text CONTAINS 'CREATE' RETURN c.id // SET") is None
    assert write_clause("MATCH (s:Set) RETURN s.set AS `delete`") is None
    result = run_console(
        any_store, "MATCH (c:Claim) WHERE c.text CONTAINS 'CREATE' RETURN c.id AS id"
    )
    assert result.rows == [{"id": "a"}]


def test_parse_params() -> None:
    assert parse_params(
        ["n=3", "name=Alice", 'ids=["a","b"]', 'quoted="3"', "flag=true", "e="]
    ) == {
        "n": 3,
        "name": "Alice",
        "ids": ["a", "b"],
        "quoted": "3",
        "flag": True,
        "e": "",
    }
    assert parse_params(["expr=a=b"]) == {"expr": "a=b"}
    for bad in ("noequals", "=3", "bad key=1"):
        with pytest.raises(ArgmapError, match="name=value"):
            parse_params([bad])


def test_bad_queries_are_one_line_errors(any_store: Store) -> None:
    with pytest.raises(QueryError) as err:
        run_console(any_store, "MATCH (n RETURN n")
    assert "\n" not in str(err.value)
    with pytest.raises(ArgmapError, match="empty query"):
        run_console(any_store, "   ")


def test_an_error_is_about_the_text_typed_not_the_limit_added_to_it(any_store: Store) -> None:
    # "MATCH (a) RETURN" parses on into the LIMIT the console appends to cap the rows.
    with pytest.raises(QueryError) as err:
        run_console(any_store, "MATCH (a) RETURN", row_limit=1000)
    assert "1001" not in str(err.value) and "\n" not in str(err.value)


def test_load_csv_is_refused_for_what_it_reads(any_store: Store) -> None:
    with pytest.raises(ReadOnlyViolation, match="LOAD CSV reads files or URLs outside the graph"):
        run_console(any_store, "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row")


def test_a_node_prints_its_properties_in_name_order_on_every_store(any_store: Store) -> None:
    # FalkorDB keeps the order properties were written in, Neo4j an order of its own: the same
    # claim read from two stores must be the same text once printed (`argmap cypher --json`).
    write_debate(any_store, rebuts=[("a", "b")], texts={"a": "Alpha claim."})
    result = run_console(
        any_store,
        "MATCH (a:Claim {id: 'a'})-[r:REBUTS]->(b:Claim) "
        "RETURN a, [r] AS rels, {z: 1, y: {x: 2, w: 3}} AS m, b.id AS target",
    )
    assert result.columns == ["a", "rels", "m", "target"]  # the columns as the query names them
    row = result.rows[0]
    assert row["a"]["id"] == "a" and row["a"]["text"] == "Alpha claim."
    assert list(row["a"]) == sorted(row["a"]) and len(row["a"]) > 3
    assert list(row["rels"][0]) == sorted(row["rels"][0]) and len(row["rels"][0]) > 1
    assert list(row["m"]) == ["y", "z"] and list(row["m"]["y"]) == ["w", "x"]
