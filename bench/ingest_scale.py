"""Offline ingest at scale: synthetic WordPress threads of 1k, 10k and 100k comments, end to end.

Each size is generated (``synthetic_wordpress``), then ingested by ``ingest.pipeline.ingest`` with
the offline extractor in a child process, into a fresh embedded FalkorDB data directory. Printed
as one JSON object, per size:

- ``seconds`` and ``comments_per_s`` of the whole ingest (parse, spam, reply tree, extraction,
  writes); ``first_post_s``: when the first post was extracted (so parse + reply tree + posts
  written), the rest is extraction and its writes;
- ``peak_rss_mb``: the ingest process's peak resident memory (VmHWM), and ``server_peak_rss_mb``
  the FalkorDB server's (its VmHWM; the server is fresh for each size);
- ``tree_accuracy``: the share of comments whose rebuilt parent is the true one;
- a size that does not finish within its time limit is stopped and reported with
  ``timed_out`` and how many posts it had extracted by then.

``growth_10k_100k`` is t(100k) / t(10k): 10 is linear. With ``--json`` the same threads are also
imported as argmap JSON (the true tree and claims, no extraction).

    python bench/ingest_scale.py [--sizes 1000 10000 100000] [--limit 600] [--profile]
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

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from argmap.graph.embedded import server_pid  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from synthetic_wordpress import tree_accuracy, write_thread  # noqa: E402

DEFAULT_LIMITS = {1000: 120, 10000: 300, 100000: 600}


def vm_hwm_mb(pid: int | None) -> float | None:
    """Peak resident memory of a live process (VmHWM), in MiB."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def child(args: argparse.Namespace) -> None:
    """Run one ingest in this process and print its figures (the parent measures memory)."""
    from argmap.graph.store import open_store
    from argmap.ingest.pipeline import ingest

    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        marks.setdefault("first", time.perf_counter() - started)

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    store = open_store(args.db, "bench")
    summary = ingest(Path(args.one), store, fmt=args.format, extractor="offline", progress=progress)
    seconds = time.perf_counter() - started
    store.close()
    out = {
        "seconds": round(seconds, 2),
        "first_post_s": round(marks.get("first", seconds), 2),
        "posts": summary.posts,
        "claims": summary.claims,
        "relations": summary.relations,
        "spam": summary.spam,
    }
    if profiler is not None:
        profiler.disable()
        out["hotspots"] = hotspots(profiler)
    print(json.dumps(out))


def hotspots(profiler, top: int = 12) -> list[dict]:
    """The project's functions with the most cumulative time (where an ingest spends it)."""
    import pstats

    stats = pstats.Stats(profiler)
    root = str(BENCH.parent)
    rows = []
    for (path, line, name), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if path.startswith(root) and "/bench/" not in path:
            rows.append(
                {
                    "function": f"{Path(path).relative_to(root)}:{line}:{name}",
                    "cumulative_s": round(cum, 2),
                }
            )
    rows.sort(key=lambda r: -r["cumulative_s"])
    return rows[:top]


def _extracted(db: str) -> int | None:
    from argmap.graph.store import open_store

    try:
        store = open_store(db, "bench")
        try:
            rows = store.run_read(
                "MATCH (p:Post) WHERE p.extracted IS NOT NULL RETURN count(p) AS n"
            )
        finally:
            store.close()
        return rows[0]["n"] if rows else 0
    except Exception:  # noqa: BLE001 - a bench reports what it can
        return None


def _found_parents(db: str, thread_id: str) -> dict[int, int | None]:
    from argmap.graph.store import open_store

    store = open_store(db, "bench")
    try:
        rows = store.run_read(
            "MATCH (p:Post {thread_id: $tid}) OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
            "RETURN p.position AS pos, q.position AS parent",
            {"tid": thread_id},
        )
    finally:
        store.close()
    return {r["pos"]: r["parent"] for r in rows}


def run_size(comments: int, work: Path, limit: float, fmt: str, seed: int, profile: bool) -> dict:
    """Generate one thread, ingest it in a child process, and measure it."""
    as_json = fmt == "argmap-json"
    path = work / f"thread-{comments}.{'json' if as_json else 'txt'}"
    t0 = time.perf_counter()
    info = write_thread(comments, path, seed=seed, as_json=as_json)
    generated = time.perf_counter() - t0
    db = work / f"db-{comments}-{fmt}"
    # Start the server first so its pid (and peak memory) can be followed from the beginning.
    from argmap.graph.store import open_store

    open_store(str(db), "bench").close()
    spid = server_pid(db)
    cmd = [sys.executable, __file__, "--one", str(path), "--db", str(db), "--format", fmt]
    if profile:
        cmd.append("--profile")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = server_peak = 0.0
    deadline = time.monotonic() + limit
    timed_out = False
    while proc.poll() is None:
        peak = max(peak, vm_hwm_mb(proc.pid) or 0.0)
        if time.monotonic() > deadline:
            proc.kill()
            timed_out = True
            break
        time.sleep(0.2)
    server_peak = vm_hwm_mb(spid) or 0.0
    stdout, stderr = proc.communicate()
    row: dict = {
        "comments": comments,
        "format": fmt,
        "bytes": info["bytes"],
        "generate_s": round(generated, 2),
        "peak_rss_mb": peak,
        "server_peak_rss_mb": server_peak,
    }
    if timed_out:
        row.update(timed_out=True, limit_s=limit, posts_extracted=_extracted(str(db)))
    elif proc.returncode != 0:
        row.update(error=(stderr.strip().splitlines() or ["no output"])[-1])
    else:
        got = json.loads(stdout.strip().splitlines()[-1])
        row.update(got)
        row["comments_per_s"] = round(comments / got["seconds"], 1)
        truth = json.loads(Path(info["parents"]).read_text())["parents"]
        row["tree_accuracy"] = round(
            tree_accuracy(truth, _found_parents(str(db), info["thread_id"])), 4
        )
    stop_server(db)
    shutil.rmtree(db, ignore_errors=True)
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--limit", type=float, help="seconds per size (default 120/300/600)")
    parser.add_argument("--json", action="store_true", help="also import each size as argmap JSON")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest (slower)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="wordpress-text", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        child(args)
        return
    work = Path(tempfile.mkdtemp(prefix="argmap-bench-"))
    try:
        runs = []
        formats = ["wordpress-text"] + (["argmap-json"] if args.json else [])
        for fmt in formats:
            for n in args.sizes:
                limit = args.limit or DEFAULT_LIMITS.get(n, 600)
                runs.append(run_size(n, work, limit, fmt, args.seed, args.profile))
                print(json.dumps(runs[-1]), file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    wp = {r["comments"]: r for r in runs if r["format"] == "wordpress-text"}
    out: dict = {
        "bench": "ingest_scale",
        "extractor": "offline",
        "cpus": os.cpu_count(),
        "runs": runs,
    }
    a, b = wp.get(10000), wp.get(100000)
    if a and b and "seconds" in a:
        if "seconds" in b:
            out["growth_10k_100k"] = round(b["seconds"] / a["seconds"], 2)
        elif b.get("timed_out"):
            out["growth_10k_100k_at_least"] = round(b["limit_s"] / a["seconds"], 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
