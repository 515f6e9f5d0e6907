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

The reviewer is simulated by the labels the graph is scored against (a reviewer who reads the
thread as that annotator did), for each label file: the independent annotators'
(``tests/data/sample_stance_independent.csv``: parents of the second, stance of the third) and
ours (``tests/data/sample_stance.csv``). Nothing here is tuned: it measures the review workflow.

    python bench/review_effort.py [--step 10] > bench/review_effort.json
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
sys.path.insert(0, str(ROOT))

from argmap.graph import review_actions as act  # noqa: E402
from argmap.graph.embedded import ensure_server, stop_server  # noqa: E402
from argmap.graph.eval_labels import Label, load_labels  # noqa: E402
from argmap.graph.evaluation import evaluate  # noqa: E402
from argmap.graph.export_json import export_json  # noqa: E402
from argmap.graph.review_queue import review_queue  # noqa: E402
from argmap.graph.store import Store, open_store  # noqa: E402
from argmap.ingest.pipeline import ingest  # noqa: E402

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


def review_curve(store: Store, labels: list[Label], step: int) -> list[dict[str, Any]]:
    """Review the parent queue ``step`` items at a time, re-ingesting and scoring after each."""
    sample = sample_thread()
    ingest(sample, store, extractor="offline")
    by_position = {
        int(p["position"]): p["id"]
        for p in store.run_read("MATCH (p:Post) RETURN p.position AS position, p.id AS id")
    }
    truth = {by_position[int(x.comment)]: by_position[int(x.parent)] for x in labels if x.parent}
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=int, default=10, help="parent items per review round")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    out: dict[str, Any] = {"step": args.step, "reviewer_and_labels": {}}
    with tempfile.TemporaryDirectory(prefix="argmap-review-effort-") as tmp:
        ensure_server(Path(tmp))
        try:
            for name, path in LABELS.items():
                store = open_store(tmp, f"effort_{name}")
                try:
                    store.clear()
                    curve = review_curve(store, load_labels(path), args.step)
                    out["reviewer_and_labels"][name] = {"labels": path.name, "curve": curve}
                finally:
                    store.close()
        finally:
            stop_server(Path(tmp))
    out["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
