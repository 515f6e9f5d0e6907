"""What a user moving off the embedded store may set wrong for Neo4j, through the real CLI:
a TLS scheme for a server without TLS (or with a self-signed certificate), no password, and
``ARGMAP_GRAPH`` (a name only the embedded store has). Each is one line naming the fix, and
the data stays as it was.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from neo4j_session import Neo4jTarget
from test_neo4j_server import argmap, one_error_line

pytestmark = pytest.mark.neo4j


def plain_env() -> dict[str, str]:
    """The environment without argmap's, Neo4j's or OpenAI's settings."""
    return {
        k: v for k, v in os.environ.items() if not k.startswith(("ARGMAP_", "NEO4J_", "OPENAI_"))
    }


def host_port(uri: str) -> str:
    return uri.split("://", 1)[1]


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s", "bolt+ssc"])
def test_a_tls_scheme_for_a_server_without_tls_says_so(
    scheme: str, neo4j_server: Neo4jTarget
) -> None:
    # The session's server speaks plain Bolt, as tools/neo4j and most local servers do.
    target = f"{scheme}://{host_port(neo4j_server.uri)}"
    line = one_error_line(argmap(neo4j_server.env() | {"ARGMAP_DB": target}, "threads"))
    assert f"Neo4j at {target}" in line
    assert "no TLS on that port: use bolt:// or neo4j://" in line


@pytest.fixture
def self_signed_tls_port(tmp_path: Path) -> Iterator[int]:
    """A loopback port that speaks TLS with a self-signed certificate (and no Bolt after it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not installed: cannot make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True):
                    pass
            except OSError:
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_a_self_signed_certificate_names_the_ssc_scheme(
    scheme: str, self_signed_tls_port: int
) -> None:
    target = f"{scheme}://127.0.0.1:{self_signed_tls_port}"
    line = one_error_line(argmap({"ARGMAP_DB": target, "NEO4J_PASSWORD": "pw-pw-pw-pw"}, "threads"))
    assert "TLS certificate is not trusted" in line and "bolt+ssc://" in line


def test_no_password_for_a_server_that_asks_for_one_names_the_setting(
    neo4j_server: Neo4jTarget,
) -> None:
    env = {"ARGMAP_DB": neo4j_server.uri}
    line = one_error_line(argmap(env, "threads"))
    assert "NEO4J_PASSWORD is not set" in line


@pytest.mark.parametrize("command", [["db", "reset", "--yes"], ["threads"], ["db", "status"]])
def test_argmap_graph_is_refused_on_neo4j_and_nothing_is_deleted(
    command: list[str], neo4j_server: Neo4jTarget, neo4j_sample: Store
) -> None:
    # On the embedded store, `db reset` empties the graph ARGMAP_GRAPH names and keeps the
    # others; a Neo4j database has no such graphs, so it must not empty the whole database.
    before = export_json(neo4j_sample)
    env = neo4j_server.env() | {"ARGMAP_GRAPH": "scratch"}
    line = one_error_line(argmap(env, *command))
    assert "graph 'scratch'" in line and "unset ARGMAP_GRAPH" in line
    assert "NEO4J_DATABASE" in line
    assert export_json(neo4j_sample) == before


def test_db_reset_asks_about_the_whole_neo4j_database_and_status_names_it(
    neo4j_server: Neo4jTarget, neo4j_sample: Store
) -> None:
    before = export_json(neo4j_sample)
    env = neo4j_server.env() | {"NEO4J_DATABASE": "neo4j"}
    shown = f"Neo4j at {neo4j_server.uri}, database 'neo4j'"
    declined = subprocess.run(
        [sys.executable, "-m", "argmap", "db", "reset"],
        env=plain_env() | env,
        input="n\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert declined.returncode == 1
    assert f"Delete every node of {shown} (the whole database, not only argmap's)?" in (
        declined.stdout
    )
    assert export_json(neo4j_sample) == before
    status = argmap(env, "db", "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith(f"{shown}: ") and " Thread" in status.stdout
