"""How a picture looks: options, light and dark themes, and each claim's style (fonts:
``graph.picture_fonts``).

Every claim is drawn from a :class:`NodeStyle` that :func:`node_style` computes from the claim
and the picture; a new mark (a "reviewed" tick, say) is a field here and a line there, and the
drawing code (``graph.export_image``) needs no change beyond using the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from argmap.graph.export_style import EDGE_COLOURS, REVIEWED_TAG, claim_reviewed
from argmap.graph.subgraph import ClaimNode, Subgraph
from pydantic import BaseModel, Field


class PictureOptions(BaseModel):
    """What a journalist may change about a picture."""

    width: int = Field(1600, ge=320, le=8000, description="PNG width in pixels (SVG: its width).")
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
    tag: str | None = None  # a short mark after the author line (e.g. "reviewed")


def node_style(node: ClaimNode, sg: Subgraph, theme: Theme, colours: bool = True) -> NodeStyle:
    """The style of ``node`` in a picture of ``sg``."""
    focus = node.id == sg.focus
    fill = theme.fills.get(node.label or "", theme.neutral) if colours else theme.neutral
    return NodeStyle(
        fill=fill,
        border=theme.focus_border if focus else theme.border,
        border_width=2.6 if focus else 0.9,
        text=theme.text,
        muted=theme.muted,
        bold=focus,
        tag=REVIEWED_TAG if claim_reviewed(node) else None,
    )


def reviewed_edge_effects(width: float, theme: Theme) -> list:
    """Path effects of a relation a person checked or drew: the line cased in the text colour."""
    from matplotlib import patheffects

    return [patheffects.Stroke(linewidth=width + 3.2, foreground=theme.text), patheffects.Normal()]
