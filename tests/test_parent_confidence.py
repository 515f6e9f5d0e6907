"""A rebuilt parent's confidence is the probability that it is right, and ``argmap eval`` shows
whether it is: bands of stated confidence against how often they are right, and a Brier score
beside the best constant's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argmap.graph.eval_confidence import calibration
from argmap.graph.eval_labels import load_labels
from argmap.graph.review_queue import OFFLINE_RELATION_RIGHT, relation_certainty, review_queue
from argmap.graph.store import Store
from argmap.ingest.parent_confidence import KNOTS, calibrated
from argmap.ingest.sources import load_threads
from argmap.ingest.thread import reconstruct_parents_scored
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.resources import sample_thread

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "sample_gold.csv"
runner = CliRunner()


def test_the_map_never_goes_down_stays_a_probability_and_passes_through_its_knots() -> None:
    grid = [i / 200 for i in range(201)]
    values = [calibrated(s) for s in grid]
    assert values == sorted(values)
    assert all(0.0 <= v <= 1.0 for v in values)
    for share, p in KNOTS:
        assert calibrated(share) == pytest.approx(p)
    assert calibrated(-0.2) == calibrated(0.0) and calibrated(1.7) == calibrated(1.0)


def test_a_locally_weak_place_the_page_chose_is_still_more_likely_right_than_not() -> None:
    # The beam keeps a place with a small share when the comments after it fit better; such
    # parents were right about 60% of the time on the tuning threads, not 5-30%.
    assert calibrated(0.05) > 0.5 and calibrated(0.3) > 0.5
    assert calibrated(0.95) > calibrated(0.65) > calibrated(0.3)


def test_the_sample_stores_calibrated_confidences_that_beat_a_constant() -> None:
    [thread] = load_threads(sample_thread(), "wordpress-text")
    posts = thread.posts
    _, shares = reconstruct_parents_scored(posts, [p.is_spam for p in posts])
    assert [p.parent_confidence for p in posts[1:]] == [
        calibrated(s) for s in shares[1:] if s is not None
    ]
    gold = {int(x.comment): int(x.parent) for x in load_labels(GOLD) if x.parent}
    right = {i: posts[i].parent_id == posts[gold[i]].id for i in gold}
    now = calibration([(float(posts[i].parent_confidence or 0), right[i]) for i in gold])
    before = calibration([(float(shares[i] or 0), right[i]) for i in gold])
    assert now is not None and before is not None and now.scored == 187
    # The raw share does worse than one constant for every parent; the calibrated one better.
    assert now.brier < now.brier_baseline < before.brier
    for band in now.bands:
        # Within about two standard errors of a band of 30-50 parents.
        if band.comments >= 30:
            assert abs(band.mean_confidence - band.right) < 0.15, band


def test_bands_and_brier_match_a_count_by_hand() -> None:
    got = calibration([(0.95, True), (1.0, False), (0.6, True), (0.2, False), (0.3, True)])
    assert got is not None and got.scored == 5
    # (0.05² + 1² + 0.4² + 0.2² + 0.7²) / 5; the constant is 3/5 right: (3 · 0.4² + 2 · 0.6²) / 5
    assert got.brier == pytest.approx(round((0.0025 + 1 + 0.16 + 0.04 + 0.49) / 5, 4))
    assert got.brier_baseline == pytest.approx(round((3 * 0.16 + 2 * 0.36) / 5, 4))
    assert [(b.low, b.comments, b.right) for b in got.bands] == [
        (0.9, 2, 0.5),
        (0.5, 1, 1.0),
        (0.0, 2, 0.5),
    ]
    assert calibration([]) is None


def test_argmap_eval_reports_the_bands_and_the_review_queue_says_how_likely(
    sample_env: Store,
) -> None:
    result = runner.invoke(app, ["eval", str(GOLD), "--json"])
    assert result.exit_code == 0, result.output
    cal = json.loads(result.stdout)["parents"]["calibration"]
    assert cal["scored"] == 187 and cal["brier"] < cal["brier_baseline"]
    assert sum(b["comments"] for b in cal["bands"]) == 187
    text = runner.invoke(app, ["eval", str(GOLD), "--limit", "0"]).stdout
    assert f"rebuilt parents by stated confidence (187): Brier {cal['brier']:.3f}" in text
    top = cal["bands"][0]
    assert f"{top['comments']} parents, stated" in text
    parents = review_queue(sample_env, kinds=["parent"], limit=None)
    assert parents and all(i.reason.endswith("likely to be right") for i in parents)
    assert min(i.certainty for i in parents) >= calibrated(0.0)


def test_offline_relations_queue_by_how_often_their_like_were_right() -> None:
    # The offline extractor's confidence ranks its evidence; the queue places its relations by
    # the share of such relations that were right, so they sit among parents of like odds.
    values = [relation_certainty(c / 100, "offline") for c in range(0, 101)]
    assert values == sorted(values) and 0.6 < values[0] and values[-1] < 0.95
    for confidence, right in OFFLINE_RELATION_RIGHT:
        assert relation_certainty(confidence, "offline") == pytest.approx(right)
    assert relation_certainty(0.35, "llm") == 0.35  # an LLM's stated confidence stands


def test_the_review_queue_puts_the_least_likely_right_first_across_kinds(
    sample_store: Store,
) -> None:
    items = review_queue(sample_store, limit=None)
    assert [i.certainty for i in items] == sorted(i.certainty for i in items)
    relations = [i for i in items if i.kind == "relation"]
    parents = [i for i in items if i.kind == "parent"]
    assert relations and parents
    for r in relations:  # stated confidence kept beside the place in the queue
        assert r.confidence is not None
        assert r.certainty == relation_certainty(r.confidence, "offline")
    # Parents less likely right than any offline relation come before every relation.
    unsure = [p for p in parents if p.certainty < OFFLINE_RELATION_RIGHT[0][1]]
    assert unsure
    first_relation = items.index(relations[0])
    assert all(items.index(p) < first_relation for p in unsure)
