"""Reply trees of German, French and Spanish threads rebuilt with English content words and with
the thread's own (``ingest/content_words.py``), as JSON, beside the trivial baselines.

Each thread is flattened as a page (depth first, siblings in time order, the tree dropped) and
rebuilt twice by ``reconstruct_parents``: ``language=None`` (how every thread was read before:
English stop words and suffixes) and the language ``prepare_thread`` tells from its words.

- By default: the three threads of ``tests/data/stance_languages`` (our own words, 12 comments
  each, no times: each comment is given one a few minutes after the one before it in the file).
  **Synthetic**: they were written to test stance cues, not reply trees; they say whether the
  change breaks anything, not how well it does on real comments.
- ``--threads DIR``: real threads kept outside the repository (not ours to redistribute), as the
  flat Reddit comment lists ``bench/devset.py`` reads (``bench/praw_threads.py`` writes them).
  None in German, French or Spanish with its true tree was found in the public code index on
  2026-12-07 (see ``bench/README.md``): the figures on real threads are still to be measured.

    python bench/languages_reply_tree.py [--threads DIR] > bench/languages_reply_tree.json
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.graph.thread_languages import known, language_of  # noqa: E402
from argmap.ingest.spam import spam_flags  # noqa: E402
from argmap.ingest.thread import reconstruct_parents  # noqa: E402

from argmap.core.models import Post  # noqa: E402

SYNTHETIC = BENCH.parent / "tests" / "data" / "stance_languages"
START = datetime(2024, 5, 2, 9, 0)


def _csv_tree(path: Path) -> devset.Tree:
    """A ``stance_languages`` CSV (article first, the tree given) as a tree with made-up times."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    article, comments = rows[0], rows[1:]
    nodes = [
        devset.Node(
            r["id"],
            r["author"],
            r["text"],
            START + timedelta(minutes=7 * (i + 1)),
            None if r["parent_id"] in ("", article["id"]) else r["parent_id"],
        )
        for i, r in enumerate(comments)
    ]
    top = devset._link(nodes)
    return devset.Tree(
        path.name, "csv", article["title"], article["author"], START, article["text"], top
    )


def _posts(tree: devset.Tree) -> tuple[list[Post], list[int]]:
    """The tree's article and comments in page order, and each comment's true parent index."""
    order = tree.page_order()
    index = {n.key: i for i, n in enumerate(order, start=1)}
    heads = [(tree.author, tree.body, tree.when)] + [(n.author, n.text, n.when) for n in order]
    keys = ["a"] + [n.key for n in order]
    posts = [
        Post(
            id=k,
            thread_id="t",
            kind="comment" if i else "article",
            author=a,
            text=t,
            posted_at=w,
            position=i,
        )
        for i, (k, (a, t, w)) in enumerate(zip(keys, heads, strict=True))
    ]
    return posts, [index[n.parent] if n.parent else 0 for n in order]


def _right(parents: list[int | None], truth: list[int]) -> int:
    return sum(p == t for p, t in zip(parents[1:], truth, strict=True))


def figures(tree: devset.Tree, source: str) -> dict[str, Any]:
    """Parents rebuilt right read as English and in the thread's language, and the baselines."""
    posts, truth = _posts(tree)
    told = language_of(tree.title, (p.text for p in posts))
    flags = spam_flags(posts)
    english = reconstruct_parents(posts, flags)
    own = reconstruct_parents(posts, flags, language=known(told))
    n = len(truth)
    return {
        "file": tree.name,
        "source": source,
        "language": told,
        "comments": n,
        "parents_right_english_words": _right(english, truth),
        "parents_right_thread_language": _right(own, truth),
        "baseline_reply_to_previous": sum(t == i for i, t in enumerate(truth)),
        "baseline_reply_to_article": sum(t == 0 for t in truth),
        "changed": sum(a != b for a, b in zip(english, own, strict=True)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=Path, help="real threads kept outside the repository")
    args = parser.parse_args(argv)
    threads = [figures(_csv_tree(p), "synthetic") for p in sorted(SYNTHETIC.glob("*.csv"))]
    if args.threads is not None:
        paths = sorted(args.threads.rglob("*.json"))
        threads += [figures(devset.load_tree(p), "real") for p in paths]
    json.dump({"threads": threads}, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
