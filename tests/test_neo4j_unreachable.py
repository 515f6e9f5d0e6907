"""An unreachable Neo4j fails fast with one line, through the real CLI in a subprocess: a
refused connection, a server that never answers (the connect timeout), a URI with a password
(never echoed). These need no server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from argmap.core.resources import sample_thread

ROOT = Path(__file__).resolve().parent.parent


def _argmap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (its own settings, its own stderr)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ARGMAP_", "NEO4J_"))}
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env=base | (env or {}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_unreachable_neo4j_fails_with_one_line(scheme: str) -> None:
    target = f"{scheme}://127.0.0.1:{_closed_port()}"
    result = _argmap("export", "--db", target, env={"NEO4J_PASSWORD": "secret-pw"})
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"argmap: error: cannot reach Neo4j at {target} ")
    assert "Connection refused" in lines[0] and "check the server is running" in lines[0]
    assert "secret-pw" not in result.stderr


def test_hung_neo4j_fails_within_the_connect_timeout(silent_port: int) -> None:
    target = f"bolt://127.0.0.1:{silent_port}"
    result = _argmap(
        "ingest",
        str(sample_thread()),
        env={"ARGMAP_DB": target, "ARGMAP_CONNECT_TIMEOUT": "1"},
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot reach Neo4j at {target} within 1s" in lines[0]
    assert "no Bolt handshake answer" in lines[0]


def test_bad_neo4j_uri_is_one_line_without_the_password() -> None:
    result = _argmap("db", "status", "--db", "bolt://neo4j:hunter22@127.0.0.1:1")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "hunter22" not in result.stderr
    assert "NEO4J_USER/NEO4J_PASSWORD" in result.stderr
