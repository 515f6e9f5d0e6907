"""A reviewer who fixes every rebuilt parent gets the graph the extraction gives on the true tree:
moved replies are extracted again against their new parents (``bench/review_effort.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

from argmap.graph.eval_labels import load_labels
from argmap.graph.evaluation import evaluate
from argmap.graph.store import Store
from argmap.ingest.sources import load_threads

from argmap.core.resources import sample_thread

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from devset_eval import _with_parents, offline_graph  # noqa: E402
from review_effort import review_curve  # noqa: E402

STANCE = ROOT / "tests" / "data" / "sample_stance.csv"


def test_fixing_every_parent_gives_the_true_trees_rebuttals(store: Store) -> None:
    labels = load_labels(STANCE)
    curve = review_curve(store, labels, step=200)
    before, after = curve[0], curve[-1]
    assert after["parents_accuracy"] == 1.0 and before["parents_accuracy"] < 0.9
    assert after["moved"] == after["extracted_again"] > 0
    [thread] = load_threads(sample_thread(), "wordpress-text")
    true = _with_parents(thread, {int(x.comment): int(x.parent) for x in labels if x.parent})
    expected = evaluate(offline_graph(true), labels)
    assert after["rebuts"] == expected.rebuts.model_dump()
    assert after["supports"] == expected.supports.model_dump()
    assert after["rebuts"]["f1"] > before["rebuts"]["f1"]
