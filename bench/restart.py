"""Restart time of the embedded store, and whether a SIGKILL of its server loses an acknowledged write.

1. Writes a synthetic thread of ``--comments`` comments (default 100,000; ~167k claims) into a
   fresh embedded store with argmap's own write path (``bench.synthetic.write_to_store``), the
   way an ingest leaves it: every write went through the append-only log.
2. ``kill -9`` the server (no save), then times ``ensure_server`` until the graph answers:
   ``restart_after_kill_s``. Then a clean ``argmap db stop`` and a start: ``restart_after_stop_s``.
3. Writes ``--acked`` posts one acknowledged query at a time, kills the server with SIGKILL right
   after the last acknowledgement, restarts it and counts them: ``acked_lost`` must be 0.

Prints one JSON object. Target (issue 18): ``restart_after_kill_s`` <= 30 at 100k comments.

    python bench/restart.py [--comments 100000] [--acked 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]

from argmap.graph.embedded import ensure_server, server_paths, server_pid  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.store import open_store  # noqa: E402

from bench.synthetic import SyntheticSpec, generate, write_to_store  # noqa: E402


def _kill(data_dir: Path) -> None:
    pid = server_pid(data_dir)
    if pid is None:
        raise SystemExit("no server to kill")
    os.kill(pid, signal.SIGKILL)
    while server_pid(data_dir) is not None:
        time.sleep(0.05)
    server_paths(data_dir).socket.unlink(missing_ok=True)


def _timed_start(data_dir: Path, graph: str) -> tuple[float, int]:
    t = time.perf_counter()
    ensure_server(data_dir, timeout=60, load_timeout=3600)
    store = open_store(str(data_dir), graph)
    n = store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]
    store.close()
    return round(time.perf_counter() - t, 2), n


def _sizes(data_dir: Path) -> dict[str, float]:
    files = [
        p for p in data_dir.rglob("*") if p.is_file() and ("aof" in p.name or p.suffix == ".rdb")
    ]
    return {p.name: round(p.stat().st_size / 1e6, 1) for p in files}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--comments", type=int, default=100_000)
    ap.add_argument("--acked", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="use (and keep) this data directory")
    args = ap.parse_args(argv)
    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="argmap-restart-"))
    graph = "restart"
    out: dict = {
        "comments": args.comments,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    try:
        store = open_store(str(data_dir), graph)
        t = time.perf_counter()
        write_to_store(store, generate(SyntheticSpec(comments=args.comments, thread_id="restart")))
        out["write_s"] = round(time.perf_counter() - t, 1)
        out["claims"] = store.run_read("MATCH (c:Claim) RETURN count(c) AS n")[0]["n"]
        store.close()
        time.sleep(1.5)  # let a rewrite that the writes triggered finish, as it would in use
        out["files_mb_before_kill"] = _sizes(data_dir)
        _kill(data_dir)
        out["restart_after_kill_s"], posts = _timed_start(data_dir, graph)
        out["posts_after_kill"] = posts
        stop_server(data_dir, timeout=120)
        out["restart_after_stop_s"], _ = _timed_start(data_dir, graph)

        # Acknowledged writes, then SIGKILL straight after the last acknowledgement.
        store = open_store(str(data_dir), graph)
        for i in range(args.acked):
            store.run("CREATE (:Probe {n: $n})", {"n": i})
        store.close()
        _kill(data_dir)
        ensure_server(data_dir, timeout=60, load_timeout=3600)
        store = open_store(str(data_dir), graph)
        kept = store.run_read("MATCH (p:Probe) RETURN count(p) AS n")[0]["n"]
        store.close()
        out["acked_writes"] = args.acked
        out["acked_lost"] = args.acked - kept
        out["target_met"] = out["restart_after_kill_s"] <= 30 and out["acked_lost"] == 0
    finally:
        stop_server(data_dir, timeout=120)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
