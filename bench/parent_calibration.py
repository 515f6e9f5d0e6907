"""Issue 16, seventh session: does a rebuilt parent's confidence mean what it says? As JSON.

The decoder's raw share (the chosen parent's softmax share among the places its path offered) is
not a probability: on the tuning threads, parents it gave under 10% were right 69% of the time
(the beam keeps a locally weaker place when the comments after it fit better), and its Brier
score was worse than a constant's. This script fits the map ``ingest.parent_confidence`` uses:

- the points: every labelled comment of the tuning threads (the sample against our labels, the
  dev set's tune-split Reddit threads and ``--extra-tune DIR``, all as flattened pages) with the
  raw share of its rebuilt parent and whether that parent is right;
- the fit: isotonic regression (scikit-learn, not a dependency of argmap) of each tenth of the
  share's range, a knot at each tenth's middle (a short table the product interpolates), checked
  leaving each thread out in turn (fit on the others, score the one left out);
- ``--report`` / ``--heldout DIR``: the fixed knots on threads nothing was fitted to, scored once.

Each figure is a Brier score (mean squared error of the stated confidence; lower is better) with
the trivial baseline beside it: a constant confidence, the tuning threads' accuracy. Needs the
dev set and ``pip install scikit-learn``.

    python bench/parent_calibration.py --extra-tune /work/extra-tune [--report] \
        [--heldout DIR] > bench/parent_calibration.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.graph.eval_confidence import calibration  # noqa: E402
from argmap.graph.eval_labels import load_labels  # noqa: E402
from argmap.ingest.parent_confidence import KNOTS, calibrated  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from argmap.ingest.thread import reconstruct_parents_scored  # noqa: E402
from devset_eval import GOLD, _load  # noqa: E402

from argmap.core.models import Thread  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402

GRID = [round(0.1 * i, 1) for i in range(11)]


def _points(thread: Thread, parent_of: dict[int, int]) -> np.ndarray:
    """(raw share, right) for each labelled comment of ``thread`` rebuilt as a page."""
    posts = thread.posts
    parents, shares = reconstruct_parents_scored(posts, [p.is_spam for p in posts])
    rows = [
        (shares[i], float(parents[i] == parent_of[i]))
        for i in range(1, len(posts))
        if i in parent_of and shares[i] is not None
    ]
    return np.array(rows, dtype=float).reshape(-1, 2)


def _page(path: Path) -> np.ndarray:
    tree = devset.load_tree(path)
    thread = _load(devset.to_wordpress_text(tree), "wordpress-text", ".txt")
    return _points(thread, {r["position"]: r["parent"] for r in devset.labels(tree)})


def _sample() -> np.ndarray:
    [thread] = load_threads(sample_thread(), "wordpress-text")
    labels = load_labels(GOLD)
    return _points(thread, {int(x.comment): int(x.parent) for x in labels if x.parent})


def _knots(points: np.ndarray) -> list[tuple[float, float]]:
    """Isotonic regression over the share's tenths (each tenth's share right, weighted by its
    comments), one knot at each tenth's middle: a knot rests on a tenth's comments, not on the
    few at an end of the range (fitted on single comments, the knot at share 0 followed three)."""
    from sklearn.isotonic import IsotonicRegression

    tenth = np.minimum((points[:, 0] * 10).astype(int), 9)
    held = [t for t in range(10) if (tenth == t).any()]
    centres = [round(0.1 * t + 0.05, 2) for t in held]
    right = [float(points[tenth == t, 1].mean()) for t in held]
    weight = [int((tenth == t).sum()) for t in held]
    fit = IsotonicRegression(y_min=0.0, y_max=1.0).fit(centres, right, sample_weight=weight)
    return [(x, round(float(y), 3)) for x, y in zip(centres, fit.predict(centres), strict=True)]


def _interp(knots: list[tuple[float, float]], share: np.ndarray) -> np.ndarray:
    xs, ys = zip(*knots, strict=True)
    return np.interp(share, xs, ys)  # flat beyond the end knots, as ``calibrated``


def _brier(stated: np.ndarray, right: np.ndarray) -> float:
    return round(float(np.mean((stated - right) ** 2)), 4)


def _bands(stated: np.ndarray, right: np.ndarray) -> list[dict[str, Any]]:
    """The bands ``argmap eval`` prints (``graph.eval_confidence``)."""
    got = calibration([(float(c), bool(r)) for c, r in zip(stated, right, strict=True)])
    return [b.model_dump() for b in got.bands] if got is not None else []


def _review_curve(raw: np.ndarray, right: np.ndarray) -> list[dict[str, Any]]:
    """Checking the least sure parents first (the Review queue's order): the share of wrong
    parents found after checking each share of them. Ties go by the raw share, as the
    calibrated map is flat in places."""
    order = np.argsort(raw, kind="stable")
    wrong = (1.0 - right[order]).cumsum()
    total = max(1.0, float(wrong[-1]))
    out = []
    for share in (0.1, 0.2, 0.3, 0.5):
        k = int(round(share * len(raw)))
        out.append({"checked": share, "wrong_found": round(float(wrong[k - 1]) / total, 3)})
    return out


def _scored(points: np.ndarray, constant: float, knots: list[tuple[float, float]]) -> dict:
    raw, right = points[:, 0], points[:, 1]
    now = _interp(knots, raw)
    return {
        "review_least_sure_first": _review_curve(raw, right),
        "comments": len(points),
        "accuracy": round(float(right.mean()), 4),
        "brier_raw_share": _brier(raw, right),
        "brier_calibrated": _brier(now, right),
        "brier_baseline_constant": _brier(np.full(len(right), constant), right),
        "bands_raw_share": _bands(raw, right),
        "bands_calibrated": _bands(now, right),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-tune", type=Path, help="further real threads to fit on")
    parser.add_argument("--report", action="store_true", help="score the report split once")
    parser.add_argument("--heldout", type=Path, help="a folder of held-out threads, scored once")
    args = parser.parse_args(argv)
    folder = devset.devset_dir()
    if folder is None:
        sys.exit("the dev set is not there: set ARGMAP_DEVSET or put it at ../shared/devset")
    tune = {"sample": _sample()}
    tune.update({n: _page(folder / n) for n in devset.TUNE if n.startswith("reddit")})
    if args.extra_tune is not None:
        tune.update({p.name: _page(p) for p in sorted(args.extra_tune.glob("reddit_*.json"))})
    pooled = np.vstack(list(tune.values()))
    constant = float(pooled[:, 1].mean())
    knots = _knots(pooled)
    out: dict[str, Any] = {
        "fitted_knots": knots,
        "product_knots": [list(k) for k in KNOTS],
        "product_knots_equal_fit": [tuple(k) for k in KNOTS] == knots,
        "constant_baseline": round(constant, 4),
        "tune": _scored(pooled, constant, knots),
        "leave_one_thread_out": {},
    }
    for name, points in tune.items():
        rest = np.vstack([p for n, p in tune.items() if n != name])
        row = _scored(points, float(rest[:, 1].mean()), _knots(rest))
        out["leave_one_thread_out"][name] = {
            k: v for k, v in row.items() if "bands" not in k and "review" not in k
        }
    # Threads nothing was fitted to: the product's own knots, as a user gets them.
    product = [tuple(k) for k in KNOTS]
    check = np.array([calibrated(s) for s in GRID])
    assert np.allclose(check, _interp(product, np.array(GRID))), "calibrated() is the interpolation"
    unseen: dict[str, list[Path]] = {}
    if args.report:
        unseen["report"] = [folder / n for n in devset.REPORT if n.startswith("reddit")]
    if args.heldout is not None:
        unseen["heldout"] = sorted(args.heldout.glob("reddit_*.json"))
    for split, paths in unseen.items():
        points = np.vstack([_page(p) for p in paths])
        out[split] = {"threads": [p.name for p in paths], **_scored(points, constant, product)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
