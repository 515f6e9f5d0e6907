"""Where each box of a picture goes, and how edges that skip a row get around the boxes in it.

Pure geometry in points, no drawing. A layer too wide for one row wraps onto several, and an
edge then has to cross a row of boxes: it gets a narrow waypoint slot in that row (a "dummy
node", as in Sugiyama's layered drawing), placed where the edge would naturally pass, so every
line runs through a gap instead of behind a claim. Bundled, the edges leaving one claim share
one slot a row (a trunk), so twenty rebuttals of one claim widen each row by one slot, not twenty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from argmap.graph.layout import chunks, components, nested_rows, ordered_layers
from argmap.graph.subgraph import Subgraph

Point = tuple[float, float]
Slot = tuple[int | str, int]  # (edge index, row), or bundled (the upper claim, row)


@dataclass
class Placement:
    """Box centres, row bands (top, bottom), and each routed edge's waypoints (in travel order)."""

    x: dict[str, float] = field(default_factory=dict)
    y: dict[str, float] = field(default_factory=dict)
    row_of: dict[str, int] = field(default_factory=dict)
    bands: list[tuple[float, float]] = field(default_factory=list)
    routes: dict[int, list[Point]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def wrap_rows(layers: list[list[str]], per_row: int) -> list[list[str]]:
    """Split each layer longer than ``per_row`` into balanced consecutive rows."""
    return [row for layer in layers for row in chunks(layer, per_row)]


def _spread(rows: Sequence[Sequence[str | tuple]], widths: dict, h_gap: float, dummy_gap: float):
    """Left-to-right x centres of every item, each row centred on the widest one."""

    def gap(a, b) -> float:
        return h_gap if isinstance(a, str) and isinstance(b, str) else dummy_gap

    spans = []
    for row in rows:
        xs, cursor = [], 0.0
        for i, item in enumerate(row):
            if i:
                cursor += gap(row[i - 1], item)
            xs.append(cursor + widths[item] / 2)
            cursor += widths[item]
        spans.append((xs, cursor))
    total = max((w for _, w in spans), default=0.0)
    centres = {}
    for row, (xs, w) in zip(rows, spans, strict=True):
        shift = (total - w) / 2
        for item, x in zip(row, xs, strict=True):
            centres[item] = x + shift
    return centres, total


def _increasing_fit(targets: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence nearest ``targets`` in weighted least squares (pool adjacent
    violators). With targets shifted by the cumulative minimum gaps, this puts each item of a
    row as near where it wants to be as order and spacing allow."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, n2 = blocks.pop()
            m1, w1, n1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    return [m for m, _, n in blocks for _ in range(int(n))]


def _align_under_parents(
    items: list[list],
    centres: dict,
    widths: dict,
    edges: list[tuple[str, str]],
    crossings: dict[int, list[tuple[int, int, Slot]]],
    h_gap: float,
    dummy_gap: float,
    reorder_slack: float | None = None,
) -> tuple[dict, float]:
    """Top-down, pull each row under what it connects to in the row above, keeping its order
    and spacing (a child sits below its parent, not wherever centring put it): each item as
    near the mean of its parents as the row's order and minimum gaps allow.

    ``reorder_slack``: first re-sort each row by where its items want to be (so a trunk passing
    through a row does not split siblings; see ``_with_slots``), and keep each row inside the
    extent of the rows above when it fits there (the drawing stays as narrow as its widest row).
    """
    row_of = {it: r for r, row in enumerate(items) for it in row}
    up: dict = {it: [] for it in row_of}

    def link(a, b) -> None:
        if row_of[a] == row_of[b] + 1:
            up[a].append(b)
        elif row_of[b] == row_of[a] + 1:
            up[b].append(a)

    for i, (u, v) in enumerate(edges):
        chain = [u, *[key for _, _, key in crossings.get(i, [])], v]
        for a, b in zip(chain, chain[1:], strict=False):
            link(a, b)
    centres = dict(centres)
    walls = None
    if reorder_slack is not None and items:
        walls = (
            min(centres[it] - widths[it] / 2 for it in items[0]),
            max(centres[it] + widths[it] / 2 for it in items[0]),
        )
    for r in range(1, len(items)):
        want = {
            it: sum(centres[p] for p in up[it]) / len(up[it]) if up[it] else centres[it]
            for it in items[r]
        }
        if reorder_slack is not None:
            boxes = sorted((it for it in items[r] if isinstance(it, str)), key=want.__getitem__)
            items[r] = _with_slots(
                [*boxes, *(it for it in items[r] if isinstance(it, tuple))], want, reorder_slack
            )
        row = items[r]
        desired = [want[it] for it in row]
        # Slots are all but pinned (a trunk stays straight); claims with nothing above weigh least.
        weights = [(1e6 if isinstance(it, tuple) else 1.0) if up[it] else 0.05 for it in row]
        half = [widths[it] / 2 for it in row]
        gaps = [
            h_gap if isinstance(a, str) and isinstance(b, str) else dummy_gap
            for a, b in zip(row, row[1:], strict=False)
        ]
        if walls is not None:  # soft walls at the rows above's extent; a row too wide centres on it
            desired, weights = [walls[0], *desired, walls[1]], [1e8, *weights, 1e8]
            half, gaps = [0.0, *half, 0.0], [0.0, *gaps, 0.0]
        offsets = [0.0]
        for k, gap in enumerate(gaps):
            offsets.append(offsets[-1] + half[k] + gap + half[k + 1])
        ys = _increasing_fit([d - o for d, o in zip(desired, offsets, strict=True)], weights)
        xs = [y + o for y, o in zip(ys, offsets, strict=True)]
        for it, x in zip(row, xs[1:-1] if walls is not None else xs, strict=True):
            centres[it] = x
        if walls is not None:
            walls = (
                min(walls[0], *(centres[it] - widths[it] / 2 for it in row)),
                max(walls[1], *(centres[it] + widths[it] / 2 for it in row)),
            )
    left = min(centres[it] - widths[it] / 2 for it in row_of)
    right = max(centres[it] + widths[it] / 2 for it in row_of)
    return {it: x - left for it, x in centres.items()}, right - left


def _with_slots(row: list, want: dict, slack: float) -> list:
    """The row's claims (already in order of ``want``) with each slot among them: after the
    claims clearly left of it, and in the middle of those wanting the same place (within
    ``slack``), so a trunk runs down the middle of the claims hanging from it, on the same
    side of an odd row's middle claim in every row."""
    boxes = [it for it in row if isinstance(it, str)]
    slots = []
    for slot in (it for it in row if isinstance(it, tuple)):
        left = sum(1 for b in boxes if want[b] < want[slot] - slack)
        tied = sum(1 for b in boxes if abs(want[b] - want[slot]) <= slack)
        slots.append((left + (tied + 1) // 2, want[slot], slot))
    slots.sort(key=lambda t: (t[0], t[1]))
    out: list = []
    for k, box in enumerate([*boxes, None]):
        while slots and slots[0][0] <= k:
            out.append(slots.pop(0)[2])
        if box is not None:
            out.append(box)
    return out


def place(
    rows: list[list[str]],
    sizes: dict[str, tuple[float, float]],
    edges: list[tuple[str, str]],
    h_gap: float,
    v_gap: float,
    dummy_w: float = 8.0,
    dummy_gap: float = 12.0,
    bundle: bool = False,
) -> Placement:
    """Place ``rows`` of boxes (``sizes``: width, height) top-down from y = 0 (downwards negative).

    ``bundle``: edges that leave the same claim downwards share their slot in each row crossed.
    """
    out = Placement()
    for r, row in enumerate(rows):
        for cid in row:
            out.row_of[cid] = r
    widths: dict = {cid: sizes[cid][0] for cid in out.row_of}
    first, _ = _spread(rows, widths, h_gap, dummy_gap)
    # Edges spanning more than one row get a waypoint slot in each row they cross.
    items: list[list] = [list(row) for row in rows]
    ideal: dict = dict(first)
    crossings: dict[int, list[tuple[int, int, Slot]]] = {}
    wanted: dict[Slot, list[float]] = defaultdict(list)
    for i, (u, v) in enumerate(edges):
        ru, rv = out.row_of[u], out.row_of[v]
        if abs(ru - rv) < 2:
            continue
        step = 1 if rv > ru else -1
        upper = u if ru < rv else v
        crossings[i] = []
        for r in range(ru + step, rv, step):
            key: Slot = (upper, r) if bundle else (i, r)
            if key not in wanted:
                widths[key] = dummy_w
                items[r].append(key)
            # A trunk drops straight down from its claim; a lone edge cuts across where it would pass.
            wanted[key].append(
                first[upper] if bundle else first[u] + (first[v] - first[u]) * (r - ru) / (rv - ru)
            )
            crossings[i].append((r, step, key))
    for key, xs in wanted.items():
        ideal[key] = sum(xs) / len(xs)
    slack = max(sizes[c][0] for c in out.row_of) / 4 if bundle else None
    if slack is not None:
        items = [_with_slots(row, ideal, slack) for row in items]
    else:
        items = [sorted(row, key=lambda it: (ideal[it], isinstance(it, tuple))) for row in items]
    centres, _ = _spread(items, widths, h_gap, dummy_gap)
    centres, out.width = _align_under_parents(
        items, centres, widths, edges, crossings, h_gap, dummy_gap, reorder_slack=slack
    )

    y = 0.0
    for row in rows:
        h = max(sizes[c][1] for c in row)
        out.bands.append((y, y - h))
        for cid in row:  # tops aligned: the row reads as a line, arrows leave from one height
            out.x[cid], out.y[cid] = centres[cid], y - sizes[cid][1] / 2
        y -= h + v_gap
    out.height = -(y + v_gap)
    for i, rows_crossed in crossings.items():
        points: list[Point] = []
        for r, step, key in rows_crossed:
            top, bottom = out.bands[r]
            x = centres[key]
            # Going down the page (step 1): enter at the top, leave at the bottom.
            points += [(x, top), (x, bottom)] if step == 1 else [(x, bottom), (x, top)]
        out.routes[i] = points
    return out


def pack(
    parts: list[tuple[Placement, list[int]]], max_width: float, h_gap: float, v_gap: float
) -> Placement:
    """Shelf-pack separately placed parts (connected components) left to right, then down.

    Each part comes with the global index of each of its edges, so routes keep their edge.
    """
    out = Placement()
    x = y = shelf_h = 0.0
    for part, edge_ids in parts:
        if x > 0 and x + part.width > max_width:
            x, y = 0.0, y - shelf_h - v_gap
            shelf_h = 0.0
        first_row = len(out.bands)  # rows numbered across parts, each with its own band
        out.bands.extend((top + y, bottom + y) for top, bottom in part.bands)
        for cid in part.x:
            out.x[cid], out.y[cid] = part.x[cid] + x, part.y[cid] + y
            out.row_of[cid] = part.row_of[cid] + first_row
        for i, pts in part.routes.items():
            out.routes[edge_ids[i]] = [(px + x, py + y) for px, py in pts]
        out.width = max(out.width, x + part.width)
        shelf_h = max(shelf_h, part.height)
        x += part.width + 2 * h_gap
    out.height = -y + shelf_h
    return out


def layout_subgraph(
    sg: Subgraph,
    sizes: dict[str, tuple[float, float]],
    per_row: int,
    h_gap: float,
    v_gap: float,
    nested: bool = False,
    bundle: bool = False,
) -> Placement:
    """Layers around the focus; for a whole graph, each conversation laid out on its own and
    the parts shelf-packed (biggest first, claims with no relation last). ``nested``: a wrapped
    layer's rows interleave with the answers to them (``graph.layout.nested_rows``);
    ``bundle``: see ``place``."""
    index = {(e.source, e.target, e.type): i for i, e in enumerate(sg.edges)}
    parts = []
    for part in [sg] if sg.focus else components(sg):
        rows = nested_rows(part, per_row) if nested else wrap_rows(ordered_layers(part), per_row)
        edges = [(e.source, e.target) for e in part.edges]
        parts.append(
            (
                place(rows, sizes, edges, h_gap, v_gap, bundle=bundle),
                [index[(e.source, e.target, e.type)] for e in part.edges],
            )
        )
    slot = max(w for w, _ in sizes.values()) + h_gap
    return pack(parts, max(per_row * slot, max(p.width for p, _ in parts)), h_gap, v_gap)
