"""A reviewer's edits in a row on a big graph: each click, the summary refreshes they cost, and
how soon after the last one the pages read the summary again (``graph.summary_refresh``).

Builds the synthetic thread (``bench/synthetic.py``, default 100k comments) into an embedded
store (or reuses ``--data-dir``), refreshes its summary as an ingest leaves it, then rejects
``--edits`` relations one after another, ``--gap`` seconds apart (a reviewer reading the next
item), through a store with a background refresher, as the dashboard's Review page does. Then it
undoes them (the graph is left as built; the review records stay). Prints one JSON object:

- ``sync_refresh_seconds``: one refresh done at once (``argmap db refresh``): what each edit
  would cost if it refreshed the summary itself;
- ``edit_seconds``: each edit, saved and its refresh scheduled (not waited for);
- ``refreshes``: how many refreshes the edits cost; ``fresh_after_last_edit_seconds``: from the
  last edit's return to the summary being fresh again;
- ``overview_reads_seconds``: the Overview's whole-graph reads (``graph.summary_reads``) right
  after the last edit (stale: computed live) and at the end (fresh, unless ``--no-background``).

``--no-background`` is the baseline: edits leave the summary stale, as before (and as
``argmap review`` does). ``--quiet`` is the pause the refresh waits for (0: start at once).

    python bench/review_refresh.py                          # 100k comments (~1.5 min to build)
    python bench/review_refresh.py --comments 10000 --edits 10 --gap 1
    python bench/review_refresh.py --data-dir /tmp/argmap-rr --no-background   # the baseline
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from argmap.graph import review_actions as act  # noqa: E402
from argmap.graph import summary_reads  # noqa: E402
from argmap.graph.review_history import undo  # noqa: E402
from argmap.graph.store import Store  # noqa: E402
from argmap.graph.summary import is_fresh, refresh_summary  # noqa: E402
from argmap.graph.summary_refresh import QUIET_SECONDS, refresh_in_background  # noqa: E402

from bench.queries import _counts, build, synthetic_store_dir  # noqa: E402
from bench.synthetic import SyntheticSpec  # noqa: E402

GRAPH = "bench"
WAIT = 600  # seconds to wait for the refreshes to settle before giving up


def overview_reads(store: Store) -> float:
    """Seconds for the whole-graph reads the Overview page makes on its first load."""
    t = time.perf_counter()
    summary_reads.counts(store)
    summary_reads.date_span(store)
    summary_reads.activity(store, granularity="month")
    summary_reads.theses(store)
    summary_reads.contested(store, limit=10)
    summary_reads.unanswered(store, limit=10)
    summary_reads.unanswered_count(store)
    summary_reads.active_debaters(store, limit=10)
    summary_reads.interactions(store, limit=10)
    return round(time.perf_counter() - t, 2)


def review_pass(store: Store, edits: int, gap: float, quiet: float | None) -> dict[str, Any]:
    """Reject ``edits`` relations in a row, then undo them: through a background refresher
    waiting ``quiet`` seconds for a pause, or (``None``) as before it, leaving the summary
    stale."""
    refresher = refresh_in_background(store, quiet=quiet) if quiet is not None else None
    pairs = [
        (r["a"], r["b"])
        for r in store.run_read(
            "MATCH (a:Claim)-[:REBUTS]->(b:Claim) RETURN a.id AS a, b.id AS b "
            "ORDER BY a, b LIMIT $n",
            {"n": edits},
        )
    ]
    times, reviews = [], []
    for i, (source, target) in enumerate(pairs):
        if i:
            time.sleep(gap)
        t = time.perf_counter()
        reviews.append(act.reject(store, source, target, "bench"))
        times.append(time.perf_counter() - t)
    last = time.perf_counter()
    stale_reads = overview_reads(store)
    out: dict[str, Any] = {
        "background": refresher is not None,
        "quiet_seconds": quiet,
        "edits": len(pairs),
        "gap_seconds": gap,
        "edit_seconds": {
            "min": round(min(times), 3),
            "median": round(statistics.median(times), 3),
            "max": round(max(times), 3),
        },
    }
    if refresher is not None:
        if not refresher.wait(WAIT):
            raise SystemExit(f"the refreshes did not settle in {WAIT} s")
        out["fresh_after_last_edit_seconds"] = round(time.perf_counter() - last, 1)
        out["refreshes"] = refresher.refreshes
        out["superseded"] = refresher.superseded  # given up half-way: an edit came
        out["failures"] = refresher.failures
        out["last_refresh_seconds"] = refresher.last.seconds if refresher.last else None
    out["fresh"] = is_fresh(store)
    out["overview_reads_seconds"] = {"after_last_edit": stale_reads, "now": overview_reads(store)}
    for review in reversed(reviews):  # leave the graph as built, its summary fresh
        undo(store, review.id, "bench")
    if refresher is not None:
        refresher.wait(WAIT)
    if not is_fresh(store):
        refresh_summary(store)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between two edits")
    parser.add_argument(
        "--quiet",
        type=float,
        default=QUIET_SECONDS,
        help="seconds without an edit before the background refresh starts",
    )
    parser.add_argument(
        "--no-background",
        action="store_true",
        help="the baseline: edits leave the summary stale (as `argmap review` does)",
    )
    parser.add_argument("--data-dir", type=Path, help="reuse this store directory (kept running)")
    parser.add_argument("--graph", default=GRAPH, help="graph name inside the store")
    args = parser.parse_args(argv)
    spec = SyntheticSpec(comments=args.comments, seed=args.seed)
    with synthetic_store_dir(args.data_dir, args.graph) as (store, _):
        build_s = build(store, spec)
        sizes = _counts(store)
        sync = refresh_summary(store).seconds  # also the state an ingest leaves: fresh
        quiet = None if args.no_background else args.quiet
        result = review_pass(store, args.edits, args.gap, quiet)
    print(
        json.dumps(
            {
                "store": "falkordb-embedded",
                "comments": args.comments,
                "seed": args.seed,
                **sizes,
                "build_seconds": round(build_s, 1),
                "sync_refresh_seconds": sync,
                **result,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
