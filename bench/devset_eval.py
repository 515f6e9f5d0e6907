"""Reply trees, spam and stance on threads nobody tuned for (the dev set) and on the sample, as JSON.

Every figure is ``argmap eval``'s (``argmap.graph.evaluation``) on the offline path (no store: the
thread is parsed, prepared and extracted in memory, then scored as its argmap JSON would be), with
the trivial baselines beside it:

- each Reddit thread rendered as a flattened WordPress page (``devset.to_wordpress_text``): parent
  accuracy (baselines reply-to-previous, reply-to-article) and genuine comments flagged as spam
  (baseline all-not-spam flags none); the raw Reddit files also as ``reddit-json`` and every
  Reddit tree as CSV with ``parent_id``: spam again (bots: ``sneakpeekbot``, AutoModerator);
- each Kialo debate as CSV with ``parent_id``: rebut/support towards the parent against Kialo's
  Con/Pro (baseline always-rebuts);
- the bundled sample against ``tests/data/sample_stance.csv`` (parents, spam, stance), extracted
  on the rebuilt tree and, as a diagnostic (``on_true_tree``), on the labelled tree: how much of
  the rebuttal error is the reply tree's.

``split`` says which files were tuned on (``tune``) and which are only reported (``report``); the
``summary`` pools each split. The dev set is read from ``$ARGMAP_DEVSET`` or ``../shared/devset``.

    python bench/devset_eval.py [--only NAME] [--split tune|report] [--stance-model nli]
        [--extra-tune DIR] [--heldout DIR] [--disagreements] > bench/devset_latest.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.graph.eval_labels import load_labels, parse_labels  # noqa: E402
from argmap.graph.evaluation import EvalReport, evaluate  # noqa: E402
from argmap.ingest.extract.offline import OfflineExtractor  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402

from argmap.core.models import Thread  # noqa: E402
from argmap.core.resources import sample_thread  # noqa: E402

GOLD = BENCH.parent / "tests" / "data" / "sample_stance.csv"  # parents, spam and stance
# A second annotator's parents and spam for the sample, written blind to ours and to the rebuild.
INDEPENDENT = BENCH.parent / "tests" / "data" / "sample_gold_independent.csv"
# A third annotator's stance on the second annotator's tree, written blind (tests/data/README.md).
INDEPENDENT_STANCE = BENCH.parent / "tests" / "data" / "sample_stance_independent.csv"


def _post_rows(thread: Thread) -> list[dict[str, Any]]:
    """``thread``'s posts as JSON v1 post objects, without their text."""
    return [
        {
            "id": p.id,
            "thread_id": thread.id,
            "kind": p.kind,
            "author": p.author,
            "position": p.position,
            "parent_id": p.parent_id,
            "parent_confidence": p.parent_confidence,
            "is_spam": p.is_spam,
        }
        for p in thread.posts
    ]


STANCE_MODEL = {"name": "none"}  # --stance-model: the offline extractor's (none or nli)


def offline_graph(thread: Thread) -> dict[str, Any]:
    """``thread`` extracted offline, as the argmap JSON v1 object a store would export."""
    extractor = OfflineExtractor(stance_model=STANCE_MODEL["name"])
    results = list(extractor.extract(thread, {}))
    return {
        "format": "argmap-json",
        "version": 1,
        "threads": [
            {"id": thread.id, "title": thread.title, "source_format": thread.source_format}
        ],
        "posts": _post_rows(thread),
        "claims": [c.model_dump() for r in results for c in r.claims],
        "relations": [
            rel.model_dump() for r in results for rel in r.relations if not rel.candidate
        ],
        "candidates": [rel.model_dump() for r in results for rel in r.relations if rel.candidate],
    }


def _load(text: str, fmt: str, suffix: str) -> Thread:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"thread{suffix}"
        path.write_text(text, encoding="utf-8")
        [thread] = load_threads(path, fmt)
    return thread


def _jsonl(rows: list[dict]) -> str:
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def _relation_figures(report: EvalReport) -> dict[str, Any]:
    return {
        "rebuts": report.rebuts.model_dump(),
        "supports": report.supports.model_dump(),
        "rebuts_baseline_every_reply": report.rebuts_baseline.model_dump(),
        "stance": report.stance.model_dump(),
    }


def _figures(report: EvalReport, keep: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"comments": report.comments}
    if report.parents.labelled:
        out["parents"] = report.parents.model_dump()
    if report.spam.labelled:
        s = report.spam
        out["spam"] = {
            "genuine": s.genuine,
            "genuine_flagged": s.score.fp,
            "false_positive_rate": s.false_positive_rate,
            "bots": s.spam,
            "bots_caught": s.score.tp,
            "baseline_all_not_spam": {"genuine_flagged": 0, "bots_caught": 0},
        }
    if report.relation_labels:
        out.update(_relation_figures(report))
    if keep:
        out["disagreements"] = [d.model_dump() for d in report.disagreements]
    return out


def score(thread: Thread, label_rows: list[dict], keep: bool, extract: bool) -> dict[str, Any]:
    graph = offline_graph(thread) if extract else _tree_only(thread)
    labels = parse_labels(_jsonl(label_rows), "labels")
    out = _figures(evaluate(graph, labels), keep)
    if "stance" in out:
        out["with_candidates"] = _with_candidates(evaluate(graph, labels, candidates=True))
    return out


def _with_candidates(report: EvalReport) -> dict[str, Any]:
    """The relation figures when the hidden candidates count too (``argmap eval --candidates``)."""
    return {
        "rebuts": report.rebuts.model_dump(),
        "supports": report.supports.model_dump(),
        "stance": report.stance.model_dump(),
    }


def _tree_only(thread: Thread) -> dict[str, Any]:
    graph = offline_graph(thread.model_copy(update={"posts": [thread.article]}))
    graph["posts"] = _post_rows(thread)
    return graph


def devset_figures(path: Path, split: str, keep: bool) -> dict[str, Any]:
    tree = devset.load_tree(path)
    rows = devset.labels(tree)
    out: dict[str, Any] = {
        "file": path.name,
        "split": split,
        "kind": tree.kind,
        "comments": len(rows),
    }
    started = time.perf_counter()
    if tree.kind == "kialo":
        out["csv"] = score(_load(devset.to_csv(tree), "csv", ".csv"), rows, keep, extract=True)
    else:
        out["wordpress_text"] = score(
            _load(devset.to_wordpress_text(tree), "wordpress-text", ".txt"),
            rows,
            keep,
            extract=False,
        )
        spam_rows = [{"position": r["position"], "is_spam": r["is_spam"]} for r in rows]
        out["csv"] = score(
            _load(devset.to_csv(tree), "csv", ".csv"), spam_rows, keep, extract=False
        )
        if tree.kind == "reddit-raw":
            thread = _load(tree.raw, "reddit-json", ".json")
            out["reddit_json"] = score(thread, devset.reddit_json_labels(tree), keep, extract=False)
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def sample_figures(gold: Path, keep: bool) -> dict[str, Any]:
    [thread] = load_threads(sample_thread(), "wordpress-text")
    graph, labels = offline_graph(thread), load_labels(gold)
    out = {"file": "sample", "split": "sample", "gold": gold.name}
    out.update(_figures(evaluate(graph, labels), keep))
    if INDEPENDENT.exists():
        second = load_labels(INDEPENDENT)
        figures = _figures(evaluate(graph, second), keep)
        ours = {x.comment: x.parent for x in labels}
        same = sum(ours.get(x.comment) == x.parent for x in second if x.parent is not None)
        figures["agreement_with_our_parents"] = {
            "labelled": sum(x.parent is not None for x in second),
            "same_parent": same,
        }
        out["independent_labels"] = {"gold": INDEPENDENT.name, **figures}
    if INDEPENDENT_STANCE.exists():
        second = load_labels(INDEPENDENT_STANCE)
        out["independent_stance"] = {
            "gold": INDEPENDENT_STANCE.name,
            **_relation_figures(evaluate(graph, second)),
            "with_candidates": _with_candidates(evaluate(graph, second, candidates=True)),
        }
    if "stance" in out:
        out["with_candidates"] = _with_candidates(evaluate(graph, labels, candidates=True))
        # The same extraction on the labelled tree: what the stance logic does given true parents.
        true = _with_parents(thread, {int(x.comment): int(x.parent) for x in labels if x.parent})
        on_true = evaluate(offline_graph(true), labels)
        out["on_true_tree"] = {
            "rebuts": on_true.rebuts.model_dump(),
            "supports": on_true.supports.model_dump(),
            "stance": on_true.stance.model_dump(),
        }
    return out


def _with_parents(thread: Thread, parents: dict[int, int]) -> Thread:
    """``thread`` with the labelled parents (positions) in place of the rebuilt ones (given, so
    no longer carrying the rebuilt tree's confidence)."""
    posts = [
        p.model_copy(update={"parent_id": thread.posts[parents[i]].id, "parent_confidence": None})
        if i in parents
        else p
        for i, p in enumerate(thread.posts)
    ]
    return thread.model_copy(update={"posts": posts})


def _pool_calibration(cals: list[dict[str, Any]]) -> dict[str, Any]:
    """Threads' parent-confidence bands and Brier scores pooled over their comments (the
    baseline: each thread's own best constant)."""
    n = sum(c["scored"] for c in cals)
    bands: dict[tuple[float, float], list[float]] = {}
    for band in (b for c in cals for b in c["bands"]):
        got = bands.setdefault((band["low"], band["high"]), [0, 0.0, 0.0])
        got[0] += band["comments"]
        got[1] += band["mean_confidence"] * band["comments"]
        got[2] += band["right"] * band["comments"]
    return {
        "scored": n,
        "brier": round(sum(c["brier"] * c["scored"] for c in cals) / n, 4),
        "brier_baseline": round(sum(c["brier_baseline"] * c["scored"] for c in cals) / n, 4),
        "bands": [
            {
                "low": lo,
                "high": hi,
                "comments": k,
                "mean_confidence": round(m / k, 4),
                "right": round(r / k, 4),
            }
            for (lo, hi), (k, m, r) in sorted(bands.items(), reverse=True)
        ],
    }


def _pool(threads: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro averages over a split's threads."""
    out: dict[str, Any] = {}
    parents = [t["wordpress_text"]["parents"] for t in threads if "wordpress_text" in t]
    if parents:
        n = sum(p["labelled"] for p in parents)
        out["wordpress_parents"] = {
            "labelled": n,
            "accuracy": round(sum(p["correct"] for p in parents) / n, 4),
            "reply_to_previous": round(
                sum(p["reply_to_previous"] * p["labelled"] for p in parents) / n, 4
            ),
            "reply_to_article": round(
                sum(p["reply_to_article"] * p["labelled"] for p in parents) / n, 4
            ),
        }
        cals = [p["calibration"] for p in parents if p.get("calibration")]
        if cals:
            out["wordpress_parents"]["calibration"] = _pool_calibration(cals)
    for source in ("wordpress_text", "reddit_json", "csv"):
        spam = [t[source]["spam"] for t in threads if source in t and "spam" in t[source]]
        if spam:
            genuine = sum(s["genuine"] for s in spam)
            flagged = sum(s["genuine_flagged"] for s in spam)
            out[f"{source}_spam"] = {
                "genuine": genuine,
                "genuine_flagged": flagged,
                "false_positive_rate": round(flagged / genuine, 4) if genuine else None,
                "bots": sum(s["bots"] for s in spam),
                "bots_caught": sum(s["bots_caught"] for s in spam),
            }
    stance = [t["csv"]["stance"] for t in threads if "stance" in t.get("csv", {})]
    if stance:
        n = sum(s["labelled"] for s in stance)
        hidden = [
            t["csv"]["with_candidates"]["stance"] for t in threads if "stance" in t.get("csv", {})
        ]
        out["kialo_stance"] = {
            "labelled": n,
            "accuracy": round(sum(s["agree"] for s in stance) / n, 4),
            "accuracy_with_candidates": round(sum(s["agree"] for s in hidden) / n, 4),
            "always_rebuts": round(sum(s["always_rebuts"] * s["labelled"] for s in stance) / n, 4),
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only the dev-set file whose name contains this")
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument(
        "--heldout",
        type=Path,
        help="a folder of further threads in the dev set's formats (kept outside the repository),"
        " scored as the split 'heldout': data nothing was tuned or looked at on",
    )
    parser.add_argument(
        "--extra-tune",
        type=Path,
        help="a folder of further real threads to tune on (flat Reddit comment lists with real "
        "times, kept outside the repository; bench/README.md says where they come from), scored "
        "as the split 'tune-extra'",
    )
    parser.add_argument(
        "--stance-model",
        choices=("none", "nli"),
        default="none",
        help="the offline extractor's stance model for the hidden guesses (nli: pip install "
        "'argmap[nli]')",
    )
    parser.add_argument(
        "--split",
        choices=("tune", "report"),
        help="only this split's dev-set files (and the sample with tune)",
    )
    args = parser.parse_args(argv)
    STANCE_MODEL["name"] = args.stance_model
    out: dict[str, Any] = {"devset": None, "stance_model": args.stance_model, "threads": []}
    root = devset.devset_dir()
    if root is None:
        out["skipped"] = "no dev set: set ARGMAP_DEVSET or put it at ../shared/devset"
    else:
        out["devset"] = str(root)
        for split, names in (("tune", devset.TUNE), ("report", devset.REPORT)):
            if args.split not in (None, split):
                continue
            for name in names:
                if args.only and args.only not in name:
                    continue
                out["threads"].append(devset_figures(root / name, split, args.disagreements))
    for folder, split in ((args.extra_tune, "tune-extra"), (args.heldout, "heldout")):
        for path in sorted(folder.glob("[!_]*")) if folder is not None else []:
            if path.suffix in (".json", ".txt") and (not args.only or args.only in path.name):
                out["threads"].append(devset_figures(path, split, args.disagreements))
    if not args.only and args.split != "report":
        out["threads"].append(sample_figures(args.gold, args.disagreements))
    splits = tuple(s for s in ("tune", "report") if args.split in (None, s))
    splits += ("tune-extra",) if args.extra_tune is not None else ()
    splits += ("heldout",) if args.heldout is not None else ()
    out["summary"] = {
        split: _pool([t for t in out["threads"] if t["split"] == split]) for split in splits
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
