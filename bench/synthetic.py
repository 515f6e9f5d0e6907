"""Synthetic comment threads with a known argument structure, for benchmarks and tests.

Generation and output are separate, one module each (this one is the command line and gathers
their public names, so ``from bench.synthetic import ...`` keeps working):

- ``generate(spec)`` builds the *structure* (``synthetic_structure.py``): posts in chronological
  order with their reply parent and author, the claims each post makes (one generated sentence
  each, ``synthetic_text.py``) and the rebuts/supports relations between claims, including cycles.
- ``to_models`` renders that structure as argmap's boundary models (``Thread``, ``Claim``,
  ``Relation``) and ``to_argmap_json`` dumps argmap JSON v1 (``synthetic_models.py``);
  ``write_to_store`` writes it through ``graph.writes`` (``synthetic_store.py``). Other renderers
  (e.g. a flattened WordPress text) build on ``to_models``.

The same spec and seed always give the same thread, ids included.

    python bench/synthetic.py --comments 1000 --seed 1 -o thread.json      # argmap JSON v1
    python bench/synthetic.py --comments 100000 --db /tmp/argmap-bench      # into a store
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The parts are imported as bench.*, whether this runs as a script or is imported as `synthetic`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_models import EXTRACTOR, claim_ids, to_argmap_json, to_models  # noqa: E402
from bench.synthetic_store import write_to_store  # noqa: E402
from bench.synthetic_structure import (  # noqa: E402
    SynthClaim,
    SyntheticSpec,
    SynthPost,
    SynthRelation,
    SynthThread,
    generate,
)

__all__ = [
    "EXTRACTOR",
    "SynthClaim",
    "SynthPost",
    "SynthRelation",
    "SynthThread",
    "SyntheticSpec",
    "claim_ids",
    "generate",
    "to_argmap_json",
    "to_models",
    "write_to_store",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--thread-id", default="synthetic")
    parser.add_argument("-o", "--output", type=Path, help="write argmap JSON v1 here ('-': stdout)")
    parser.add_argument("--db", help="write into this store (directory or bolt:// URI)")
    parser.add_argument("--graph", default=None, help="graph name inside the store")
    args = parser.parse_args(argv)
    synth = generate(
        SyntheticSpec(comments=args.comments, seed=args.seed, thread_id=args.thread_id)
    )
    if args.db:
        from argmap.graph.store import DEFAULT_GRAPH, open_store

        store = open_store(args.db, args.graph or DEFAULT_GRAPH)
        try:
            write_to_store(store, synth)
        finally:
            store.close()
    if args.output:
        text = json.dumps(to_argmap_json(synth), ensure_ascii=False)
        if str(args.output) == "-":
            sys.stdout.write(text + "\n")
        else:
            args.output.write_text(text + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                "posts": len(synth.posts),
                "claims": len(synth.claims),
                "relations": len(synth.relations),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
