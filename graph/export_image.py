"""Publication-ready pictures (PNG, SVG, PDF) of a subgraph, drawn with matplotlib.

The picture tells one story (``graph.story``: the focus claim, its strongest answers, theirs)
laid out left to right by igraph's Sugiyama layout (``graph.picture_layout``). Every label is
measured with the renderer before anything is placed (``graph.picture_text``), so text always
fits its box. Text stays text: PDF embeds the fonts (Type 42), SVG keeps ``<text>`` elements
in a font-family list with fallbacks and one ``<g class="claim">`` per claim
(``graph.svg_edit``). Fills say whether each
claim stands, judged on the claims shown (``shown_labels``), so no box is marked answered by a
rebuttal that is not in the picture.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import matplotlib
from argmap.graph.export_style import drawn_confidence, edge_reviewed
from argmap.graph.export_text import caption_parts, more_note, right_to_left, short_date
from argmap.graph.picture_edges import edge_patch
from argmap.graph.picture_fonts import families_for, slants
from argmap.graph.picture_layout import Layout, Point, layered_layout
from argmap.graph.picture_legend import add_legend, legend_size
from argmap.graph.picture_selection import visual_subgraph
from argmap.graph.picture_style import (
    NodeStyle,
    PictureOptions,
    Theme,
    check_png_size,
    node_style,
    pixel_width,
    theme_for,
)
from argmap.graph.picture_text import TextMeasure, author_line, flags_as_letters
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    Selection,
    SelectionError,
    Subgraph,
)
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.typing import RcKeyType

IMAGE_FORMATS = ("png", "svg", "pdf")
DEFAULT_MAX_NODES = 12  # one story a reader takes in at a glance; the rest is in the page
BOX_EMS = 19.0  # claim text width, in ems of the 11 pt default: ~34 characters a line
MAX_LINES = 5  # an answer's lines: the rest is in the interactive page
FOCUS_MAX_LINES = 20  # the claim a picture is about, whole (~600 characters): it gets quoted
PAD = 7.0  # points between a box's border and its text
COL_GAP = 84.0
ROW_GAP = 16.0
MARGIN = 28.0
MIN_WIDTH = 520.0  # points; keeps the caption readable for one or two claims
PORT_GAP = 8.0  # points between two arrows' ports on a box: an arrowhead is 5.2 pt wide
GLYPH_WARNING = "Glyph .* missing from font"  # only where no installed font has the glyph
# Text is measured at 72 dpi, drawn at the file's; hinted glyphs snap to pixels (8 pt text came
# out 5% wider at 129 dpi and ran off the edge). Unhinted, a line is as wide at every dpi.
PICTURE_RC: dict[RcKeyType, Any] = {"text.hinting": "none"}


@dataclass
class Box:
    """One claim's box: its texts, measured size (points) and style."""

    id: str
    claim: str
    meta: str
    style: NodeStyle
    claim_h: float = 0.0
    text_h: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass
class Drawing:
    """A drawn figure and its artists (tests and the bench measure them)."""

    figure: Figure
    layout: Layout
    boxes: dict[str, FancyBboxPatch] = field(default_factory=dict)
    texts: dict[str, list[Text]] = field(default_factory=dict)
    edges: list[FancyArrowPatch] = field(default_factory=list)
    legend: object | None = None
    caption: list[Text] = field(default_factory=list)


def shown_labels(sg: Subgraph) -> Subgraph:
    """``sg`` with grounded labels computed over the claims and rebuttals it shows."""
    from argmap.graph.semantics import grounded_labelling

    ids = [n.id for n in sg.nodes]
    attacks = [(e.source, e.target) for e in sg.edges if e.type == "rebuts"]
    labels = grounded_labelling(ids, attacks)
    nodes = [n.model_copy(update={"label": labels.get(n.id)}) for n in sg.nodes]
    return sg.model_copy(update={"nodes": nodes, "labelled": True, "labels_shown_only": True})


def picture_subgraph(store: Store, selection: Selection) -> Subgraph:
    """What a picture of ``selection`` shows: the format's defaults applied, labels judged on
    the claims shown."""
    return shown_labels(visual_subgraph(store, selection, DEFAULT_MAX_NODES))


def _boxes(sg: Subgraph, m: TextMeasure, options: PictureOptions, theme: Theme) -> dict[str, Box]:
    size, meta_size = options.font_size, options.font_size * 0.8
    text_w = BOX_EMS * 11.0  # a fixed width: a larger font means more lines, not wider boxes
    degree = Counter(x for e in sg.edges for x in (e.source, e.target))
    boxes = {}
    for n in sg.nodes:
        style = node_style(n, sg, theme, options.colours)
        weight = "bold" if style.bold else "normal"
        notes = ["(article)"] if n.post_kind == "article" else []
        if style.tag:
            notes.append(f"· {style.tag}")
        lines = FOCUS_MAX_LINES if n.id == sg.focus else MAX_LINES
        meta = author_line(n.author or "unknown", short_date(n.posted_at), notes)
        box = Box(
            n.id,
            m.wrap(flags_as_letters(n.text), size, text_w, lines, weight=weight),
            m.wrap(meta, meta_size, text_w, 2, style=_slant(meta)),
            style,
        )
        box.claim_h = m.height(box.claim, size, weight=weight)
        meta_h = m.height(box.meta, meta_size, style=_slant(meta))
        box.w = text_w + 2 * PAD
        box.text_h = box.claim_h + 4 + meta_h
        # Tall enough that its arrows' ports (spread over 80% of a side) stay PORT_GAP apart:
        # a short claim with 17 answers stacked their arrowheads into one blot.
        ports_h = (degree[n.id] - 1) * PORT_GAP / 0.8
        box.h = max(box.text_h + 2 * PAD, ports_h)
        boxes[n.id] = box
    return boxes


def _curve(points: list[Point]) -> MplPath:
    """Through ``points`` with a horizontal tangent at each: every leg stays between its
    two points' x, so it never leaves the gap (or the empty slot) it crosses."""
    verts, codes = [points[0]], [MplPath.MOVETO]
    for (ax, ay), (bx, by) in zip(points[:-1], points[1:], strict=True):
        mid = (ax + bx) / 2
        verts += [(mid, ay), (mid, by), (bx, by)]
        codes += [MplPath.CURVE4] * 3
    return MplPath(verts, codes)


def _slant(s: str) -> Literal["italic", "normal"]:
    return "italic" if slants(s) else "normal"


def _text(ax, x, y, s, size, colour, ha="left", **kw) -> Text:
    return ax.text(
        x, y, s, fontsize=size, family=list(families_for(s)), color=colour,
        va="top", ha=ha, multialignment=ha, parse_math=False, **kw,
    )  # fmt: skip


def draw(
    sg: Subgraph, exported: date | None = None, options: PictureOptions | None = None
) -> Drawing:
    """Lay out and draw ``sg``; the figure is sized (in points at 72 dpi) to its content.

    Render the figure inside ``matplotlib.rc_context(PICTURE_RC)``, as ``render_image`` does:
    its text was measured so."""
    quiet = logging.getLogger("matplotlib.font_manager")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "no bold face for Symbola, using regular" is not news
    try:
        with warnings.catch_warnings(), matplotlib.rc_context(PICTURE_RC):
            warnings.filterwarnings("ignore", message=GLYPH_WARNING)
            return _draw(sg, exported, options or PictureOptions())
    finally:
        quiet.setLevel(level)


def _draw(sg: Subgraph, exported: date | None, options: PictureOptions) -> Drawing:
    if not sg.nodes:
        raise SelectionError("nothing to draw: no claim matches this selection")
    theme = theme_for(options)
    fig = Figure(dpi=72)
    FigureCanvasAgg(fig)
    m = TextMeasure(fig)
    boxes = _boxes(sg, m, options, theme)
    layout = layered_layout(
        [n.id for n in sg.nodes],
        [(e.source, e.target) for e in sg.edges],
        {cid: (b.w, b.h) for cid, b in boxes.items()},
        COL_GAP,
        ROW_GAP,
        first=sg.focus,
    )
    width = max(layout.width, MIN_WIDTH)
    fs = options.font_size
    title, credit, shows = caption_parts(sg, exported)
    if sg.labelled and options.colours:
        shows += (
            " Fills judge only the claims shown."
            if getattr(sg, "labels_shown_only", False)
            else " Fills judge each claim against the whole thread, rebuttals not shown included."
        )
    title_txt = m.wrap(title, fs * 1.5, width, weight="bold")
    more_txt = m.wrap(more_note(sg), fs * 0.9, width, style="italic")
    shows_txt = m.wrap(shows, fs * 0.75, width)
    credit_txt = m.wrap(credit, fs * 0.8, width)
    heights = {
        "title": m.height(title_txt, fs * 1.5, weight="bold"),
        "more": m.height(more_txt, fs * 0.9, style="italic") if more_txt else 0.0,
        "shows": m.height(shows_txt, fs * 0.75),
        "credit": m.height(credit_txt, fs * 0.8),
    }
    legend_kw, legend_h = legend_size(fig, sg, theme, options, width, fs * 0.85)
    gap = fs * 1.4
    total_w = width + 2 * MARGIN
    total_h = (
        MARGIN + heights["title"] + gap + layout.height + gap
        + (heights["more"] + gap if more_txt else 0.0)
        + legend_h + gap * 0.8 + heights["shows"] + gap * 0.5 + heights["credit"] + MARGIN
    )  # fmt: skip
    fig.set_size_inches(total_w / 72, total_h / 72)
    fig.set_facecolor(theme.background)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, total_w)
    ax.set_ylim(0, total_h)
    ax.set_axis_off()

    y = total_h - MARGIN
    drawing = Drawing(fig, layout)
    drawing.caption.append(_text(ax, MARGIN, y, title_txt, fs * 1.5, theme.text, weight="bold"))
    drawing.caption[-1].set_gid("title")
    y -= heights["title"] + gap
    x0 = MARGIN + (width - layout.width) / 2

    def at(p: Point) -> Point:
        return (x0 + p[0], y - p[1])

    for n in sg.nodes:
        _draw_box(ax, drawing, boxes[n.id], at(layout.centres[n.id]), fs)
    for i, e in enumerate(sg.edges):
        route = layout.routes[i]
        if len(route) < 2:
            continue
        arrow = edge_patch(
            _curve([at(p) for p in route]),
            e.type,
            drawn_confidence(e),
            edge_reviewed(e),
            theme,
            f"edge-{i}-{e.type}",
        )
        ax.add_patch(arrow)
        drawing.edges.append(arrow)
    y -= layout.height + gap
    if more_txt:
        drawing.caption.append(_text(ax, MARGIN, y, more_txt, fs * 0.9, theme.text, style="italic"))
        drawing.caption[-1].set_gid("more")
        y -= heights["more"] + gap
    drawing.legend = add_legend(fig, legend_kw, (MARGIN / total_w, y / total_h))
    y -= legend_h + gap * 0.8
    drawing.caption.append(_text(ax, MARGIN, y, shows_txt, fs * 0.75, theme.muted))
    drawing.caption[-1].set_gid("shows")
    y -= heights["shows"] + gap * 0.5
    drawing.caption.append(_text(ax, MARGIN, y, credit_txt, fs * 0.8, theme.muted))
    drawing.caption[-1].set_gid("credit")
    return drawing


def _draw_box(ax, drawing: Drawing, b: Box, centre: Point, fs: float) -> None:
    x, y = centre
    s = b.style
    patch = FancyBboxPatch(
        (x - b.w / 2, y - b.h / 2),
        b.w,
        b.h,
        boxstyle="round,pad=0,rounding_size=6",
        facecolor=s.fill,
        edgecolor=s.border,
        linewidth=s.border_width,
        linestyle=s.border_style,
        zorder=3,
        gid=f"claim-{b.id}-box",
    )
    ax.add_patch(patch)
    drawing.boxes[b.id] = patch
    top = y + b.text_h / 2  # centred in a box made tall for ports
    # A Hebrew or Arabic claim reads from the right: its lines and author line align there.
    ha = "right" if right_to_left(b.claim) else "left"
    at = x + b.w / 2 - PAD if ha == "right" else x - b.w / 2 + PAD
    weight = "bold" if s.bold else "normal"
    claim = _text(ax, at, top, b.claim, fs, s.text, ha, zorder=4, weight=weight)
    meta = _text(ax, at, top - b.claim_h - 4, b.meta, fs * 0.8, s.muted, ha, zorder=4)
    meta.set_fontstyle(_slant(b.meta))
    claim.set_gid(f"claim-{b.id}-text")
    meta.set_gid(f"claim-{b.id}-meta")
    drawing.texts[b.id] = [claim, meta]


def render_image(
    sg: Subgraph, fmt: str, exported: date | None = None, options: PictureOptions | None = None
) -> bytes:
    """``sg`` as PNG, SVG or PDF bytes (the dashboard's download button uses this)."""
    from argmap.graph.svg_edit import editable_svg

    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt}")
    options = options or PictureOptions()
    exported = exported or date.today()
    title, credit, shows = caption_parts(sg, exported)
    # The day the caption names, not matplotlib's clock: the same graph drawn the same day is
    # the same file (a newsroom's asset store dedupes, a re-make can be compared byte for
    # byte), and the file does not tell when in the day it was made.
    made = datetime(exported.year, exported.month, exported.day, tzinfo=UTC)
    metas: dict[str, dict[str, Any]] = {
        "png": {
            "Title": title,
            "Description": f"{credit}. {shows}",
            "Software": "argmap",
            "Claims": " ".join(n.id for n in sg.nodes),  # what is drawn, for a re-make to compare
        },
        "svg": {
            "Title": title,
            "Description": f"{credit}. {shows}",
            "Creator": "argmap",
            "Date": exported.isoformat(),
        },
        "pdf": {
            "Title": title,
            "Subject": f"{credit}. {shows}",
            "Creator": "argmap",
            "CreationDate": made,
        },
    }
    meta = metas[fmt]
    with (
        warnings.catch_warnings(),
        matplotlib.rc_context(
            {"pdf.fonttype": 42, "svg.fonttype": "none", "svg.hashsalt": "argmap", **PICTURE_RC}
        ),
    ):
        warnings.filterwarnings("ignore", message=GLYPH_WARNING)
        drawing = draw(sg, exported, options)
        fig = drawing.figure
        width = pixel_width(options, (fig.get_figwidth(), fig.get_figheight()))
        dpi = width / fig.get_figwidth()
        if fmt == "png":
            columns = len(set(drawing.layout.column_of.values()))
            inches = (fig.get_figwidth(), fig.get_figheight())
            check_png_size(options, width, inches, columns, len(sg.nodes))
            return opaque_png(fig, dpi, {k: str(v) for k, v in meta.items()})
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor=fig.get_facecolor(), metadata=meta)
    data = buf.getvalue()
    return editable_svg(data, sg, width) if fmt == "svg" else data


def opaque_png(fig: Figure, dpi: float, meta: dict[str, str]) -> bytes:
    """``fig`` drawn at ``dpi`` as an RGB PNG with ``meta`` as its text chunks.

    matplotlib's PNG is RGBA; a picture's background is opaque, so its alpha is 255 everywhere:
    the same pixels without it make a file about a tenth smaller that Pillow encodes in about
    two thirds of the time (the encoding was a sixth of a 500-claim picture's drawing time).
    """
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    fig.set_dpi(dpi)
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(f"expected an Agg canvas, got {type(canvas).__name__}")
    canvas.draw()
    size = canvas.get_width_height(physical=True)
    rgba = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    info = PngInfo()
    for key, value in meta.items():
        info.add_text(key, value)
    buf = io.BytesIO()
    rgba.convert("RGB").save(buf, format="png", pnginfo=info, dpi=(dpi, dpi))
    return buf.getvalue()


def export_image(
    store: Store,
    selection: Selection,
    path: Path,
    fmt: str = "png",
    options: PictureOptions | None = None,
) -> None:
    """Select, draw and write a picture of ``selection`` to ``path``."""
    Path(path).write_bytes(render_image(picture_subgraph(store, selection), fmt, None, options))
