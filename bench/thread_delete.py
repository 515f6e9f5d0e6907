"""Deleting one big thread (``argmap threads delete``, ``graph.thread_delete``) beside another.

A synthetic thread of ``--comments`` comments (``synthetic.generate``) and a small one (500
comments, another seed: some authors wrote in both) are written into a fresh graph of each store;
the big one is deleted in batches of ``--batch`` posts, timed. Checked: the small thread's argmap
JSON export is the same before and after, and nothing of the big one is left. With
``--one-query`` the same deletion also runs as one ``DETACH DELETE`` of the whole thread (one
transaction: what batching avoids), for comparison; on Neo4j that one transaction may be refused
for memory, which is reported, not raised.

    python bench/thread_delete.py [--comments 20000] [--batch 500] [--stores falkordb,neo4j] [--one-query]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from argmap.graph.export_json import export_json  # noqa: E402
from argmap.graph.store import Store  # noqa: E402
from argmap.graph.thread_delete import delete_thread, plan_thread_deletion  # noqa: E402
from stores import BenchStores, parse_stores  # noqa: E402
from synthetic import SyntheticSpec, generate  # noqa: E402
from synthetic_store import write_to_store  # noqa: E402
from write_path import counts  # noqa: E402


def fill(store: Store, comments: int, seed: int) -> tuple[str, str, dict]:
    """The big thread and the small one written; their ids and the small one's export."""
    big = generate(SyntheticSpec(comments=comments, seed=seed, thread_id=f"big-{seed}"))
    small = generate(SyntheticSpec(comments=500, seed=seed + 1, thread_id=f"small-{seed}"))
    write_to_store(store, big)
    write_to_store(store, small)
    small_id = export_json(store)["threads"]
    ids = sorted(t["id"] for t in small_id)
    big_id = next(t for t in ids if plan_thread_deletion(store, t).posts > 501)
    small_tid = next(t for t in ids if t != big_id)
    return big_id, small_tid, export_json(store, [small_tid])


def run_batched(store: Store, comments: int, seed: int, batch: int) -> dict:
    big, small, before = fill(store, comments, seed)
    shape_before = counts(store)
    plan = plan_thread_deletion(store, big)
    started = time.perf_counter()
    done = delete_thread(store, big, batch=batch, refresh=False)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    from argmap.graph.summary import refresh_summary

    refresh_summary(store)
    refresh_s = time.perf_counter() - started
    after = counts(store)
    return {
        "deleted": plan.model_dump(exclude={"title", "batches", "thread_id"}),
        "batches": done.batches,
        "seconds": round(seconds, 2),
        "posts_per_s": round(plan.posts / seconds),
        "summary_refresh_s": round(refresh_s, 2),
        "other_thread_unchanged": export_json(store, [small]) == before,
        "nothing_left": not store.run_read(
            "MATCH (p:Post) WHERE p.thread_id = $t RETURN p LIMIT 1", {"t": big}
        ),
        "graph_before": shape_before,
        "graph_after": after,
    }


def run_one_query(store: Store, comments: int, seed: int) -> dict:
    """The whole thread in one DETACH DELETE: one transaction however big the thread."""
    big, small, before = fill(store, comments, seed)
    started = time.perf_counter()
    try:
        store.run(
            "MATCH (t:Thread {id: $t})-[:CONTAINS]->(p:Post) OPTIONAL MATCH (p)-[:MAKES]->(c:Claim) "
            "DETACH DELETE c, p",
            {"t": big},
        )
        error = None
    except Exception as exc:  # noqa: BLE001 - a refusal is the finding
        error = str(exc).splitlines()[0][:300]
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "error": error,
        "other_thread_unchanged": export_json(store, [small]) == before,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=500, help="posts per transaction")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--stores", default="falkordb,neo4j")
    parser.add_argument("--one-query", action="store_true", help="also time one DETACH DELETE")
    args = parser.parse_args(argv)
    load_before = [float(x) for x in open("/proc/loadavg").read().split()[:3]]
    names = parse_stores(args.stores)
    stores = BenchStores(names)
    results: dict = {}
    try:
        for name in names:
            store = stores.fresh(name, "delete_batched")
            results[name] = {
                **stores.info[name],
                "batched": run_batched(store, args.comments, args.seed, args.batch),
            }
            store.clear()
            store.close()
            if args.one_query:
                store = stores.fresh(name, "delete_one_query")
                results[name]["one_query"] = run_one_query(store, args.comments, args.seed)
                store.clear()
                store.close()
    finally:
        stores.close()
    print(
        json.dumps(
            {
                "bench": "thread_delete",
                "comments": args.comments,
                "batch": args.batch,
                "load_average_before": load_before,
                "load_average_after": [float(x) for x in open("/proc/loadavg").read().split()[:3]],
                "stores": results,
            }
        )
    )


if __name__ == "__main__":
    main()
