"""The console calls Cypher's own functions and plugin functions that only compute.

Was: on a Neo4j with APOC a read ran ``apoc.static.get`` (values from the server's
configuration) and ``apoc.cypher.runFirstColumnMany`` (any query, unseen by the scope check:
``SHOW USERS``, ``dbms.listConfig()``). Now a namespaced function runs only if its namespace is
listed (``graph.cypher_functions``): the stores' built-in ones and APOC's pure ones. The
suite's Neo4j has no APOC, so the refusals are checked where they happen, before the server
sees the query, on both stores.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argmap.graph.console import run_console
from argmap.graph.cypher_scope import refuse_outside_graph
from argmap.graph.store import Store

from argmap.core.errors import QueryError

# Functions that reach the server's configuration, run other queries, or are a plugin's the
# list does not know; and the same spelled to slip past a naive text check.
REFUSED = [
    "RETURN apoc.static.get('key') AS v",
    "RETURN apoc.static.getAll('') AS v",
    "MATCH (c:Claim) WHERE apoc.cypher.runFirstColumnSingle('SHOW USERS', {}) IS NULL RETURN c",
    "RETURN apoc.cypher.runFirstColumnMany('CALL dbms.listConfig()', {}) AS rows",
    "RETURN apoc.util.md5(['x']) AS v",
    "RETURN apoc.version() AS v",
    "RETURN genai.vector.encode('text', 'OpenAI', {}) AS v",
    "RETURN APOC.STATIC.GET('key') AS v",
    "RETURN `apoc`.`static`.get('key') AS v",
    "RETURN `apoc.static`.get('key') AS v",
    "RETURN apoc . static . get /* a comment */ ('key') AS v",
    "MATCH (c:Claim) CALL { WITH c RETURN apoc.static.get('key') AS v } RETURN v",
    "RETURN [x IN [1] | apoc.static.get('key')] AS v",
]

ALLOWED = [
    "MATCH (c:Claim) RETURN toLower(c.text) AS t, size(c.text) AS n, count(*) AS k",
    "RETURN apoc.text.join(['a', 'b'], '-') AS v",
    "RETURN apoc.coll.sum([1, 2]) AS v",
    "RETURN apoc.map.fromPairs([['a', 1]]) AS v",
    "RETURN apoc.meta.cypher.type(1) AS v",
    "RETURN date.truncate('day', date()) AS v",
    "RETURN vector.similarity.cosine([1.0, 0.0], [1.0, 0.0]) AS v",
    "RETURN string.join(['a', 'b'], '-') AS v",
    "WITH {apoc: {static: 1}} AS m RETURN m.apoc.static AS v",  # a map, not a call
]


@pytest.mark.parametrize("query", REFUSED)
def test_a_function_outside_the_list_is_refused_in_one_line(query: str) -> None:
    with pytest.raises(QueryError, match="is not a function the console may call") as err:
        refuse_outside_graph(query)
    assert "argument graph only" in str(err.value)
    assert "\n" not in str(err.value)


def test_the_refusal_names_the_page_that_lists_the_functions() -> None:
    """Was: "the README lists them", after the list moved to docs/queries.md."""
    with pytest.raises(QueryError) as err:
        refuse_outside_graph("RETURN apoc.static.get('key') AS v")
    page = re.search(r"(docs/\S+\.md) lists them", str(err.value))
    assert page, str(err.value)
    text = (Path(__file__).resolve().parent.parent / page.group(1)).read_text(encoding="utf-8")
    assert "APOC's pure ones (`apoc.text`, `coll`, `map`," in text


@pytest.mark.parametrize("query", ALLOWED)
def test_cypher_s_own_and_pure_plugin_functions_pass(query: str) -> None:
    refuse_outside_graph(query)


def test_the_store_refuses_them_before_the_server_sees_them(any_store: Store) -> None:
    for query in REFUSED:
        with pytest.raises(QueryError, match="not a function the console may call"):
            run_console(any_store, query, check_writes=False)
        with pytest.raises(QueryError, match="not a function the console may call"):
            any_store.run_read(query)


def test_the_store_s_own_namespaced_functions_still_run(any_store: Store) -> None:
    if any_store.dialect == "neo4j":
        query = "RETURN duration.between(date('2020-01-01'), date('2020-01-31')).days AS v"
        expected = 30
    else:
        query = "RETURN string.join(['a', 'b'], '-') AS v"
        expected = "a-b"
    assert run_console(any_store, query).rows == [{"v": expected}]
