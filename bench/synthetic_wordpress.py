"""Synthetic WordPress threads, flattened to text exactly like the bundled sample, with a known tree.

The structure (who replies to whom, when, how many claims each comment makes, which claim rebuts
or supports which) comes from ``synthetic.generate``; these modules give it real-looking words
(this one is the command line, and gathers their public names so imports from it keep working):

- authors get human names ("Maria Okafor", "Dan"), the article a byline (``synthetic_names.py``);
- each synthetic claim becomes one sentence picked from the sample's own comments (or, for the
  article, from the sample's article), so bodies read like the sample and the extractor has
  real stance cues and vocabulary to work on (``synthetic_sample_sentences.py``);
- replies sometimes open by naming the author they answer ("Dan, ..." / "@Dan" / "Hi Dan,"),
  and sometimes quote a sentence of it, as real replies do: the reply-tree reconstruction gets
  the same kinds of cues it gets on the sample, not more (``synthetic_wordpress_render.py``).

The page is printed depth first with siblings in time order (as WordPress does), which loses the
nesting; the true parent of every comment goes to a side file, so the reconstruction's accuracy
can be measured at any size (``synthetic_wordpress_page.py``). ``to_argmap_json`` gives the same
thread (same words, the true tree, the synthetic claims grounded in those words) as argmap JSON v1
(``synthetic_wordpress_json.py``).

    python bench/synthetic_wordpress.py --comments 10000 --seed 1 -o /tmp/t10k.txt
        # writes /tmp/t10k.txt and /tmp/t10k.parents.json
    python bench/synthetic_wordpress.py --comments 1000 --json -o /tmp/t1k.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from bench.synthetic_names import person_name  # noqa: E402
from bench.synthetic_sample_sentences import (  # noqa: E402
    comment_sentence,
    sentence_halves,
    sentence_pools,
)
from bench.synthetic_structure import SyntheticSpec, generate  # noqa: E402
from bench.synthetic_wordpress_json import to_argmap_json  # noqa: E402
from bench.synthetic_wordpress_page import thread_id, to_wordpress_text  # noqa: E402
from bench.synthetic_wordpress_render import (  # noqa: E402
    ADDRESS,
    QUOTE,
    RenderedPost,
    RenderedThread,
    render,
)

__all__ = [
    "ADDRESS",
    "QUOTE",
    "RenderedPost",
    "RenderedThread",
    "comment_sentence",
    "make_thread",
    "person_name",
    "render",
    "sentence_halves",
    "sentence_pools",
    "thread_id",
    "to_argmap_json",
    "to_wordpress_text",
    "tree_accuracy",
    "write_thread",
]


def make_thread(comments: int, seed: int = 0) -> RenderedThread:
    """A rendered synthetic thread of ``comments`` comments (no spam), deterministic in ``seed``."""
    return render(generate(SyntheticSpec(comments=comments, seed=seed, thread_id=f"wp-{seed}")))


def write_thread(comments: int, path: Path, seed: int = 0, as_json: bool = False) -> dict[str, Any]:
    """Write a thread to ``path`` (WordPress text, or argmap JSON) and its true parents beside it
    (``NAME.parents.json``); returns what was written."""
    rt = make_thread(comments, seed)
    path = Path(path)
    if as_json:
        path.write_text(json.dumps(to_argmap_json(rt), ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(to_wordpress_text(rt), encoding="utf-8")
    parents_path = path.with_name(re.sub(r"\.[^.]*$", "", path.name) + ".parents.json")
    parents_path.write_text(json.dumps({"thread_id": thread_id(rt), "parents": rt.parents}) + "\n")
    return {
        "path": str(path),
        "parents": str(parents_path),
        "thread_id": thread_id(rt),
        "comments": comments,
        "bytes": path.stat().st_size,
    }


def tree_accuracy(true_parents: list[int | None], found: dict[int, int | None]) -> float:
    """Share of comments whose rebuilt parent (``found``: position -> parent position) is right."""
    comments = range(1, len(true_parents))
    if not comments:
        return 1.0
    return sum(found.get(i) == true_parents[i] for i in comments) / len(comments)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="argmap JSON v1 instead of page text")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(write_thread(args.comments, args.output, args.seed, args.json)))


if __name__ == "__main__":
    main()
