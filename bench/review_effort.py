"""How much a reviewer's parent fixes buy: the sample's graph after reviewing the least-sure
rebuilt parents, k at a time, as JSON.

The rebuttal figures of issue 16 are bound to the reply tree (a relation to the wrong parent is
both a false and a missed rebuttal: `devset_eval.py`'s ``on_true_tree``). A scholar fixes parents
on the Review page or with ``argmap review set-parent``; a moved reply is extracted again at the
next ``argmap ingest`` against its new parent (``graph.review_state``). This bench plays that
scholar on the bundled sample in an embedded FalkorDB store:

1. ``argmap ingest`` of the sample, offline;
2. the parent items of ``argmap review list --kind parent`` (least sure first) are decided one
   after another from a label file: confirmed where the rebuilt parent is the labelled one,
   moved to the labelled parent otherwise; after every ``--step`` items the sample is ingested
   again (only moved replies are extracted again) and the store is scored with ``argmap eval``.

The reviewer is simulated by a label file: the one the graph is scored against (a reviewer who
reads the thread as that annotator did), for the independent annotators'
(``tests/data/sample_stance_independent.csv``: parents of the second, stance of the third) and for
ours (``tests/data/sample_stance.csv``); and ours scored against the independent ones (a reviewer
who is not the scorer's annotator: the two agree on 91% of parents). Nothing here is tuned: it
measures the review workflow.

With ``--devset``, also the dev set's Reddit threads as flattened pages (tune and report split),
parents only: the tree's accuracy after a person checks the least-sure 10-50% of parents.

    python bench/review_effort.py [--step 10] [--devset] > bench/review_effort.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from argmap.graph import review_actions as act  # noqa: E402
from argmap.graph.embedded import ensure_server  # noqa: E402
from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.eval_labels import Label, load_labels  # noqa: E402
from argmap.graph.evaluation import evaluate  # noqa: E402
from argmap.graph.export_json import export_json  # noqa: E402
from argmap.graph.review_queue import review_queue  # noqa: E402
from argmap.graph.store import Store, open_store  # noqa: E402
from argmap.ingest.pipeline import ingest  # noqa: E402
from devset import devset_dir  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

LABELS = {
    "independent": ROOT / "tests" / "data" / "sample_stance_independent.csv",
    "ours": ROOT / "tests" / "data" / "sample_stance.csv",
}


def _figures(store: Store, labels: list[Label]) -> dict[str, Any]:
    report = evaluate(export_json(store), labels)
    parents = report.parents
    return {
        "parents_right": parents.correct,
        "parents_accuracy": parents.accuracy,
        "rebuts": report.rebuts.model_dump(),
        "rebuts_baseline_every_reply": report.rebuts_baseline.model_dump(),
        "supports": report.supports.model_dump(),
    }


def review_curve(
    store: Store, labels: list[Label], step: int, reviewer: list[Label] | None = None
) -> list[dict[str, Any]]:
    """Review the parent queue ``step`` items at a time as ``reviewer`` reads the thread (by
    default as ``labels`` do), re-ingesting and scoring against ``labels`` after each."""
    sample = sample_thread()
    ingest(sample, store, extractor="offline")
    by_position = {
        int(p["position"]): p["id"]
        for p in store.run_read("MATCH (p:Post) RETURN p.position AS position, p.id AS id")
    }
    truth = {
        by_position[int(x.comment)]: by_position[int(x.parent)]
        for x in (reviewer or labels)
        if x.parent
    }
    queue = [i for i in review_queue(store, kinds=["parent"], limit=None) if i.source in truth]
    rows = [{"reviewed": 0, "moved": 0, "extracted_again": 0, **_figures(store, labels)}]
    moved = 0
    for start in range(0, len(queue), step):
        for item in queue[start : start + step]:
            right = truth[item.source]
            moved += right != item.target
            act.set_parent(store, item.source, right, "bench")
        summary = ingest(sample, store, extractor="offline")
        rows.append(
            {
                "reviewed": min(start + step, len(queue)),
                "moved": moved,
                "extracted_again": summary.extracted_now,
                "next_certainty": queue[start + step].certainty
                if start + step < len(queue)
                else None,
                **_figures(store, labels),
            }
        )
    return rows


SHARES = (0.0, 0.1, 0.2, 0.3, 0.5)  # of a page's comments, least sure first


def devset_parents(root: Path) -> dict[str, Any]:
    """Parent accuracy of the dev set's Reddit threads as flattened pages after a person checks
    the least-sure ``SHARES`` of their rebuilt parents (the true tree as the reviewer), pooled
    by split. Parents only (no stance labels there), computed in memory: a reviewed parent
    changes no other (an ingest keeps the person's and rebuilds the rest as before)."""
    from argmap.ingest.thread import prepare_thread
    from devset import REPORT, TUNE, labels, load_tree, to_wordpress_text
    from devset_eval import _load

    out: dict[str, Any] = {}
    for split, names in (("tune", TUNE), ("report", REPORT)):
        pooled = [0] * len(SHARES)
        total = 0
        threads = {}
        for name in names:
            if name.startswith("kialo"):
                continue  # a Kialo export gives its tree
            tree = load_tree(root / name)
            thread = prepare_thread(_load(to_wordpress_text(tree), "wordpress-text", ".txt"))
            index = {q.id: i for i, q in enumerate(thread.posts)}
            truth = {r["position"]: r["parent"] for r in labels(tree)}
            got = {i: index.get(q.parent_id or "", 0) for i, q in enumerate(thread.posts) if i}
            order = sorted(truth, key=lambda i: (thread.posts[i].parent_confidence or 1.0, i))
            right = []
            for share in SHARES:
                checked = set(order[: round(share * len(order))])
                right.append(sum(i in checked or got[i] == truth[i] for i in truth))
            threads[name] = {"comments": len(truth), "right": right}
            pooled = [a + b for a, b in zip(pooled, right, strict=True)]
            total += len(truth)
        out[split] = {
            "comments": total,
            "accuracy": {
                f"{s:.0%} checked": round(r / total, 4) for s, r in zip(SHARES, pooled, strict=True)
            },
            "threads": threads,
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=10, help="parent items per review round")
    parser.add_argument(
        "--devset",
        action="store_true",
        help="also the dev set's Reddit pages, parents only ($ARGMAP_DEVSET or ../shared/devset)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out: dict[str, Any] = {"step": args.step, "reviewer_and_labels": {}}
    with tempfile.TemporaryDirectory(prefix="argmap-review-effort-") as tmp:
        ensure_server(Path(tmp))
        try:
            # (scored on, reviewer): the labeller, or another person (ours, scored on theirs)
            runs = [("independent", "independent"), ("ours", "ours"), ("independent", "ours")]
            for scored, by in runs:
                name = scored if scored == by else f"{scored}_reviewed_by_{by}"
                store = open_store(tmp, f"effort_{name}")
                try:
                    store.clear()
                    labels, reviewer = load_labels(LABELS[scored]), load_labels(LABELS[by])
                    curve = review_curve(store, labels, args.step, reviewer)
                    out["reviewer_and_labels"][name] = {
                        "labels": LABELS[scored].name,
                        "reviewer": LABELS[by].name,
                        "curve": curve,
                    }
                finally:
                    store.close()
        finally:
            stop_server(Path(tmp))
    root = devset_dir()
    if args.devset and root is not None:
        out["devset_pages_parents"] = devset_parents(root)
    out["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
