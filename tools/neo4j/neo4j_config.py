"""What the server runs with: the JVM's memory and options, and the neo4j.conf settings.

Part of tools/neo4j/server.py (import from there). ``start()`` writes ``config_lines()`` to
DATA/conf/argmap-neo4j.conf, so every setting is visible there.
"""

from __future__ import annotations

# Test-sized memory. The transaction limits sit well below the heap, so a runaway query
# whose memory Neo4j tracks (collect, ORDER BY, DISTINCT, aggregation) fails with
# Neo.TransientError.General.MemoryPoolOutOfMemoryError and the server lives on.
DEFAULT_HEAP = "1g"  # -Xmx
DEFAULT_HEAP_INITIAL = "256m"  # -Xms: an idle server stays near 500 MB RSS instead of 700
DEFAULT_PAGECACHE = "256m"
DEFAULT_TX_TOTAL_MAX = "512m"  # all running transactions together
DEFAULT_TX_MAX = "256m"  # any one transaction

# The JVM options Neo4j's own launcher uses that matter here, minus -XX:+AlwaysPreTouch
# (it would commit the whole heap up front: a 1 GiB RSS for an idle test server).
# Deliberately no -XX:+ExitOnOutOfMemoryError: some memory is not tracked (a list
# comprehension over range(1, 1500000000) fills the heap), and without the flag Neo4j
# answers that query with Neo.TransientError.General.OutOfMemoryError and serves the next;
# with it, the JVM exits.
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


def config_lines(
    bolt_port: int,
    http_port: int | None = None,
    *,
    pagecache: str = DEFAULT_PAGECACHE,
    tx_total_max: str = DEFAULT_TX_TOTAL_MAX,
    tx_max: str = DEFAULT_TX_MAX,
    extra: dict[str, str] | None = None,
) -> list[str]:
    """The neo4j.conf settings the launcher runs with."""
    settings = {
        # Loopback only, plain Bolt (no certificates to manage for a local test server).
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        # Drivers using neo4j:// get this address back in the routing table.
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.tls_level": "DISABLED",
        "server.http.enabled": "true" if http_port else "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        # No usage reports to neo4j.com (pom.xml also leaves the reporter's jar out).
        "dbms.usage_report.enabled": "false",
        "server.memory.pagecache.size": pagecache,
        "db.memory.transaction.total.max": tx_total_max,
        "db.memory.transaction.max": tx_max,
        # Netty waits 5 s of quiet per event loop group before closing Bolt, so a clean stop
        # took about 10 s; 0 makes it well under a second. An internal setting: if a newer
        # 5.26.x drops it, strict config validation refuses to start and says so.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    if http_port:
        settings["server.http.listen_address"] = f"127.0.0.1:{http_port}"
        settings["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
    settings.update(extra or {})
    return [f"{k}={v}" for k, v in settings.items()]
