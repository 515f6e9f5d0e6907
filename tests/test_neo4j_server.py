"""What only a real Neo4j 5.26 server can show: its READ access mode, its time limit, its schema
DDL under concurrency, and one line for each bad target (wrong password, unknown database, a
server that dies mid-ingest or is not ready yet), with the store left as it was.

The session's server (``neo4j_server``) serves most tests; the ones that stop a server or
watch one start use a spare one of their own (``spare``), started by the same launcher.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.console import run_console
from argmap.graph.export_json import export_json
from argmap.graph.store import Store, open_store
from argument_graphs import write_debate
from neo4j import READ_ACCESS, GraphDatabase
from neo4j.exceptions import ClientError
from neo4j_session import Neo4jTarget, load_launcher, random_password
from test_robustness import (
    assert_no_duplicates,
    assert_same_export,
    clean_export,
    shape,
    thread_id_of,
)

from argmap.core.errors import ArgmapError, QueryError, ReadOnlyViolation
from bench.synthetic_wordpress import write_thread

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent


def argmap(
    env: dict[str, str], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, with exactly ``env`` as its argmap/Neo4j settings."""
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("ARGMAP_", "NEO4J_", "OPENAI_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("argmap: error: ")
    return lines[0]


# -- read-only by the server, and its time limit -------------------------------------------------


def test_the_console_write_refusal_is_the_servers_read_access_mode(
    neo4j_server: Neo4jTarget, neo4j_store: Store
) -> None:
    write_debate(neo4j_store, rebuts=[("a", "b")])
    before = export_json(neo4j_store)
    query = "MATCH (c:Claim) SET c.text = 'defaced' RETURN count(c) AS n"
    # The server itself, asked by the driver in a READ session, refuses with AccessMode ...
    with GraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    ) as driver:
        with driver.session(database=neo4j_server.database, default_access_mode=READ_ACCESS) as s:
            with pytest.raises(ClientError) as refused:
                s.execute_read(lambda tx: list(tx.run(query)))
    assert refused.value.code == "Neo.ClientError.Statement.AccessMode"
    # ... and that refusal is what the console reports with its text filter switched off.
    with pytest.raises(ReadOnlyViolation, match="read-only") as err:
        run_console(neo4j_store, query, check_writes=False)
    assert "\n" not in str(err.value)
    assert export_json(neo4j_store) == before


def test_the_console_cannot_terminate_another_clients_transaction(
    neo4j_server: Neo4jTarget, neo4j_store: Store
) -> None:
    # Neo4j runs TERMINATE TRANSACTIONS in a read transaction: the read-only path must refuse
    # it itself, or a console (the dashboard's too) could stop an ingest or a review edit.
    with GraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    ) as driver:
        with driver.session(database=neo4j_server.database) as other:
            victim = other.begin_transaction()
            victim.run("CREATE (:Claim {id: 'c_victim'})").consume()
            # Listed by the test's own session: the console no longer shows transactions.
            rows = [
                r.data()
                for r in driver.execute_query(
                    "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status "
                    "WHERE status = 'Running' AND currentQuery = '' RETURN transactionId AS id",
                    database_=neo4j_server.database,
                ).records
            ]
            assert rows, "the open transaction is not listed"
            for row in rows:
                for check in (True, False):  # the text filter off: still refused
                    with pytest.raises(ReadOnlyViolation, match="TERMINATE") as err:
                        run_console(
                            neo4j_store, f"TERMINATE TRANSACTIONS '{row['id']}'", check_writes=check
                        )
                    assert "\n" not in str(err.value)
            victim.commit()
    assert neo4j_store.run_read("MATCH (c:Claim {id: 'c_victim'}) RETURN count(c) AS n") == [
        {"n": 1}
    ]


def test_the_console_time_limit_stops_a_runaway_query(neo4j_store: Store) -> None:
    runaway = "UNWIND range(1, 1000000) AS a UNWIND range(1, 1000000) AS b RETURN count(*) AS n"
    started = time.monotonic()
    with pytest.raises(QueryError, match="time limit") as err:
        run_console(neo4j_store, runaway, timeout_ms=500)
    assert "\n" not in str(err.value)
    # Stopped by the server, not by the test's own timeout (10^12 rows would take hours).
    assert time.monotonic() - started < 120
    assert run_console(neo4j_store, "RETURN 1 AS x").rows == [{"x": 1}]


def test_a_query_over_the_memory_limit_is_one_line_and_the_server_serves_on(
    neo4j_store: Store,
) -> None:
    with pytest.raises(QueryError, match="memory limit") as err:
        # 10^8 pairs, from ranges small enough for the console's own guard on range().
        run_console(
            neo4j_store,
            "UNWIND range(1, 1000000) AS a UNWIND range(1, 100) AS b RETURN collect([a, b]) AS c",
            timeout_ms=120_000,
        )
    assert "\n" not in str(err.value)
    assert run_console(neo4j_store, "RETURN 1 AS x").rows == [{"x": 1}]


# -- schema DDL, two processes at once -----------------------------------------------------------

OPEN_AT = """
import sys, time
from argmap.graph.store import open_store
at = float(sys.argv[1])
time.sleep(max(0.0, at - time.time()))
open_store(sys.argv[2], neo4j_password=sys.argv[3]).close()
"""


def schema_objects(store: Store) -> tuple[list[str], list[str]]:
    constraints = store.run_read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")
    fulltext = store.run_read(
        "SHOW FULLTEXT INDEXES YIELD name, state RETURN name, state ORDER BY name"
    )
    assert all(r["state"] == "ONLINE" for r in fulltext)
    return [r["name"] for r in constraints], [r["name"] for r in fulltext]


def drop_schema(store: Store) -> None:
    for name in store.run_read("SHOW CONSTRAINTS YIELD name RETURN name"):
        store.run(f"DROP CONSTRAINT `{name['name']}`")
    for name in store.run_read("SHOW FULLTEXT INDEXES YIELD name RETURN name"):
        store.run(f"DROP INDEX `{name['name']}`")


def test_two_processes_create_the_schema_at_once_idempotently(
    neo4j_server: Neo4jTarget, neo4j_store: Store
) -> None:
    want = schema_objects(neo4j_store)
    assert {"claim_id", "person_id", "post_id", "thread_id"} <= set(want[0])
    assert want[1] == ["claim_search", "post_text"]
    for _ in range(4):  # a race shows on some rounds only (EquivalentSchemaRuleAlreadyExists)
        drop_schema(neo4j_store)
        assert schema_objects(neo4j_store) == ([], [])
        at = str(time.time() + 3)  # both start their DDL at the same moment
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT, at, neo4j_server.uri, neo4j_server.password or ""],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for _ in range(2)
        ]
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        assert schema_objects(neo4j_store) == want
    # And the constraints hold: an id is unique per label.
    neo4j_store.run("CREATE (:Claim {id: 'dup'})")
    with pytest.raises(QueryError, match="already exists"):
        neo4j_store.run("CREATE (:Claim {id: 'dup'})")


# -- bad targets: one line, store untouched ------------------------------------------------------


def test_a_wrong_password_is_one_line_and_touches_nothing(
    neo4j_server: Neo4jTarget, neo4j_store: Store, sample_path: Path
) -> None:
    write_debate(neo4j_store, rebuts=[("a", "b")])
    before = export_json(neo4j_store)
    env = neo4j_server.env() | {"NEO4J_PASSWORD": "not-the-password"}
    # Two attempts at most: the fourth wrong one in a row locks the user out for 5 s.
    line = one_error_line(argmap(env, "ingest", str(sample_path), "--quiet"))
    assert "refused the credentials" in line and "NEO4J_PASSWORD" in line
    assert "not-the-password" not in line
    assert export_json(neo4j_store) == before


def test_an_unknown_database_is_one_line_and_touches_nothing(
    neo4j_server: Neo4jTarget, neo4j_store: Store, sample_path: Path
) -> None:
    write_debate(neo4j_store, rebuts=[("a", "b")])
    before = export_json(neo4j_store)
    env = neo4j_server.env() | {"NEO4J_DATABASE": "nosuchdb"}
    line = one_error_line(argmap(env, "ingest", str(sample_path), "--quiet"))
    assert "has no database 'nosuchdb'" in line and "NEO4J_DATABASE" in line
    line = one_error_line(argmap(neo4j_server.env() | {"NEO4J_DATABASE": "system"}, "export"))
    assert "NEO4J_DATABASE=system" in line
    assert export_json(neo4j_store) == before


class Spare:
    """A second server this module may stop and start (data and port kept between starts)."""

    def __init__(self, data_dir: Path) -> None:
        self.launcher = load_launcher()
        self.data_dir = data_dir
        self.port = self.launcher.free_port()
        self.password = random_password()
        self.server = None
        self.uri = f"bolt://127.0.0.1:{self.port}"

    def start(self):
        self.server = self.launcher.start(self.data_dir, self.port, self.password)
        return self.server

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def env(self) -> dict[str, str]:
        return {"ARGMAP_DB": self.uri, "NEO4J_PASSWORD": self.password}

    def store(self) -> Store:
        return open_store(self.uri, neo4j_password=self.password)


@pytest.fixture(scope="module")
def spare(neo4j_server: Neo4jTarget, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spare]:
    # Requires neo4j_server so a machine without Java skips (or CI fails) the same way.
    s = Spare(tmp_path_factory.mktemp("neo4j-spare"))
    yield s
    s.stop()


def test_a_server_not_yet_ready_is_one_line_and_never_locks_the_login_out(
    spare: Spare, sample_path: Path
) -> None:
    # Before the server runs: one line, at once.
    line = one_error_line(argmap(spare.env(), "ingest", str(sample_path), "--quiet"))
    assert f"cannot reach Neo4j at {spare.uri}" in line
    # While it starts, a client keeps trying; every failure is a one-line ArgmapError, and the
    # first try after the server says it is ready gets in (a login refused while the password
    # was being set used to lock the user out for 5 s past "ready").
    failures: list[str] = []
    ready = threading.Event()
    after_ready: list[str] = []

    def keep_trying() -> None:
        while True:
            was_ready = ready.is_set()
            try:
                store = open_store(spare.uri, neo4j_password=spare.password, connect_timeout=1)
                store.close()
                after_ready.append("ok")
                return
            except ArgmapError as exc:
                (after_ready if was_ready else failures).append(str(exc))
                if was_ready:
                    return
            time.sleep(0.05)

    trier = threading.Thread(target=keep_trying)
    trier.start()
    spare.start()
    ready.set()
    trier.join(timeout=120)
    assert after_ready == ["ok"]
    assert failures, "the client never tried before the server was ready"
    assert all("\n" not in f and f.startswith(("cannot reach Neo4j", "Neo4j at")) for f in failures)
    store = spare.store()
    try:  # nothing was written by the failed attempts
        assert store.run_read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    finally:
        store.close()


COMMENTS = 1500  # long enough on Neo4j (tens of seconds) to stop the server half way


def test_a_server_stopped_mid_ingest_is_one_line_and_the_next_run_resumes(
    spare: Spare, falkordb_dir: Path, tmp_path: Path
) -> None:
    if spare.server is None:
        spare.start()
    path = Path(write_thread(COMMENTS, tmp_path / "thread.txt", seed=11)["path"])
    tid = thread_id_of(path)
    env = spare.env() | {"ARGMAP_CONNECT_TIMEOUT": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "ingest", str(path), "--quiet"],
        env={k: v for k, v in os.environ.items() if not k.startswith(("ARGMAP_", "NEO4J_"))} | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        store = spare.store()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"the ingest ended first: {proc.communicate()}"
            rows = store.run_read(
                "MATCH (p:Post {thread_id: $t}) WHERE p.extracted IS NOT NULL RETURN count(p) AS n",
                {"t": tid},
            )
            if rows[0]["n"]:
                break
            time.sleep(0.1)
        store.close()
        spare.server.process.kill()  # the server dies mid-ingest (no clean shutdown)
        spare.server.process.wait()
        spare.server = None
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"argmap: error: lost Neo4j at {spare.uri}") and "re-run" in lines[0]

    spare.start()  # the same data directory: Neo4j recovers from its transaction log
    store = spare.store()
    try:
        half = shape(store)
        assert half["posts"] == COMMENTS + 1 and half["unextracted"] > 0, half
        again = argmap(env, "ingest", str(path), "--quiet")
        assert again.returncode == 0, again.stderr
        assert_no_duplicates(shape(store))
        # The same as a clean, uninterrupted run (on FalkorDB: the stores export alike).
        assert_same_export(export_json(store), clean_export(falkordb_dir, path))
    finally:
        store.clear()
        store.close()


def test_json_round_trip_between_the_stores_through_the_cli(
    neo4j_server: Neo4jTarget, neo4j_store: Store, sample_store: Store, tmp_path: Path
) -> None:
    """docs/stores.md, "Moving a graph between stores": export from FalkorDB, ingest into Neo4j."""
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(export_json(sample_store)))
    result = argmap(neo4j_server.env(), "ingest", str(path), "--quiet")
    assert result.returncode == 0, result.stderr
    assert_same_export(export_json(neo4j_store), export_json(sample_store))
