"""The test session's real Neo4j 5.26 server (tools/neo4j), and the fixtures that share it.

One server per session, started on first use with the launcher a developer runs
(``tools/neo4j/server.py``): a temporary data directory, a free port on 127.0.0.1 and a random
password. ``NEO4J_URI`` (with ``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``) points the
session at a server of your own instead; the tests empty its database.

Neo4j Community has one user database, so tests take turns on it: each test's store is
emptied before and after the test, and the shared sample graph (``neo4j_sample``) is
re-ingested whenever a test emptied the database since it was last loaded. The suite runs
serially, which makes that safe.

Without a JDK, Maven or Maven Central the Neo4j tests skip and say which is missing; with
``ARGMAP_REQUIRE_NEO4J=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pytest
from argmap.graph.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "neo4j" / "server.py"
# Build failures that mean "this machine cannot run Neo4j", not "the launcher is broken".
_MISSING = ("no java", "no mvn", "JAVA_HOME=", "Maven Central was not reachable")


def load_launcher() -> ModuleType:
    """tools/neo4j/server.py as a module (it is a script, not part of the argmap package)."""
    name = "argmap_tools_neo4j_server"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, LAUNCHER)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


class Neo4jTarget(NamedTuple):
    """Where the session's Neo4j is and how to log in; ``server`` is None for NEO4J_URI."""

    uri: str
    user: str
    password: str | None
    database: str | None
    server: Any
    relay: Any = None  # a TcpRelay in front of the server (the ``neo4j_relay`` fixture)

    def login(self) -> dict[str, Any]:
        """``open_store`` keyword arguments for this server."""
        return {
            "neo4j_user": self.user,
            "neo4j_password": self.password,
            "neo4j_database": self.database,
        }

    def env(self) -> dict[str, str]:
        """The settings the CLI and the dashboard read, pointing at this server."""
        env = {"ARGMAP_DB": self.uri, "NEO4J_USER": self.user}
        if self.password is not None:
            env["NEO4J_PASSWORD"] = self.password
        if self.database:
            env["NEO4J_DATABASE"] = self.database
        return env


def unavailable(reason: str) -> None:
    """Skip for a machine that cannot run Neo4j, unless the run requires it (CI)."""
    if os.environ.get("ARGMAP_REQUIRE_NEO4J", "").strip() not in ("", "0"):
        pytest.fail(f"Neo4j is required here (ARGMAP_REQUIRE_NEO4J) but {reason}", pytrace=False)
    pytest.skip(f"Neo4j tests skipped: {reason}")


def random_password() -> str:
    return "argmap-test-" + secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    """A real Neo4j 5.26 Community server for the whole session (or the one NEO4J_URI names)."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jTarget(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD"),
            os.environ.get("NEO4J_DATABASE") or None,
            None,
        )
        return
    launcher = load_launcher()
    try:
        launcher.java_executable()  # a build cached in target/ needs no JDK, a start does
        launcher.build()
    except launcher.Neo4jLauncherError as exc:
        message = str(exc).splitlines()[0]
        if message.startswith(_MISSING) or "Maven Central" in message:
            unavailable(message)
        raise
    password = random_password()
    server = launcher.start(tmp_path_factory.mktemp("neo4j"), launcher.free_port(), password)
    try:
        yield Neo4jTarget(server.uri, "neo4j", password, None, server)
    finally:
        server.stop()


# Fixtures parametrized over the stores by name ("falkordb", "neo4j").
STORE_PARAMS = ("any_store", "sample_env")

# What the one database holds between tests: None (emptied) or "sample".
_HOLDS: dict[str, str | None] = {"content": None}


def open_neo4j_store(target: Neo4jTarget) -> Store:
    return open_store(target.uri, **target.login())


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jTarget) -> Iterator[Store]:
    """The session's Neo4j database, empty, for this test alone (emptied again afterwards)."""
    s = open_neo4j_store(neo4j_server)
    s.clear()
    _HOLDS["content"] = None
    yield s
    s.clear()
    s.close()


@pytest.fixture(scope="session")
def _neo4j_sample_connection(neo4j_server: Neo4jTarget) -> Iterator[Store]:
    s = open_neo4j_store(neo4j_server)
    yield s
    s.close()


@pytest.fixture
def neo4j_sample(_neo4j_sample_connection: Store, sample_path: Path) -> Store:
    """The bundled sample ingested (offline) into the session's Neo4j; use it read-only.

    Loaded once and kept while tests only read it; a test that empties the database
    (``neo4j_store``, ``any_store``) makes the next user of this fixture load it again.
    """
    from argmap.ingest.pipeline import ingest

    s = _neo4j_sample_connection
    if _HOLDS["content"] != "sample":
        s.clear()
        ingest(sample_path, s, extractor="offline")
        _HOLDS["content"] = "sample"
    return s


@pytest.fixture
def neo4j_relay(neo4j_server: Neo4jTarget) -> Iterator[Neo4jTarget]:
    """The session's Neo4j behind a ``TcpRelay`` the test may cut (the server "dies") and
    restore; the target's ``relay`` is the relay, its ``uri`` the relay's port."""
    from tcp_relay import TcpRelay

    upstream = urlsplit(neo4j_server.uri)
    with TcpRelay((upstream.hostname or "127.0.0.1", upstream.port or 7687)) as relay:
        yield neo4j_server._replace(
            uri=f"{upstream.scheme}://127.0.0.1:{relay.port}", server=None, relay=relay
        )


@pytest.fixture
def neo4j_env(monkeypatch: pytest.MonkeyPatch, neo4j_server: Neo4jTarget, neo4j_store: Store):
    """Point argmap's settings (as the CLI reads them) at the session's Neo4j, emptied."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        monkeypatch.delenv(var, raising=False)
    for var, value in neo4j_server.env().items():
        monkeypatch.setenv(var, value)
    return neo4j_store


def mark_neo4j_items(items: list[pytest.Item]) -> None:
    """Mark every test that runs on Neo4j (``any_store[neo4j]`` and friends) ``neo4j``, so
    ``-m "not neo4j"`` leaves the server unstarted."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_neo4j = any(params.get(name) == "neo4j" for name in STORE_PARAMS)
        if on_neo4j or any(f.startswith("neo4j_") for f in fixtures):
            item.add_marker(pytest.mark.neo4j)
