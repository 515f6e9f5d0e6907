"""Publication-ready pictures (PNG, SVG, PDF) of a subgraph, drawn with matplotlib alone.

The layout is layered: the focus claim (or, for a whole graph, each claim that answers nothing
shown) on top, the claims answering it one row below, and so on (``graph.layout``); a wide layer
wraps onto several rows and edges crossing a row run through gaps in it (``graph.image_layout``).
Every label is measured with the renderer before anything is placed and the figure is sized to
the content, so boxes never overlap whatever the text. No graphviz: ``pip install`` is enough.
"""

from __future__ import annotations

import io
import math
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from argmap.graph.export_style import (
    BORDER,
    EDGE_COLOURS,
    FOCUS_BORDER,
    LABEL_FILLS,
    LABEL_NAMES,
    LOW_CONFIDENCE,
    NEUTRAL_FILL,
    PARTICIPLES,
)
from argmap.graph.export_text import caption_parts, short_date, wrap
from argmap.graph.image_layout import Placement, layout_subgraph
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    Selection,
    SelectionError,
    Subgraph,
    select_subgraph,
    visual_defaults,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

IMAGE_FORMATS = ("png", "svg", "pdf")
DEFAULT_MAX_NODES = 40  # past this a static picture stops being readable; the caption says so

FONT = "DejaVu Sans"  # ships with matplotlib: no system font needed
TEXT_SIZE = 10.0
META_SIZE = 8.0
WRAP_CHARS = 30
MAX_LINES = 7
PAD = 7.0  # points between a box's border and its text
H_GAP = 30.0
V_GAP = 70.0
MAX_PER_ROW = 6
MARGIN = 30.0
MIN_WIDTH = 640.0  # points; keeps the caption readable for one or two claims
MIN_PIXELS = 1600
# Scripts DejaVu lacks (CJK, emoji) draw as boxes; a warning per glyph helps no one.
GLYPH_WARNING = "Glyph .* missing from font"


@dataclass
class Box:
    """One claim's box: its texts, measured size (points) and centre once placed."""

    id: str
    claim: str
    meta: str
    text_w: float = 0.0
    claim_h: float = 0.0
    meta_h: float = 0.0
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0


@dataclass
class Drawing:
    """A drawn figure and its artists (tests measure them with the renderer)."""

    figure: Figure
    boxes: dict[str, FancyBboxPatch] = field(default_factory=dict)
    texts: dict[str, list[Text]] = field(default_factory=dict)
    edges: list[FancyArrowPatch] = field(default_factory=list)
    legend: object | None = None
    caption: list[Text] = field(default_factory=list)


def _renderer(fig: Figure) -> RendererAgg:
    """The renderer of ``fig``'s canvas: an Agg one, which ``_draw`` gives every figure."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(f"expected a figure on an Agg canvas, got {type(canvas).__name__}")
    return canvas.get_renderer()


def _measure(fig: Figure, text: str, size: float, **kw) -> tuple[float, float]:
    """Width and height in points of ``text`` as the renderer lays it out (figure at 72 dpi)."""
    t = fig.text(0, 0, text, fontsize=size, family=FONT, parse_math=False, **kw)
    bb = t.get_window_extent(_renderer(fig))
    t.remove()
    return bb.width, bb.height


def _boxes(sg: Subgraph, fig: Figure) -> dict[str, Box]:
    boxes = {}
    for n in sg.nodes:
        weight = "bold" if n.id == sg.focus else "normal"
        meta = "— " + ", ".join(p for p in (n.author or "unknown", short_date(n.posted_at)) if p)
        if n.post_kind == "article":
            meta += " (article)"
        box = Box(
            n.id, "\n".join(wrap(n.text, WRAP_CHARS, MAX_LINES)), "\n".join(wrap(meta, 38, 2))
        )
        cw, box.claim_h = _measure(fig, box.claim, TEXT_SIZE, weight=weight)
        mw, box.meta_h = _measure(fig, box.meta, META_SIZE, style="italic")
        box.text_w = max(cw, mw)
        boxes[n.id] = box
    width = max((b.text_w for b in boxes.values()), default=0) + 2 * PAD
    for b in boxes.values():  # one width for all: tidy columns, predictable spacing
        b.w = width
        b.h = b.claim_h + 4 + b.meta_h + 2 * PAD
    return boxes


def _legend_rows(sg: Subgraph) -> tuple[list, list]:
    """Legend entries: the relations drawn, and the claim fills and frames drawn."""
    present = {e.type for e in sg.edges}
    relations: list = [
        Line2D(
            [],
            [],
            color=EDGE_COLOURS[t],
            lw=2.2,
            marker=">",
            markersize=7,
            label=f"{t} (arrow points at the {PARTICIPLES[t]} claim)",
        )
        for t in ("rebuts", "supports")
        if t in present
    ]
    if any((e.confidence if e.confidence is not None else 1.0) < LOW_CONFIDENCE for e in sg.edges):
        relations.append(
            Line2D(
                [],
                [],
                color="#777777",
                lw=1.6,
                ls=(0, (4, 2)),
                label=f"confidence < {LOW_CONFIDENCE}",
            )
        )
    claims: list = []
    if sg.labelled:
        shown = {n.label for n in sg.nodes}
        claims += [
            Patch(facecolor=LABEL_FILLS[lab], edgecolor=BORDER, label=LABEL_NAMES[lab])
            for lab in ("IN", "OUT", "UNDEC")
            if lab in shown
        ]
    if sg.focus:
        claims.append(Patch(facecolor="white", edgecolor=FOCUS_BORDER, lw=2.4, label="focus claim"))
    return relations, claims


def _legend_handles(sg: Subgraph, ncol: int) -> list:
    """Handles in the order that puts relations on the first row and claims on the second
    (matplotlib fills a legend column by column)."""
    relations, claims = _legend_rows(sg)
    if not relations or not claims or ncol < max(len(relations), len(claims)):
        return relations + claims
    blank = Line2D([], [], alpha=0, label=" ")
    handles = []
    for i in range(ncol):
        handles += [
            relations[i] if i < len(relations) else blank,
            claims[i] if i < len(claims) else blank,
        ]
    return handles


def _caption_lines(fig: Figure, text: str, size: float, width: float, **kw) -> str:
    """``text`` wrapped so that, measured, it fits ``width`` points."""
    chars = max(int(width / (size * 0.5)), 20)
    while True:
        wrapped = "\n".join(wrap(text, chars))
        if _measure(fig, wrapped, size, **kw)[0] <= width or chars <= 20:
            return wrapped
        chars -= 4


def draw(sg: Subgraph, exported: date | None = None, per_row: int = MAX_PER_ROW) -> Drawing:
    """Lay out and draw ``sg`` (at most ``per_row`` boxes a row); the figure is sized (in
    points at 72 dpi) to fit its content."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=GLYPH_WARNING)
        return _draw(sg, exported, per_row)


def _layout(sg: Subgraph, boxes: dict[str, Box], per_row: int) -> Placement:
    sizes = {cid: (b.w, b.h) for cid, b in boxes.items()}
    return layout_subgraph(sg, sizes, per_row, H_GAP, V_GAP)


def _legend(fig: Figure, sg: Subgraph, width: float) -> tuple[dict[str, Any], int, float]:
    """Legend keywords, the most columns that fit ``width``, and the legend's height."""
    relations, claims = _legend_rows(sg)
    renderer = _renderer(fig)
    ncol = max(len(relations), len(claims), 1)
    while True:
        kw: dict[str, Any] = dict(
            handles=_legend_handles(sg, ncol),
            frameon=False,
            borderaxespad=0,
            prop={"family": FONT, "size": 9},
            handlelength=2.4,
            columnspacing=1.8,
        )
        leg = fig.legend(ncol=ncol, **kw)
        extent = leg.get_window_extent(renderer)
        leg.remove()
        if extent.width <= width or ncol == 1:
            return kw, ncol, extent.height
        ncol -= 1


def _draw_box(ax, drawing: Drawing, b: Box, focus: bool, label: str | None) -> None:
    patch = FancyBboxPatch(
        (b.x - b.w / 2, b.y - b.h / 2),
        b.w,
        b.h,
        boxstyle="round,pad=0,rounding_size=6",
        facecolor=LABEL_FILLS.get(label or "", NEUTRAL_FILL),
        edgecolor=FOCUS_BORDER if focus else BORDER,
        linewidth=2.4 if focus else 0.9,
        zorder=3,
        gid=f"claim-{b.id}",
    )
    ax.add_patch(patch)
    drawing.boxes[b.id] = patch
    left, top = b.x - b.w / 2 + PAD, b.y + b.h / 2 - PAD
    drawing.texts[b.id] = [
        ax.text(
            left,
            top,
            b.claim,
            fontsize=TEXT_SIZE,
            family=FONT,
            va="top",
            ha="left",
            parse_math=False,
            zorder=4,
            weight="bold" if focus else "normal",
        ),
        ax.text(
            left,
            top - b.claim_h - 4,
            b.meta,
            fontsize=META_SIZE,
            family=FONT,
            style="italic",
            color="#444444",
            va="top",
            ha="left",
            parse_math=False,
            zorder=4,
        ),
    ]


def _ports(
    sg: Subgraph, boxes: dict[str, Box], via: dict[int, list]
) -> dict[tuple[int, int], tuple]:
    """Where each edge leaves its source (end 0) and reaches its target (end 1).

    Edges meeting one side of a box get their own points along it, ordered by where the other
    end lies, so arrows converging on a much-rebutted claim stay apart instead of piling up.
    """
    sides: dict[tuple[str, str], list[tuple[float, int, int]]] = defaultdict(list)
    for i, e in enumerate(sg.edges):
        a, t = boxes[e.source], boxes[e.target]
        if abs(a.y - t.y) < 1:
            continue  # same row: an arc, clipped by the boxes themselves
        up = t.y > a.y
        first = via[i][0] if i in via else (t.x, t.y)
        last = via[i][-1] if i in via else (a.x, a.y)
        sides[(e.source, "top" if up else "bottom")].append((first[0], i, 0))
        sides[(e.target, "bottom" if up else "top")].append((last[0], i, 1))
    ports = {}
    for (cid, side), ends in sides.items():
        b = boxes[cid]
        y = b.y + b.h / 2 if side == "top" else b.y - b.h / 2
        ends.sort()
        for k, (toward, i, end) in enumerate(ends):
            if len(ends) == 1:
                x = min(max(toward, b.x - 0.3 * b.w), b.x + 0.3 * b.w)
            else:
                x = b.x - 0.35 * b.w + 0.7 * b.w * k / (len(ends) - 1)
            ports[(i, end)] = (x, y)
    return ports


def _draw_edges(
    ax,
    sg: Subgraph,
    boxes: dict[str, Box],
    drawing: Drawing,
    layout: Placement,
    shift: tuple[float, float],
) -> None:
    via = {i: [(x + shift[0], y + shift[1]) for x, y in pts] for i, pts in layout.routes.items()}
    ports = _ports(sg, boxes, via)
    for i, e in enumerate(sg.edges):
        a, t = boxes[e.source], boxes[e.target]
        conf = e.confidence if e.confidence is not None else 1.0
        style: dict[str, Any] = dict(
            arrowstyle="-|>",
            mutation_scale=16,
            color=EDGE_COLOURS[e.type],
            linewidth=1.2 + 1.6 * conf,
            linestyle="-" if conf >= LOW_CONFIDENCE else (0, (4, 2)),
            zorder=2,
            joinstyle="round",
            capstyle="round",
        )
        if (i, 0) in ports:  # between rows: port to port, through waypoints if it crosses rows
            path = MplPath([ports[(i, 0)], *via.get(i, []), ports[(i, 1)]])
            drawing.edges.append(ax.add_patch(FancyArrowPatch(path=path, **style)))
            continue
        # Same row: an arc kept inside the gap next to the row.
        room = max(a.h, t.h) / 2 + 0.6 * V_GAP
        rad = min(0.4, 2 * room / max(abs(a.x - t.x), 1))
        drawing.edges.append(
            ax.add_patch(
                FancyArrowPatch(
                    (a.x, a.y),
                    (t.x, t.y),
                    patchA=drawing.boxes[e.source],
                    patchB=drawing.boxes[e.target],
                    connectionstyle=f"arc3,rad={rad}",
                    shrinkA=1,
                    shrinkB=1,
                    **style,
                )
            )
        )


def _draw(sg: Subgraph, exported: date | None, per_row: int) -> Drawing:
    if not sg.nodes:
        raise SelectionError("nothing to draw: no claim matches this selection")
    fig = Figure(dpi=72)
    FigureCanvasAgg(fig)
    boxes = _boxes(sg, fig)
    layout = _layout(sg, boxes, per_row)
    width = max(layout.width, MIN_WIDTH)
    title, source, selection = caption_parts(sg, exported)
    title_txt = _caption_lines(fig, title, 13, width, weight="bold")
    cap_txt = (
        _caption_lines(fig, source, 8.5, width) + "\n" + _caption_lines(fig, selection, 8.5, width)
    )
    title_h = _measure(fig, title_txt, 13, weight="bold")[1]
    cap_h = _measure(fig, cap_txt, 8.5)[1]
    legend_kw, ncol, legend_h = _legend(fig, sg, width)

    total_w = width + 2 * MARGIN
    total_h = MARGIN + title_h + 24 + layout.height + 30 + legend_h + 16 + cap_h + MARGIN
    fig.set_size_inches(total_w / 72, total_h / 72)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, total_w)
    ax.set_ylim(0, total_h)
    ax.set_axis_off()

    shift = (MARGIN + (width - layout.width) / 2, total_h - MARGIN - title_h - 24)
    for cid, b in boxes.items():
        b.x, b.y = layout.x[cid] + shift[0], layout.y[cid] + shift[1]
    drawing = Drawing(fig)
    for n in sg.nodes:
        _draw_box(ax, drawing, boxes[n.id], n.id == sg.focus, n.label)
    _draw_edges(ax, sg, boxes, drawing, layout, shift)

    drawing.caption.append(
        ax.text(
            MARGIN,
            total_h - MARGIN,
            title_txt,
            fontsize=13,
            weight="bold",
            family=FONT,
            va="top",
            ha="left",
            parse_math=False,
        )
    )
    legend_top = MARGIN + cap_h + 16 + legend_h
    drawing.legend = fig.legend(
        ncol=ncol,
        loc="upper left",
        bbox_to_anchor=(MARGIN / total_w, legend_top / total_h),
        **legend_kw,
    )
    drawing.caption.append(
        ax.text(
            MARGIN,
            MARGIN + cap_h,
            cap_txt,
            fontsize=8.5,
            family=FONT,
            color="#333333",
            va="top",
            ha="left",
            parse_math=False,
        )
    )
    return drawing


def pixel_dpi(fig: Figure) -> int:
    """The PNG resolution that makes the picture at least ``MIN_PIXELS`` wide (never below 150)."""
    return max(150, math.ceil(MIN_PIXELS / fig.get_figwidth()))


def render_image(sg: Subgraph, fmt: str, exported: date | None = None) -> bytes:
    """``sg`` as PNG, SVG or PDF bytes (the dashboard's download button uses this)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt}")
    title, source, selection = caption_parts(sg, exported)
    meta = {
        "png": {"Title": title, "Description": f"{source}. {selection}", "Software": "argmap"},
        "svg": {"Title": title, "Description": f"{source}. {selection}", "Creator": "argmap"},
        "pdf": {"Title": title, "Subject": f"{source}. {selection}", "Creator": "argmap"},
    }[fmt]
    with (
        warnings.catch_warnings(),
        matplotlib.rc_context({"pdf.fonttype": 42, "svg.hashsalt": "argmap"}),
    ):
        warnings.filterwarnings("ignore", message=GLYPH_WARNING)
        drawing = draw(sg, exported)
        buf = io.BytesIO()
        drawing.figure.savefig(
            buf, format=fmt, dpi=pixel_dpi(drawing.figure), facecolor="white", metadata=meta
        )
    return buf.getvalue()


def picture_subgraph(store: Store, selection: Selection) -> Subgraph:
    """What a picture of ``selection`` shows (the format's defaults applied)."""
    return select_subgraph(store, visual_defaults(selection, DEFAULT_MAX_NODES))


def export_image(store: Store, selection: Selection, path: Path, fmt: str = "png") -> None:
    """Select, draw and write a picture of ``selection`` to ``path`` (capped for readability)."""
    selection = visual_defaults(selection, DEFAULT_MAX_NODES)
    Path(path).write_bytes(render_image(select_subgraph(store, selection), fmt))
