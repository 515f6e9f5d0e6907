"""Latency of the named queries on a synthetic thread (default 100k comments), per store.

Builds the thread (``bench/synthetic.py``) into a fresh store of each kind ``--stores`` names
(the embedded FalkorDB in a temp dir; a real Neo4j 5.26 started from ``tools/neo4j``, or the one
``NEO4J_URI`` names), or reuses ``--data-dir`` (FalkorDB) if it already holds the same thread;
runs each query ``--repeat`` times and prints one JSON object: sizes, build time, and per query
the median and max in ms (under ``stores`` when there are several).
Chains are timed from ``--starts`` claims that rebut something, each run ``--repeat`` times.

    python bench/queries.py                      # 100k comments, ~1 minute to build
    python bench/queries.py --comments 20000 --repeat 3
    python bench/queries.py --comments 10000 --stores falkordb,neo4j   # side by side
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph import counts, overview, queries  # noqa: E402
from argmap.graph.chains import find_chains  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.store import Store, open_store  # noqa: E402

from bench.stores import BenchStores, parse_stores  # noqa: E402
from bench.synthetic import SyntheticSpec, generate, write_to_store  # noqa: E402

GRAPH = "bench"


def _time(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return times, result


def _summary(times: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        "runs": len(times),
        **extra,
    }


def _counts(store: Store) -> dict[str, int]:
    one = lambda q: store.run_read(q)[0]["n"]  # noqa: E731
    return {
        "posts": one("MATCH (p:Post) RETURN count(p) AS n"),
        "claims": one("MATCH (c:Claim) RETURN count(c) AS n"),
        "rebuttals": one("MATCH ()-[r:REBUTS]->() RETURN count(r) AS n"),
        "supports": one("MATCH ()-[r:SUPPORTS]->() RETURN count(r) AS n"),
    }


def build(store: Store, spec: SyntheticSpec) -> float:
    """Write the synthetic thread unless the store already holds it; seconds spent."""
    have = store.run_read(
        "MATCH (t:Thread {id: $id}) RETURN t.title AS title", {"id": spec.thread_id}
    )
    synth = generate(spec)
    if have and _counts(store)["posts"] == len(synth.posts):
        return 0.0
    store.clear()
    t = time.perf_counter()
    write_to_store(store, synth)
    return time.perf_counter() - t


@contextmanager
def synthetic_store_dir(data_dir: Path | None, graph: str) -> Iterator[tuple[Store, Path]]:
    """A FalkorDB store in ``data_dir`` (kept running), or in a temp dir stopped and removed
    on exit; yields the store and its directory."""
    tmp = None
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="argmap-bench-")
        data_dir = Path(tmp.name)
    store: Store = open_store(str(data_dir), graph)
    try:
        yield store, data_dir
    finally:
        store.close()
        if tmp is not None:
            stop_server(data_dir)
            tmp.cleanup()


def run(store: Store, repeat: int, starts: int, seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rebutting = [
        r["id"] for r in store.run_read("MATCH (c:Claim)-[:REBUTS]->() RETURN DISTINCT c.id AS id")
    ]
    sample = random.Random(seed).sample(sorted(rebutting), min(starts, len(rebutting)))
    times, lengths, truncated = [], [], 0
    for cid in sample:
        ts, res = _time(lambda cid=cid: find_chains(store, from_claim=cid, limit=20), repeat)
        times.extend(ts)
        lengths.append(res.chains[0].length if res.chains else 0)
        truncated += res.truncated
    out["chains_from_claim"] = _summary(
        times, starts=len(sample), longest=max(lengths, default=0), truncated=truncated
    )
    top = queries.theses(store)[0].claim_id
    ts, res = _time(lambda: find_chains(store, to_claim=top, limit=20), repeat)
    out["chains_to_top_thesis"] = _summary(ts, truncated=res.truncated)
    ts, res = _time(lambda: find_chains(store, limit=20), 1)
    out["chains_whole_graph"] = _summary(
        ts, truncated=res.truncated, longest=res.chains[0].length if res.chains else 0
    )
    if res.chains:  # the worst case for one claim: the head of the longest chain found
        head = res.chains[0].claims[0]
        ts, res = _time(lambda: find_chains(store, from_claim=head, limit=20), repeat)
        out["chains_from_longest_head"] = _summary(
            ts, truncated=res.truncated, longest=res.chains[0].length
        )
    cases: dict[str, Callable[[], Any]] = {
        "contested": lambda: queries.contested(store, limit=20),
        "unanswered_first_100": lambda: queries.unanswered(store, limit=100),
        "unanswered_all": lambda: queries.unanswered(store),
        "grounded": lambda: queries.grounded(store),
        "search": lambda: queries.search(store, "vendor archiving", limit=20),
        "theses": lambda: queries.theses(store),
        "interactions": lambda: queries.interactions(store),
        # The dashboard's Overview page beyond the named queries.
        "overview_counts": lambda: [counts.counts(store)],
        "overview_activity_by_day": lambda: overview.activity(store, granularity="day"),
        "overview_active_debaters": lambda: overview.active_debaters(store, limit=10),
        "overview_extraction_info": lambda: overview.extraction_info(store),
    }
    for name, fn in cases.items():
        ts, res = _time(fn, repeat)
        out[name] = _summary(ts, rows=len(res))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--starts", type=int, default=20, help="claims to time chains from")
    parser.add_argument("--data-dir", type=Path, help="reuse this store directory (kept running)")
    parser.add_argument(
        "--stores", default="falkordb", help="comma-separated: falkordb, neo4j (side by side)"
    )
    args = parser.parse_args(argv)
    spec = SyntheticSpec(comments=args.comments, seed=args.seed)
    names = parse_stores(args.stores)
    if args.data_dir is not None and names == ["falkordb"]:
        store = open_store(str(args.data_dir), GRAPH)
        try:
            result = {"comments": args.comments, **measure(store, spec, args)}
        finally:
            store.close()
        print(json.dumps(result, indent=1))
        return
    stores = BenchStores(names)
    results = {}
    try:
        for name in names:
            store = stores.fresh(name, GRAPH)
            try:
                results[name] = {**stores.info[name], **measure(store, spec, args)}
            finally:
                store.clear()
                store.close()
    finally:
        stores.close()
    if len(names) == 1:
        print(json.dumps({"comments": args.comments, **results[names[0]]}, indent=1))
        return
    print(json.dumps({"comments": args.comments, "stores": results}, indent=1))


def measure(store: Store, spec: SyntheticSpec, args: argparse.Namespace) -> dict[str, Any]:
    """Build the thread into ``store`` (unless there) and time every query on it."""
    build_s = build(store, spec)
    return {
        "seed": args.seed,
        **_counts(store),
        "build_seconds": round(build_s, 1),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "queries": run(store, args.repeat, args.starts, args.seed),
    }


if __name__ == "__main__":
    main()
