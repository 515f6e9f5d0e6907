"""Where each claim and each edge goes on the interactive page, in vis-network coordinates.

The layout is the picture's (``graph.picture_layout``: igraph's Sugiyama layout, left to
right). What is left here, and why: vis-network sizes and wraps its boxes itself, so this
module predicts those sizes (greedy word wrap measured with DejaVu Sans, which ships with
matplotlib and is wider than most fonts a browser picks, so a drawn box is never taller than
the room left for it), and turns each edge into waypoints just outside its boxes, so the page
draws it through the gaps and not behind another claim.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from argmap.graph.export_text import wrap_to_width
from argmap.graph.picture_layout import layered_layout
from argmap.graph.subgraph import Subgraph

FONT_PX = 14
MARGIN = 10  # vis-network node margin, each side
BOX_W = 240  # vis-network widthConstraint: the whole box, margins included (all boxes alike)
# A vis-network box is 32 px plus 14 px a line tall at font 14, margin 10 (measured in Chromium).
LINE_PX = FONT_PX
BOX_EXTRA_PX = 32
COL_GAP = 96.0
ROW_GAP = 20.0
STUB = 10.0  # how far outside its box an edge's first and last waypoint sit


@cache
def _font():
    import matplotlib
    from PIL import ImageFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), FONT_PX)


ISOLATES = "\u2066\u2067\u2068\u2069"  # invisible bidi marks (box_labels): no width


def _width(text: str) -> float:
    return float(_font().getlength(text.translate({ord(c): None for c in ISOLATES})))


def wrap_label(text: str, max_px: float) -> list[str]:
    """``text`` broken into lines of at most ``max_px``, greedily by words (a word too long
    for a line is broken between characters), as vis-network does under a width constraint."""
    return wrap_to_width(text, max_px, _width)


def box_size(label: str) -> tuple[float, float]:
    """Width and height of the box vis-network draws for ``label`` (see the module notes)."""
    # vis-network starts a new line at each "\n" (a reviewed tag's, a right-to-left claim's).
    lines = [ln for part in label.split("\n") for ln in wrap_label(part, BOX_W - 2 * MARGIN)]
    return float(BOX_W), float(BOX_EXTRA_PX + LINE_PX * len(lines))


def page_layout(sg: Subgraph, labels: dict[str, str]) -> dict[str, Any]:
    """Claim centres, each edge's waypoints (by edge index) and the content's size, in
    vis-network coordinates (y grows downwards; the content spans 0..width, 0..height)."""
    sizes = {cid: box_size(label) for cid, label in labels.items()}
    lay = layered_layout(
        [n.id for n in sg.nodes],
        [(e.source, e.target) for e in sg.edges],
        sizes,
        COL_GAP,
        ROW_GAP,
        first=sg.focus,
    )
    via: dict[str, list[list[float]]] = {}
    for i, (e, route) in enumerate(zip(sg.edges, lay.routes, strict=True)):
        if len(route) < 2:
            continue
        ends = []
        for cid, (x, y) in ((e.source, route[0]), (e.target, route[-1])):
            side = 1 if x > lay.centres[cid][0] else -1
            ends.append([round(x + side * STUB, 1), round(y, 1)])
        middle = [[round(x, 1), round(y, 1)] for x, y in route[1:-1]]
        via[str(i)] = [ends[0], *middle, ends[1]]
    return {
        "width": round(lay.width, 1),
        "height": round(lay.height, 1),
        "pos": {cid: [round(x, 1), round(y, 1)] for cid, (x, y) in lay.centres.items()},
        "via": via,
    }
