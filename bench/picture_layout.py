"""How clean the default pictures are: edge crossings and edge-through-box overlaps.

Ingests the bundled sample (offline extractor) into a fresh embedded store under a temp dir,
then draws the picture ``argmap export -f png --claim CLAIM --hops 2`` makes (the quick tour's
command, default options; and the same with ``--min-confidence 0 --max-nodes 40``, what the old
defaults selected) for the sample's most-rebutted claims (counting every rebuttal), and counts, in the geometry
actually drawn (``graph.picture_geometry``), the points where two edges cross and the (edge,
box) pairs where an edge runs through a claim that is not one of its ends. One JSON object.

    python bench/picture_layout.py            # the three most rebutted claims
    python bench/picture_layout.py --top 5
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import warnings
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph.embedded_stop import stop_server  # noqa: E402
from argmap.graph.picture_geometry import (  # noqa: E402
    box_overlaps,
    crossings,
    drawn_routes,
    patch_rects,
)
from argmap.graph.store import Store, open_store  # noqa: E402
from argmap.graph.subgraph import Selection, most_rebutted_claims  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

# The quick tour's command as it is, and the same picture of everything the old defaults drew
# (no confidence floor, 40 claims): the layout judged on the selection the baseline had.
VARIANTS = {
    "default": {},
    "all_relations_40_claims": {"min_confidence": 0.0, "max_nodes": 40},
}


def measure(store: Store, claim: str, **options: Any) -> dict[str, Any]:
    """The picture ``argmap export -f png --claim CLAIM --hops 2`` (plus ``options``) draws."""
    from argmap.graph.export_image import draw, picture_subgraph

    sg = picture_subgraph(store, Selection(claim=claim, hops=2, **options))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drawing = draw(sg, date(2026, 1, 1))
        drawing.figure.canvas.draw()
    routes = drawn_routes(drawing.edges)
    ends = [(e.source, e.target) for e in sg.edges]
    return {
        "claim": claim,
        "claims_drawn": len(sg.nodes),
        "edges_drawn": len(sg.edges),
        "crossings": crossings(routes),
        "edge_box_overlaps": box_overlaps(routes, ends, patch_rects(drawing.boxes)),
        "size_pt": [round(v * 72) for v in drawing.figure.get_size_inches()],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=3, help="how many of the most rebutted claims")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        from argmap.ingest.pipeline import ingest

        store = open_store(tmp, "bench")
        try:
            ingest(sample_thread(), store, extractor="offline")
            claims = most_rebutted_claims(store, args.top)
            runs = {
                name: [measure(store, c, **opts) for c in claims] for name, opts in VARIANTS.items()
            }
        finally:
            store.close()
            stop_server(Path(tmp))
    print(
        json.dumps(
            {
                "bench": "picture_layout",
                "python": platform.python_version(),
                **{
                    name: {
                        "pictures": pictures,
                        "total_crossings": sum(p["crossings"] for p in pictures),
                        "total_edge_box_overlaps": sum(p["edge_box_overlaps"] for p in pictures),
                    }
                    for name, pictures in runs.items()
                },
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
