"""The console reads the argument graph, not the server around it.

Was: on Neo4j a read transaction ran ``SHOW TRANSACTIONS`` (other sessions' query text and
parameters), ``SHOW USERS``, ``SHOW SETTINGS``, ``SHOW DATABASES``, ``CALL dbms.listConfig()``,
``CALL dbms.listConnections()`` and ``CALL db.clearQueryCaches()``; on FalkorDB
``CALL dbms.procedures()``. Now the read path calls only listed procedures and runs only
``SHOW INDEXES`` / ``SHOW CONSTRAINTS``, however the query is spelled, on both stores, with the
console's own text check switched off.
"""

from __future__ import annotations

import pytest
from argmap.graph.console import run_console
from argmap.graph.cypher_scope import refuse_outside_graph
from argmap.graph.schema import ensure_schema
from argmap.graph.store import Store

from argmap.core.errors import QueryError, ReadOnlyViolation

REFUSED = (QueryError, ReadOnlyViolation)  # a procedure named for a change is refused as a write

# Server administration, and the same calls spelled to slip past a naive text check.
OUTSIDE = [
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD currentQuery, parameters RETURN currentQuery, parameters",
    "SHOW USERS",
    "SHOW CURRENT USER",
    "SHOW SETTINGS YIELD name, value RETURN name, value",
    "SHOW DATABASES",
    "SHOW SERVERS",
    "SHOW PROCEDURES",
    "SHOW INDEXES YIELD name RETURN name UNION SHOW SETTINGS YIELD name RETURN name",
    "CYPHER 5 SHOW TRANSACTIONS",
    "show/**/transactions",
    "EXPLAIN SHOW TRANSACTIONS",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.listConnections()",
    "CALL dbms.components()",
    "CALL dbms.showCurrentUser()",
    "CALL dbms.procedures()",
    "CALL db.clearQueryCaches()",
    "CALL db.info()",
    "CALL `dbms`.`listConfig`() YIELD name RETURN name",
    "CALL dbms . listConfig() YIELD name RETURN name",
    "CALL /* graph */ dbms.listConfig() YIELD name RETURN name",
    "CALL\u00a0dbms.listConfig() YIELD name RETURN name",  # a no-break space
    "CALL\u200bdbms.listConfig() YIELD name RETURN name",  # a zero-width space
    "call dbms.listConfig() yield name return name",
    "MATCH (c:Claim) CALL { CALL dbms.listConfig() YIELD name RETURN name } RETURN name",
    "CALL { WITH 1 AS x CALL { CALL dbms.listConnections() YIELD connectionId "
    "RETURN connectionId } RETURN connectionId } RETURN connectionId",
    "USE system SHOW USERS",
    # A clause after a whole clause, however the clause before it ends.
    "WITH 1 AS x CALL dbms.listConfig() YIELD name RETURN name",
    "WITH * CALL dbms.listConfig() YIELD name RETURN name",
    "MATCH (c:Claim) WHERE c.id IN ['x'] CALL dbms.listConfig() YIELD name RETURN name",
    "WITH 1 AS where CALL dbms.listConfig() YIELD name RETURN name",
    "WITH 1 AS as CALL dbms.listConfig() YIELD name RETURN name",
    "OPTIONAL CALL dbms.listConfig() YIELD name RETURN name",
    "RETURN 1 AS name UNION ALL CALL dbms.listConfig() YIELD name RETURN name",
    "CALL as.listConfig() YIELD name RETURN name",  # a dotted name is a procedure
    # Where a query begins, a name is a clause keyword, even one followed by a keyword-like word.
    "USE as MATCH (n) RETURN n",
    "CYPHER 5 runtime=slotted USE system SHOW USERS",
    "MATCH (c:Claim) CALL { USE as MATCH (n) RETURN n } RETURN c",
]

# What a scholar may ask about the graph's shape, and plain graph reads that mention the words.
INSIDE = [
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.relationshipTypes()",
    "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
    "RETURN 'SHOW USERS; CALL dbms.listConfig()' AS text",
    "MATCH (c:Claim) // CALL dbms.listConfig()\nRETURN count(c) AS n",
    "WITH {show: 1, call: 2, use: 3} AS m RETURN m.show AS show, m.call AS call, m.use AS use",
    "MATCH (show:Claim) RETURN show.id AS id ORDER BY show.id",
    "MATCH (c:Claim) CALL { WITH c MATCH (c)<-[:REBUTS]-(r) RETURN count(r) AS n } RETURN n",
]

# Graph reads with a variable named call, show or use, refused as a CALL/SHOW/USE clause before.
VARIABLES = [
    "MATCH (call:Claim) RETURN call AS claim",
    "MATCH (call:Claim) WITH call ORDER BY call.id RETURN call.id AS id",
    "MATCH (call:Claim) WHERE call IS NOT NULL RETURN call.id AS id",
    "MATCH (call:Claim) WITH call LIMIT 1 RETURN call.id AS id",
    "MATCH (call:Claim) WITH call MATCH (call) RETURN call.id AS id",
    "UNWIND [1] AS call WITH call WHERE call > 0 RETURN call",
    "WITH 1 AS call RETURN CASE call WHEN 1 THEN 'one' END AS x",
    "MATCH (c:Claim) RETURN [call IN [1, 2] | call] AS x",
    "MATCH (show:Claim) WITH show ORDER BY show.id RETURN show.id AS id",
    "MATCH (use:Claim) WITH use ORDER BY use.id RETURN use.id AS id",
    "WITH 1 AS use, 2 AS show RETURN use + show AS n",
    "MATCH (c:Claim) RETURN c.show AS s, c.use AS u, c.call AS k",
]


@pytest.mark.parametrize("query", OUTSIDE)
def test_server_administration_is_refused_in_one_line_however_it_is_spelled(query: str) -> None:
    with pytest.raises(REFUSED, match="the console reads the argument graph only") as err:
        refuse_outside_graph(query)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("query", INSIDE)
def test_graph_reads_and_schema_introspection_pass(query: str) -> None:
    refuse_outside_graph(query)


@pytest.mark.parametrize("query", [*VARIABLES, "MATCH (use:Claim) WITH use FINISH"])
def test_a_variable_named_call_show_or_use_is_a_variable(query: str) -> None:
    refuse_outside_graph(query)


def test_the_store_answers_reads_with_such_variables(any_store: Store) -> None:
    any_store.run("MERGE (:Claim {id: 'c_scope'})")
    for query in VARIABLES:
        assert run_console(any_store, query).rows, query


def test_the_store_refuses_it_with_the_console_check_off(any_store: Store) -> None:
    for query in OUTSIDE:
        with pytest.raises(REFUSED, match="argument graph only"):
            run_console(any_store, query, check_writes=False)
        with pytest.raises(REFUSED, match="argument graph only"):
            any_store.run_read(query)


def test_the_graph_s_labels_and_indexes_stay_readable(any_store: Store) -> None:
    ensure_schema(any_store)
    any_store.run("MERGE (:Claim {id: 'c_scope'})")
    labels = {r["label"] for r in run_console(any_store, "CALL db.labels()").rows}
    assert "Claim" in labels
    if any_store.dialect == "neo4j":
        names = run_console(any_store, "SHOW FULLTEXT INDEXES YIELD name RETURN name").rows
        assert names
        assert run_console(any_store, "CALL db.schema.visualization()").rows
    else:
        assert run_console(any_store, "CALL db.indexes() YIELD label RETURN label").rows
