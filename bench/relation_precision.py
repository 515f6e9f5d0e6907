"""Issue 16, seventh session: how often the offline extractor's stored relations are right, by their
stated confidence. As JSON.

The Review queue puts the items least likely to be right first. Rebuilt parents now state that
probability (``ingest.parent_confidence``); the offline extractor's relation confidences do not:
they rank the evidence (a cue, a weak cue, the prior) rather than measure it. Read against the
labelled relations of the tuning data (the sample's ``tests/data/sample_stance.csv`` and the dev
set's tune debate), a relation is right when the labels give its source comment that relation
type towards its target post. Fitted: a logistic regression of "right" on the confidence (two
parameters: 160 relations are too few for isotonic regression, which follows single
relations), read at confidences 0.2, 0.3, ..., 1 (``graph.review_queue.OFFLINE_RELATION_RIGHT``;
scikit-learn, not a dependency of argmap).
Needs the dev set and ``pip install scikit-learn``.

    python bench/relation_precision.py > bench/relation_precision.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.graph.eval_labels import Label, load_labels, parse_labels  # noqa: E402
from argmap.graph.review_queue import OFFLINE_RELATION_RIGHT  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from devset_eval import GOLD, _jsonl, _load, offline_graph  # noqa: E402

from argmap.core.models import Thread  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402

GRID = [round(0.2 + 0.1 * i, 1) for i in range(9)]


def _points(thread: Thread, labels: list[Label]) -> list[tuple[float, bool]]:
    """(confidence, right) for each stored relation from a labelled comment."""
    graph = offline_graph(thread)
    post_of = {c["id"]: c["post_id"] for c in graph["claims"]}
    position = {p.id: p.position for p in thread.posts}
    gold: dict[tuple[int, int], str] = {}
    labelled = set()
    for x in labels:
        if x.relations is not None:
            labelled.add(int(x.comment))
            gold.update({(int(x.comment), int(key)): kind for kind, key in x.relations})
        elif x.stance is not None:
            labelled.add(int(x.comment))
            if x.parent is not None:
                gold[(int(x.comment), int(x.parent))] = x.stance
    out = []
    for r in graph["relations"]:
        a, b = position[post_of[r["source"]]], position[post_of[r["target"]]]
        if a in labelled:
            out.append((float(r["confidence"]), gold.get((a, b)) == r["type"]))
    return out


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    folder = devset.devset_dir()
    if folder is None:
        sys.exit("the dev set is not there: set ARGMAP_DEVSET or put it at ../shared/devset")
    [sample] = load_threads(sample_thread(), "wordpress-text")
    tree = devset.load_tree(folder / devset.TUNE[2])
    debate = _load(devset.to_csv(tree), "csv", ".csv")
    sets = {
        "sample": _points(sample, load_labels(GOLD)),
        "tune_debate": _points(debate, parse_labels(_jsonl(devset.labels(tree)), "labels")),
    }
    points = np.array([p for v in sets.values() for p in v], dtype=float)
    fit = LogisticRegression(C=1e6).fit(points[:, :1], points[:, 1].astype(int))
    right = fit.predict_proba(np.array(GRID).reshape(-1, 1))[:, 1]
    knots = [(x, round(float(y), 3)) for x, y in zip(GRID, right, strict=True)]
    bands: list[dict[str, Any]] = []
    for lo, hi in ((0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        m = (points[:, 0] >= lo) & (points[:, 0] < hi)
        if m.any():
            bands.append(
                {
                    "confidence": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                    "relations": int(m.sum()),
                    "right": round(float(points[m, 1].mean()), 3),
                }
            )
    print(
        json.dumps(
            {
                "relations": {k: len(v) for k, v in sets.items()},
                "right": round(float(points[:, 1].mean()), 4),
                "bands": bands,
                "fitted_knots": knots,
                "product_knots_equal_fit": [tuple(k) for k in OFFLINE_RELATION_RIGHT] == knots,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
