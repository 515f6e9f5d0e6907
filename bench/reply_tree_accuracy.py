"""Reply-tree and spam accuracy on the bundled sample against its hand labels, as one JSON object.

- ``accuracy``: the share of comments whose rebuilt parent is the labelled one (``correct`` of
  ``comments``); ``accuracy_high`` / ``_medium`` / ``_low``: the same on the rows labelled with
  that confidence (``rows_high``...);
- ``top_level`` / ``gold_top_level``: comments answering the article, rebuilt and labelled;
- ``spam_precision``, ``spam_recall`` (``spam_flagged``, ``gold_spam``, ``spam_correct``);
- ``seconds``: parse, spam marking and reconstruction of the sample;
- with ``--synthetic N``: the same measure on a synthetic WordPress thread of N comments with a
  known tree (``bench/synthetic_wordpress.py``; its words are drawn from the sample, so only its
  addressing, quotes and times carry signal), with its time.

    python bench/reply_tree_accuracy.py [--gold tests/data/sample_gold.csv] [--synthetic 10000]

(``--gold tests/data/sample_gold_independent.csv``: the second annotator's labels, written blind.)
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from argmap.ingest.sources import load_threads  # noqa: E402
from argmap.ingest.sources.wordpress_text import parse  # noqa: E402
from argmap.ingest.thread import prepare_thread  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

GOLD = BENCH.parent / "tests" / "data" / "sample_gold.csv"


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _parent(row: dict[str, str]) -> str:
    # The hand labels name it parent_position; the independent set, as `argmap eval` reads, parent.
    return row.get("parent_position") or row["parent"]


def sample_figures(sample: Path, gold_path: Path) -> dict:
    start = time.perf_counter()
    [thread] = load_threads(sample, "wordpress-text")
    seconds = time.perf_counter() - start
    with gold_path.open(encoding="utf-8") as f:
        gold = {int(r["position"]): r for r in csv.DictReader(f)}
    position = {p.id: p.position for p in thread.posts}
    out: dict = {"sample": str(sample), "gold": str(gold_path), "comments": len(thread.comments)}
    hits = {
        p.position: position.get(p.parent_id) == int(_parent(gold[p.position]))
        for p in thread.comments
        if p.position in gold
    }
    out["correct"] = sum(hits.values())
    out["accuracy"] = _share(out["correct"], len(hits))
    for level in ("high", "medium", "low"):
        rows = [pos for pos in hits if gold[pos]["confidence"] == level]
        out[f"rows_{level}"] = len(rows)
        out[f"accuracy_{level}"] = _share(sum(hits[pos] for pos in rows), len(rows))
    out["top_level"] = sum(p.parent_id == thread.article.id for p in thread.comments)
    out["gold_top_level"] = sum(_parent(r) == "0" for r in gold.values())
    flagged = {p.position for p in thread.comments if p.is_spam}
    spam = {pos for pos, r in gold.items() if r["is_spam"] == "1"}
    out.update(
        spam_flagged=len(flagged),
        gold_spam=len(spam),
        spam_correct=len(flagged & spam),
        spam_precision=_share(len(flagged & spam), len(flagged)),
        spam_recall=_share(len(flagged & spam), len(spam)),
        seconds=round(seconds, 3),
    )
    return out


def synthetic_figures(comments: int, seed: int) -> dict:
    from synthetic_wordpress import make_thread, to_wordpress_text, tree_accuracy

    rt = make_thread(comments, seed)
    text = to_wordpress_text(rt)
    start = time.perf_counter()
    [thread] = parse(text, "synthetic")
    parsed = time.perf_counter()
    done = prepare_thread(thread)
    finished = time.perf_counter()
    position = {p.id: p.position for p in done.posts}
    found = {p.position: position.get(p.parent_id) for p in done.comments}
    return {
        "comments": comments,
        "seed": seed,
        "accuracy": round(tree_accuracy(rt.parents, found), 4),
        "spam_flagged": sum(p.is_spam for p in done.comments),
        "parse_seconds": round(parsed - start, 3),
        "prepare_seconds": round(finished - parsed, 3),
        "comments_per_s": round(comments / max(finished - start, 1e-9)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=sample_thread())
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument(
        "--synthetic", type=int, default=0, help="also a synthetic thread of N comments"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    out = sample_figures(args.sample, args.gold)
    if args.synthetic:
        out["synthetic"] = synthetic_figures(args.synthetic, args.seed)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
