"""Where each claim and each edge goes, for the picture and the interactive page alike.

igraph's Sugiyama layout does the work (layers by longest path after breaking cycles, dummy
vertices on long edges, barycentre sweeps against crossings); it runs left to right here: the
focus claim (or whatever answers nothing shown) in the first column, the claims answering it
in the next, their answers in the one after. What is left by hand, and why: igraph places
unit-sized points, so this module turns its grid into points for boxes of real sizes (one
column width, one slot height), and gives each edge its own port on the facing side of each
box (ordered by where the edge goes, so edges meeting a box never cross or pile up there).

Every edge is a list of points in travel order, source to target: it leaves its source's
side, crosses each gap between columns, passes through any column in between along its own
empty slot (where igraph put a dummy vertex), and enters its target's side. Drawn as curves
with horizontal tangents at every point, a leg stays inside its gap, so no edge runs through
a box. Coordinates are points, x to the right and y downwards, from (0, 0) at the top left.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import igraph

Point = tuple[float, float]
Size = tuple[float, float]


@dataclass
class Layout:
    """Box centres, each edge's points (same order as the edges given), the content size."""

    centres: dict[str, Point] = field(default_factory=dict)
    sizes: dict[str, Size] = field(default_factory=dict)
    routes: list[list[Point]] = field(default_factory=list)
    column_of: dict[str, int] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def layered_layout(
    ids: Sequence[str],
    edges: Sequence[tuple[str, str]],
    sizes: dict[str, Size],
    col_gap: float,
    row_gap: float,
    first: str | None = None,
) -> Layout:
    """Lay out boxes ``ids`` (``sizes``: width, height) and ``edges`` (source, target; the
    source answers the target, so targets go left of their sources). ``first``: a claim that
    must sit in the first column (the focus), even if it answers something shown."""
    index = {cid: i for i, cid in enumerate(ids)}
    kept = [k for k, (s, t) in enumerate(edges) if s != t and s in index and t in index]
    drawn = [edges[k] for k in kept]
    # Answered -> answer, so igraph's longest-path layering puts what is answered first; the
    # edges the focus itself draws are turned round, so nothing comes before the focus.
    flip = [first is not None and s == first for s, _ in drawn]
    coords, bends = _sugiyama(
        len(ids),
        [
            (index[s], index[t]) if f else (index[t], index[s])
            for (s, t), f in zip(drawn, flip, strict=True)
        ],
    )
    col_w = max((w for w, _ in sizes.values()), default=0.0)
    pitch = col_w + col_gap
    rows = [c[0] for c in coords] + [p[0] for pts in bends for p in pts]
    row_y, height = _row_ys(rows, [(coords[index[c]][0], sizes[c][1]) for c in ids], row_gap)

    def place(row: float, layer: float) -> Point:
        return (layer * pitch + col_w / 2, row_y[row])

    out = Layout(sizes={cid: sizes[cid] for cid in ids})
    for cid, i in index.items():
        out.centres[cid] = place(*coords[i])
        out.column_of[cid] = round(coords[i][1])
    chains: list[list[Point]] = []
    for k, (s, t) in enumerate(drawn):
        dummies = [place(*p) for p in bends[k]]
        if not flip[k]:  # igraph's edge runs target -> source: travel the other way
            dummies.reverse()
        chains.append([out.centres[s], *dummies, out.centres[t]])
    routed = dict(zip(kept, _with_ports(drawn, chains, out.centres, sizes, col_w), strict=True))
    out.routes = [routed.get(k, []) for k in range(len(edges))]
    out.width = max((c[1] for c in coords), default=0.0) * pitch + col_w
    out.height = height
    return out


def _row_ys(
    rows: list[float], boxes: list[tuple[float, float]], row_gap: float
) -> tuple[dict[float, float], float]:
    """Each row's y (its slot's middle) and the content's height, for rows one slot apart.

    A slot is as tall as the tallest ordinary box. A box far taller than the rest (a claim
    answered 500 times, made tall to keep 500 arrowheads apart) widens only its own row: made
    the height of every slot, it made a 500-claim picture of one claim and its answers 35,000
    inches tall, past what any image can hold.
    """
    heights = sorted(h for _, h in boxes)
    median = heights[len(heights) // 2] if heights else 0.0
    slot_h = max((h for h in heights if h <= 2 * median), default=0.0) + row_gap
    tallest: dict[float, float] = defaultdict(float)
    for row, h in boxes:
        tallest[row] = max(tallest[row], h)
    row_y: dict[float, float] = {}
    last: float | None = None
    for row in sorted(set(rows)):
        if last is None:
            row_y[row] = max(slot_h, tallest[row] + row_gap) / 2
        else:
            step = (row - last) * slot_h
            if max(tallest[row], tallest[last]) + row_gap > slot_h:  # an exceptional box
                step = max(step, (tallest[row] + tallest[last]) / 2 + row_gap)
            row_y[row] = row_y[last] + step
        last = row
    if last is None:
        return row_y, slot_h - row_gap / 2
    return row_y, row_y[last] + max(slot_h, tallest[last] + row_gap) / 2 - row_gap / 2


def _sugiyama(n: int, edges: list[tuple[int, int]]) -> tuple[list[Point], list[list[Point]]]:
    """igraph's Sugiyama layout of ``n`` vertices and ``edges``: each vertex's (place in layer,
    layer) and each edge's bends, laid out one weakly connected part at a time, the parts stacked
    one under the other in the order of their first vertex.

    igraph 1.0.0 lays out a graph of several parts wrongly: given a third of small random
    forests with lone vertices it crashed the process (a segmentation fault) or returned
    coordinates of 10^300; one part at a time, none did (and 0.11 never did).
    """
    whole = igraph.Graph(n=n, directed=True)
    whole.add_edges(edges)
    coords: list[Point] = [(0.0, 0.0)] * n
    bends: list[list[Point]] = [[] for _ in edges]
    part_edges: dict[int, list[int]] = defaultdict(list)
    membership = whole.connected_components(mode="weak").membership
    for k, (a, _) in enumerate(edges):
        part_edges[membership[a]].append(k)
    parts: dict[int, list[int]] = defaultdict(list)
    for v, part in enumerate(membership):
        parts[part].append(v)
    offset = 0.0
    for part, vertices in sorted(parts.items(), key=lambda item: item[1][0]):
        mine = part_edges[part]
        if not mine:  # a lone claim needs no layout
            coords[vertices[0]] = (offset, 0.0)
            offset += 1
            continue
        local = {v: i for i, v in enumerate(vertices)}
        g = igraph.Graph(n=len(vertices), directed=True)
        g.add_edges([(local[edges[k][0]], local[edges[k][1]]) for k in mine])
        lay = g.layout_sugiyama(hgap=1, vgap=1, maxiter=200)
        placed = [(float(x), float(y)) for x, y in lay.coords[: len(vertices)]]
        routed = [[(float(x), float(y)) for x, y in pts] for pts in lay.edge_routing]
        _spread(placed, routed)
        rows = [x for x, _ in placed] + [x for pts in routed for x, _ in pts]
        low = min(rows)
        for v, (x, y) in zip(vertices, placed, strict=True):
            coords[v] = (x - low + offset, y)
        for k, pts in zip(mine, routed, strict=True):
            bends[k] = [(x - low + offset, y) for x, y in pts]
        offset += max(rows) - low + 1
    return coords, bends


def _spread(placed: list[Point], routed: list[list[Point]]) -> None:
    """Push apart, in place, what igraph put less than one slot apart in a layer (keeping its
    order): its Sugiyama layout (0.11 and 1.0 alike) sometimes gives two claims of a layer the
    same place, so their boxes would be drawn one over the other."""
    layers: dict[float, list[tuple[float, int, int, int]]] = defaultdict(list)
    for i, (x, y) in enumerate(placed):
        layers[y].append((x, 0, i, 0))
    for k, pts in enumerate(routed):
        for j, (x, y) in enumerate(pts):
            layers[y].append((x, 1, k, j))
    for y, items in layers.items():
        last = -math.inf
        for x, kind, i, j in sorted(items):
            x = max(x, last + 1)
            last = x
            if kind == 0:
                placed[i] = (x, y)
            else:
                routed[i][j] = (x, y)


def _with_ports(
    edges: list[tuple[str, str]],
    chains: list[list[Point]],
    centres: dict[str, Point],
    sizes: dict[str, Size],
    col_w: float,
) -> list[list[Point]]:
    """Each chain (box centre, dummies, box centre) as the points an edge is drawn through:
    a port on the side of each box facing the next point, and each dummy widened into the
    column's width (enter on one side, leave on the other)."""
    ends: dict[tuple[str, int], list[tuple[float, float, int, int]]] = defaultdict(list)
    for k, ((s, t), chain) in enumerate(zip(edges, chains, strict=True)):
        for end, cid, toward in ((0, s, chain[1]), (1, t, chain[-2])):
            side = 1 if toward[0] > centres[cid][0] else -1
            ends[(cid, side)].append((toward[1], toward[0] * side, k, end))
    port: dict[tuple[int, int], Point] = {}
    for (cid, side), items in ends.items():
        x, y = centres[cid]
        w, h = sizes[cid]
        items.sort()
        n = len(items)
        for j, (_, _, k, end) in enumerate(items):
            # Spread over the middle 80% of the side: arrowheads stay apart.
            py = y if n == 1 else y - 0.4 * h + 0.8 * h * j / (n - 1)
            port[(k, end)] = (x + side * w / 2, py)
    routes = []
    for k, chain in enumerate(chains):
        points = [port[(k, 0)]]
        for a, d in zip(chain[:-1], chain[1:-1], strict=False):
            half = col_w / 2 if d[0] > a[0] else -col_w / 2
            points += [(d[0] - half, d[1]), (d[0] + half, d[1])]
        points.append(port[(k, 1)])
        routes.append(points)
    return routes
