"""Start a real Neo4j 5.26 Community server, built from Maven Central jars, on 127.0.0.1.

For argmap's tests, CI and development: no Docker, no tarball download, stdlib only.

    from server import build, start, free_port        # tools/neo4j on sys.path
    server = start(tmp_dir, free_port(), "a-password")  # builds on first use
    ...  # neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "a-password"))
    server.stop()

Development, in the foreground until Ctrl-C (password from NEO4J_PASSWORD):

    python tools/neo4j/server.py --data .neo4j --port 7687

The Java side (pom.xml, src/main/java/argmap/neo4j/Launcher.java) is a thin main() around
Neo4j's embedded DBMS with its Bolt (and optionally HTTP) connector; every setting comes
from the config file the launcher writes, so what the server runs with is visible in
DATA/conf/argmap-neo4j.conf.

This file is the launcher's public face and its command line; the parts live beside it,
one concern each: neo4j_build.py (Java, Maven, the cached classpath), neo4j_config.py
(memory, JVM options, neo4j.conf settings) and neo4j_process.py (start, wait, stop).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

# The parts are imported by plain name. Run as a script, this folder is on sys.path already;
# loaded by file path (tests/neo4j_session.py, bench/stores.py) it is not, so add it, last,
# so nothing else on the path is shadowed; the prefixed names keep clear of other modules.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)

from neo4j_build import (  # noqa: E402
    LAUNCHER_CLASS,
    NEO4J_VERSION,
    TOOLS_DIR,
    Neo4jLauncherError,
    build,
    java_executable,
)
from neo4j_config import (  # noqa: E402
    DEFAULT_HEAP,
    DEFAULT_HEAP_INITIAL,
    DEFAULT_PAGECACHE,
    DEFAULT_TX_MAX,
    DEFAULT_TX_TOTAL_MAX,
    JVM_OPTIONS,
    config_lines,
)
from neo4j_process import (  # noqa: E402
    MIN_PASSWORD_LENGTH,
    READY,
    Neo4jServer,
    free_port,
    start,
)

__all__ = [
    "DEFAULT_HEAP",
    "DEFAULT_HEAP_INITIAL",
    "DEFAULT_PAGECACHE",
    "DEFAULT_TX_MAX",
    "DEFAULT_TX_TOTAL_MAX",
    "JVM_OPTIONS",
    "LAUNCHER_CLASS",
    "MIN_PASSWORD_LENGTH",
    "NEO4J_VERSION",
    "READY",
    "TOOLS_DIR",
    "Neo4jLauncherError",
    "Neo4jServer",
    "build",
    "config_lines",
    "free_port",
    "java_executable",
    "main",
    "start",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run a Neo4j 5.26 Community server on 127.0.0.1 until Ctrl-C "
        "(password of user neo4j from NEO4J_PASSWORD).",
    )
    parser.add_argument("--data", required=True, help="directory for the databases and logs")
    parser.add_argument("--port", type=int, default=7687, help="Bolt port (default 7687)")
    parser.add_argument("--http-port", type=int, help="also serve Neo4j's HTTP API on this port")
    parser.add_argument("--heap", default=DEFAULT_HEAP, help=f"JVM heap (default {DEFAULT_HEAP})")
    parser.add_argument("--pagecache", default=DEFAULT_PAGECACHE)
    parser.add_argument("--tx-total-max", default=DEFAULT_TX_TOTAL_MAX)
    parser.add_argument("--tx-max", default=DEFAULT_TX_MAX)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for start")
    args = parser.parse_args(argv)

    password = os.environ.get("NEO4J_PASSWORD", "")
    if not password:
        parser.error("set NEO4J_PASSWORD: it becomes the password of user neo4j")
    data_dir = Path(args.data)
    log_path = data_dir / "logs" / "launcher.log"
    print(
        f"starting Neo4j {NEO4J_VERSION} in {data_dir.resolve()} (log: {log_path}) ...", flush=True
    )
    try:
        server = start(
            data_dir, args.port, password, http_port=args.http_port, log_path=log_path,
            heap=args.heap, pagecache=args.pagecache, tx_total_max=args.tx_total_max,
            tx_max=args.tx_max, timeout=args.timeout,
        )  # fmt: skip
    except Neo4jLauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(
        f"Neo4j {server.version} ready in {server.started_in:.1f}s at {server.uri}"
        + (f" (HTTP {server.http_uri})" if server.http_port else "")
        + f", user neo4j, pid {server.pid}. Ctrl-C stops it.",
        flush=True,
    )
    # Ctrl-C reaches the JVM too (same process group) and it shuts down by itself; wait
    # for that, or send SIGTERM ourselves when we are the one told to stop.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = server.process.wait()
        print(f"Neo4j exited with code {code}; see {log_path}", file=sys.stderr)
        return code or 1
    except KeyboardInterrupt:
        print("stopping Neo4j ...", flush=True)
        while True:
            try:  # a second Ctrl-C must not orphan the JVM mid-shutdown
                server.stop()
                break
            except KeyboardInterrupt:
                continue
        print("stopped", flush=True)
        return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
