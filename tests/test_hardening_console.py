"""Issue 18: no console query takes the server down or floods the client, LOAD CSV is refused
by the store itself, and console parameters and clauses are read as meant. Each test failed
before its fix (the reproduction is in its docstring)."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from argmap.graph.console import parse_params, run_console, write_clause
from argmap.graph.embedded import server_paths
from argmap.graph.store import Store
from hardening_data import runner

from argmap.cli import app
from argmap.core.errors import ArgmapError, QueryError

# --- 1. a console query cannot crash the server or flood the client --------------------------


@pytest.mark.parametrize(
    "query",
    [
        "RETURN size(range(1,1500000000))",
        "RETURN range(1,20000001)",
        "UNWIND range(0, $n) AS x RETURN count(x)",
        "RETURN size(range(1, 1000 * 1000 * 1000))",
    ],
)
def test_a_range_too_big_for_the_server_is_refused_and_the_server_lives(
    store: Store, query: str
) -> None:
    """Was: the server aborted ("Out Of Memory allocating 9600000060 bytes") or the client
    parsed 20M values for 19.7 s past its 10 s limit."""
    with pytest.raises(QueryError, match=r"range\(.*at most 1,000,000"):
        run_console(store, query, {"n": 10**9})
    assert run_console(store, "RETURN size(range(0, 999)) AS n").rows == [{"n": 1000}]
    assert run_console(
        store, "WITH [1,2,3] AS xs RETURN [i IN range(0, size(xs) - 1) | xs[i]] AS v"
    ).rows == [{"v": [1, 2, 3]}]


def test_the_server_caps_one_querys_memory_and_says_so_in_one_line(store: Store) -> None:
    """QUERY_MEM_CAPACITY was unset: any query could take all the machine's memory."""
    with pytest.raises(QueryError, match="memory limit for one query"):
        # Small lists, streamed: the range guard passes it, the server's cap stops it.
        run_console(
            store,
            "UNWIND range(1, 100) AS i WITH collect(range(1, 999999)) AS xs RETURN size(xs) AS n",
            timeout_ms=60_000,
        )


def test_the_server_runs_with_its_limits(falkordb_dir: Path) -> None:
    client = redis.Redis(unix_socket_path=str(server_paths(falkordb_dir).socket))
    config = dict(client.execute_command("GRAPH.CONFIG", "GET", "*"))
    assert config[b"QUERY_MEM_CAPACITY"] > 0 and config[b"TIMEOUT_MAX"] > 0
    assert config[b"EFFECTS_THRESHOLD"] == 0
    assert int(client.config_get("maxmemory")["maxmemory"]) > 0


def test_console_results_are_capped_in_bytes(store: Store) -> None:
    """The dashboard had no byte cap: one wide result could take gigabytes of Streamlit."""
    result = run_console(
        store, "UNWIND range(1, 100) AS i RETURN i, range(1, 1000) AS xs", max_bytes=20_000
    )
    assert result.truncated and 0 < len(result.rows) < 100
    with pytest.raises(QueryError, match="first row alone"):
        run_console(store, "RETURN range(1, 100000) AS xs", max_bytes=20_000)


# --- 6 and 10. console parameters and clauses, read as meant -------------------------------------


def test_a_lone_surrogate_parameter_is_one_line(argmap_env: Path) -> None:
    result = runner.invoke(app, ["cypher", "RETURN $x AS x", "-p", 'x="\\ud800"'])
    assert result.exit_code == 1 and "lone surrogate" in result.stderr


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_parameters_are_one_clear_line(value: str) -> None:
    """Was: a cryptic parser error from the store."""
    with pytest.raises(ArgmapError, match="not a number Cypher can take"):
        parse_params([f"x={value}"])


def test_set_as_an_alias_or_a_key_is_not_a_write() -> None:
    """Was: `RETURN 1 AS set` refused as a write."""
    assert write_clause("RETURN 1 AS set") is None
    assert write_clause("RETURN {set: 1, create: 2} AS m") is None
    assert write_clause("MATCH (c) SET c.x = 1") == "SET"


# --- 9. LOAD CSV is refused by the store itself ---------------------------------------------


def test_load_csv_is_refused_by_the_store_on_every_path(store: Store) -> None:
    """Was: with the text check bypassed, RO_QUERY still ran LOAD CSV FROM 'https://…'."""
    for query in (
        "LOAD CSV FROM 'https://127.0.0.1:9/x.csv' AS row RETURN row",
        "load /* hidden */ csv with headers from 'file:///etc/passwd' AS row RETURN row",
    ):
        with pytest.raises(QueryError, match="LOAD CSV"):
            run_console(store, query, check_writes=False)
        with pytest.raises(QueryError, match="LOAD CSV"):
            store.run_read(query)
    # Text that merely mentions it is fine.
    assert store.run_read("RETURN 'LOAD CSV' AS t") == [{"t": "LOAD CSV"}]
