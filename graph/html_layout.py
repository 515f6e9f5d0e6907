"""Where each claim and each edge goes on the interactive page, for a few row widths.

vis-network's own hierarchical layout never wraps a level: twenty-odd rebuttals of one claim
make one row that fits a window only at a zoom where labels are no longer drawn. So the page
gets fixed positions from the picture's layered layout (``graph.image_layout``), nested (the
answers to a row just under it) and bundled (edges leaving one claim share a slot in each row
they cross). Every edge also gets waypoints: it leaves its box from the side facing the other
end, runs through the gaps between rows, and never behind another claim. The layout is
computed for several row widths; the page's script picks the widest its window shows at a
readable zoom.

Box sizes are measured the way vis-network wraps a label (greedy, word by word) with DejaVu
Sans, which ships with matplotlib and is wider than most sans-serif fonts a browser would pick,
so a box drawn in the browser is never taller than the room left for it.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from argmap.graph.image_layout import Placement, Point, layout_subgraph
from argmap.graph.subgraph import Subgraph

FONT_PX = 14
MARGIN = 10  # vis-network node margin, each side
BOX_W = 220  # vis-network widthConstraint.maximum: the whole box, margins included
# A vis-network box is 32 px plus 14 px a line tall at font 14, margin 10 (measured in Chromium).
LINE_PX = FONT_PX
BOX_EXTRA_PX = 32
ROW_CHOICES = (2, 3, 4, 5, 6)
H_GAP = 24.0
V_GAP = 64.0
STUB = 12.0  # how far past its row an edge turns towards the other end
LANE = 9.0  # between stacked same-row arcs


@cache
def _font():
    import matplotlib
    from PIL import ImageFont

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), FONT_PX)


def _width(text: str) -> float:
    return float(_font().getlength(text))


def wrap_label(text: str, max_px: float) -> list[str]:
    """``text`` broken into lines of at most ``max_px``, greedily by words (a word too long
    for a line is broken between characters), as vis-network does under a width constraint."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if _width(trial) <= max_px:
            line = trial
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # the word alone, broken where it overflows
            if line and _width(line + ch) > max_px:
                lines.append(line)
                line = ""
            line += ch
    if line or not lines:
        lines.append(line)
    return lines


def box_size(label: str) -> tuple[float, float]:
    """Width and height of the box vis-network draws for ``label`` (see the module notes)."""
    lines = wrap_label(label, BOX_W - 2 * MARGIN)
    width = min(BOX_W, max(_width(line) for line in lines) + 2 * MARGIN + 2)
    return width, BOX_EXTRA_PX + LINE_PX * len(lines)


def _edge_points(
    sg: Subgraph, pl: Placement, sizes: dict[str, tuple[float, float]]
) -> dict[int, list[Point]]:
    """Each edge's waypoints between its boxes, in travel order (placement coordinates).

    An edge leaves its box through the side facing the other end at a port of its own (ports
    along a side ordered by where their edges go, as in the picture; edges sharing a trunk
    share a port), turns just past the row, runs through slots in the rows it crosses, and
    enters the other box the same way. Claims in one row are joined by an arc under the row.
    """

    def gap_y(cid: str, down: bool, lane: int = 0) -> float:
        top, bottom = pl.bands[pl.row_of[cid]]
        return bottom - STUB - LANE * lane if down else top + STUB

    plans = []
    sides: dict[tuple[str, bool], dict[Any, float]] = defaultdict(dict)
    partner: dict[tuple[str, bool, Any], tuple[str, bool, Any]] = {}  # the far end of a direct edge
    lanes: dict[int, int] = defaultdict(int)
    for i, e in enumerate(sg.edges):
        s, t = e.source, e.target
        rs, rt = pl.row_of[s], pl.row_of[t]
        via = pl.routes.get(i, [])
        lane = 0
        if rs == rt:
            down_s = down_t = True
            lanes[rs] += 1
            lane = lanes[rs] - 1
        else:
            down_s, down_t = rt > rs, rs > rt
        # An end's port is shared by edges going on to the same point (a trunk's first slot).
        key_s = ("via", round(via[0][0]), round(via[0][1])) if via else ("node", t)
        key_t = ("via", round(via[-1][0]), round(via[-1][1])) if via else ("node", s)
        sides[(s, down_s)][key_s] = via[0][0] if via else pl.x[t]
        sides[(t, down_t)][key_t] = via[-1][0] if via else pl.x[s]
        if not via:
            partner[(s, down_s, key_s)], partner[(t, down_t, key_t)] = (
                (t, down_t, key_t),
                (s, down_s, key_s),
            )
        plans.append((s, t, down_s, down_t, key_s, key_t, via, lane))
    ports: dict[tuple[str, bool, Any], float] = {}
    for (cid, down), towards in sides.items():  # sides with several ends: spread along the side
        if len(towards) > 1:
            half = sizes[cid][0] / 2
            ordered = sorted(towards.items(), key=lambda kv: (kv[1], str(kv[0])))
            for k, (key, _) in enumerate(ordered):
                ports[(cid, down, key)] = (
                    pl.x[cid] - 0.7 * half + 1.4 * half * k / (len(ordered) - 1)
                )
    for (cid, down), towards in sides.items():  # a lone end: towards the far end's port if placed
        if len(towards) == 1:
            ((key, toward),) = towards.items()
            toward = ports.get(partner.get((cid, down, key)), toward)  # type: ignore[arg-type]
            half = sizes[cid][0] / 2
            ports[(cid, down, key)] = min(
                max(toward, pl.x[cid] - 0.6 * half), pl.x[cid] + 0.6 * half
            )
    points: dict[int, list[Point]] = {}
    for i, (s, t, down_s, down_t, key_s, key_t, via, lane) in enumerate(plans):
        start = (ports[(s, down_s, key_s)], gap_y(s, down_s, lane))
        end = (ports[(t, down_t, key_t)], gap_y(t, down_t, lane))
        points[i] = [start, *via, end]
    return points


def page_layouts(sg: Subgraph, labels: dict[str, str]) -> list[dict[str, Any]]:
    """One layout per row width in ``ROW_CHOICES`` (identical ones once), in vis-network
    coordinates (y grows downwards, the content spans 0..width and 0..height): claim centres,
    each edge's waypoints (by edge index), and the content's size."""
    sizes = {cid: box_size(label) for cid, label in labels.items()}
    out: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for per_row in ROW_CHOICES:
        pl = layout_subgraph(sg, sizes, per_row, H_GAP, V_GAP, nested=True, bundle=True)
        paths = _edge_points(sg, pl, sizes)
        pos = {cid: [round(pl.x[cid], 1), round(-pl.y[cid], 1)] for cid in pl.x}
        signature = tuple(sorted((cid, *xy) for cid, xy in pos.items()))
        if signature in seen:
            continue
        seen.add(signature)
        out.append(
            {
                "per_row": per_row,
                "width": round(pl.width, 1),
                "height": round(pl.height, 1),
                "pos": pos,
                "via": {
                    str(i): [[round(x, 1), round(-y, 1)] for x, y in pts]
                    for i, pts in paths.items()
                },
            }
        )
    return out
