"""How a picture looks: options, light and dark themes, and each claim's style (fonts:
``graph.picture_fonts``).

Every claim is drawn from a :class:`NodeStyle` that :func:`node_style` computes from the claim
and the picture; a new mark (a "reviewed" tick, say) is a field here and a line there, and the
drawing code (``graph.export_image``) needs no change beyond using the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from argmap.graph.export_style import EDGE_COLOURS, REVIEWED_TAG, claim_reviewed
from argmap.graph.subgraph import ClaimNode, Subgraph
from argmap.graph.subgraph_models import SelectionError
from pydantic import BaseModel, Field

DEFAULT_WIDTH = 1600  # pixels: a web page's full-width image, sharp on a high-density screen
MAX_WIDTH = 8000
# A point drawn at least 4/3 pixels, as a browser draws CSS points (96 dpi): 11 pt claim text is
# then 14.7 px tall and the smallest caption (0.75 of it) 11 px. Below that a wide picture (a
# long chain, the Export page's 500-claim cap) squeezed into 1600 px had 6 px text.
LEGIBLE_DPI = 96.0
# Pillow's decompression-bomb limit (89.5 Mpx): past it Pillow-based tools warn or refuse.
MAX_PIXELS = 89_000_000
# The smallest claim text a PNG is drawn with. Below it the smallest caption (0.75 of the claim
# text) rounds to 0 px and FreeType refuses to draw at all: a 500-claim reply chain, 500 columns
# side by side in 8000 px, stopped with a traceback ("invalid ppem value").
MIN_PNG_TEXT_PX = 1.0


class PictureOptions(BaseModel):
    """What a journalist may change about a picture."""

    width: int | None = Field(
        None,
        ge=320,
        le=MAX_WIDTH,
        description="PNG width in pixels (SVG: its width); None: 1600, or wider when the text "
        "would be drawn at under 96 dpi.",
    )
    font_size: float = Field(11.0, ge=6.0, le=24.0, description="Claim text size in points.")
    dark: bool = Field(False, description="Light text on a dark background (broadcast).")
    colours: bool = Field(True, description="Fill claims by whether they stand.")


@dataclass(frozen=True)
class Theme:
    background: str
    text: str
    muted: str
    border: str
    focus_border: str
    neutral: str
    fills: dict[str, str]
    edges: dict[str, str]


LIGHT = Theme(
    background="#FFFFFF",
    text="#1A1A1A",
    muted="#555555",
    border="#8A8A8A",
    focus_border="#111111",
    neutral="#F2F2F2",
    fills={"IN": "#D5EFCF", "OUT": "#F7D0D0", "UNDEC": "#FBEDB8"},
    edges=dict(EDGE_COLOURS),
)
DARK = Theme(
    background="#14171C",
    text="#F2F2F2",
    muted="#B8BEC8",
    border="#6B7380",
    focus_border="#FFFFFF",
    neutral="#262B33",
    fills={"IN": "#1E4A2C", "OUT": "#5A2626", "UNDEC": "#54481C"},
    edges={"rebuts": "#FF8C42", "supports": "#56B4E9"},  # Okabe-Ito, lighter for dark ground
)

# What a reader is told the fills mean (grounded semantics, in words).
LABEL_WORDS = {
    "IN": "stands: every rebuttal of it is answered",
    "OUT": "answered by a rebuttal that stands",
    "UNDEC": "undecided: rebuttals answer each other in a loop",
}
FOCUS_WORDS = "the claim this map is about"
# The picture's legend names the frame too: "dashed" alone also named a relation the extractor
# was unsure of (a dashed line), and a reader could not tell which of the two a dashed box meant.
FRAME_WORDS = {
    "IN": "solid frame: stands, every rebuttal of it is answered",
    "OUT": f"dashed frame: {LABEL_WORDS['OUT']}",
    "UNDEC": "dotted frame: undecided, rebuttals answer each other in a loop",
}
Frame = Literal["solid"] | tuple[float, tuple[float, ...]]  # a matplotlib linestyle
# The label in the frame as well as the fill: under deuteranopia the IN and OUT fills become two
# near-identical beiges, and a greyscale print loses the hue. A claim answered by a rebuttal that
# stands has a broken (dashed) frame, an undecided one a dotted frame; both heavier than a
# standing claim's solid frame, so they show at a glance. (linestyle, width in points)
LABEL_FRAMES: dict[str, tuple[Frame, float]] = {
    "IN": ("solid", 0.9),
    "OUT": ((0, (3.0, 1.6)), 1.8),
    "UNDEC": ((0, (0.8, 1.6)), 1.8),
}


def pixel_width(options: PictureOptions, inches: tuple[float, float]) -> int:
    """The PNG's width (an SVG's declared width) for a figure of ``inches`` (width, height): the
    width asked for, or by default 1600 px, widened until a point is 4/3 px or more, but never
    past 8000 px nor MAX_PIXELS in all (image viewers refuse bigger files as "bombs")."""
    if options.width is not None:
        return options.width
    w, h = inches
    legible = math.ceil(w * LEGIBLE_DPI)
    fits = math.floor(w * math.sqrt(MAX_PIXELS / (w * h)))  # the widest within MAX_PIXELS
    # MAX_PIXELS before the default width: a very tall map is narrower than 1600 px, not a
    # file viewers refuse (or an image too big for memory, which stopped with a MemoryError).
    return min(max(DEFAULT_WIDTH, min(legible, MAX_WIDTH)), fits)


def check_png_size(
    options: PictureOptions, width: int, inches: tuple[float, float], columns: int, claims: int
) -> None:
    """Raise ``SelectionError`` (one line saying what to draw instead) when a PNG ``width`` px
    wide of a figure of ``inches`` would draw its claim text under ``MIN_PNG_TEXT_PX`` (a map
    too wide) or hold more than ``MAX_PIXELS`` (only a ``--width`` given gets there)."""
    dpi = width / inches[0]
    px = options.font_size * dpi / 72
    if px < MIN_PNG_TEXT_PX:
        wider = "it wider (--width) or " if width < MAX_WIDTH else ""
        raise SelectionError(
            f"too wide for a PNG: {claims} claims in {columns} columns side by side would have "
            f"text {px:.1f} px tall in {width} px; draw {wider}fewer claims (--max-nodes, the "
            "Export page's 'Claims in a picture'), one claim and its neighbours (--claim ID "
            "--hops 2), or export SVG or PDF, which scale"
        )
    height = round(inches[1] * dpi)
    if width * height > MAX_PIXELS:
        fits = math.floor(inches[0] * math.sqrt(MAX_PIXELS / (inches[0] * inches[1])))
        raise SelectionError(
            f"too big for a PNG: {width} x {height} px is past the {MAX_PIXELS // 1_000_000} "
            f"million pixels image tools accept; give --width {fits} or less, draw fewer "
            "claims (--max-nodes), or export SVG or PDF"
        )


def theme_for(options: PictureOptions) -> Theme:
    return DARK if options.dark else LIGHT


@dataclass(frozen=True)
class NodeStyle:
    """How one claim's box is drawn."""

    fill: str
    border: str
    border_width: float
    text: str
    muted: str
    bold: bool = False
    border_style: Frame = "solid"
    tag: str | None = None  # a short mark after the author line (e.g. "reviewed")


def node_style(node: ClaimNode, sg: Subgraph, theme: Theme, colours: bool = True) -> NodeStyle:
    """The style of ``node`` in a picture of ``sg``."""
    focus = node.id == sg.focus
    labelled = colours and node.label in LABEL_FRAMES
    fill = theme.fills[node.label or ""] if labelled else theme.neutral
    frame, width = LABEL_FRAMES[node.label or ""] if labelled else LABEL_FRAMES["IN"]
    return NodeStyle(
        fill=fill,
        # A broken or dotted frame is drawn in the text colour: in the grey of a plain border
        # its gaps would barely show.
        border=theme.focus_border if focus else theme.text if frame != "solid" else theme.border,
        border_width=2.6 if focus else width,
        text=theme.text,
        muted=theme.muted,
        bold=focus,
        border_style=frame,
        tag=REVIEWED_TAG if claim_reviewed(node) else None,
    )


def reviewed_edge_effects(width: float, theme: Theme) -> list:
    """Path effects of a relation a person checked or drew: the line cased in the text colour."""
    from matplotlib import patheffects

    return [patheffects.Stroke(linewidth=width + 3.2, foreground=theme.text), patheffects.Normal()]
