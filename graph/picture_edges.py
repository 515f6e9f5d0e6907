"""How a picture draws a relation: its line, and the mark at the claim it answers.

Rebuts and supports differ in their end as well as in colour, as on the interactive page
(``graph.export_style.EDGE_ENDS``): a rebuttal ends in a bar across the line (⊣, "blocked by"),
a support in an arrowhead. Under protanopia the two relation colours have almost the same
luminance (the dark theme's pair exactly the same), so a greyscale print or a reader who does
not see red could not tell them apart by colour alone. The legend's swatches are drawn by the
same function as the edges, so they cannot disagree.
"""

from __future__ import annotations

import numpy as np
from argmap.graph.export_style import EDGE_ENDS, LOW_CONFIDENCE
from argmap.graph.picture_style import Theme, reviewed_edge_effects
from matplotlib.bezier import inside_circle, split_path_inout
from matplotlib.legend_handler import HandlerBase
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path as MplPath

MUTATION = 13.0  # points: an arrowhead 5.2 pt wide; boxes keep ports 8 pt apart
# A bar 7 pt across (0.27 of MUTATION each side): as wide as an arrowhead, so two bars on
# neighbouring ports stay apart; butt caps keep it that long at any line width.
ARROW_STYLES = {"arrow": "-|>", "bar": "-[, widthB=0.27, lengthB=0"}
# A bar stands this far off the box: on the box's border it would read as part of the frame.
BAR_GAP = 5.0


def edge_style(kind: str) -> str:
    """matplotlib's arrow style for a relation of ``kind``."""
    return ARROW_STYLES[EDGE_ENDS[kind]]


def stand_off(path: MplPath, kind: str) -> MplPath:
    """``path`` (a route ending on a box's side) cut BAR_GAP points short of its end for a bar,
    along the same curve (moving the end instead would bend the curve into its neighbours); an
    arrowhead's tip stays on the box."""
    verts = np.asarray(path.vertices, dtype=float)
    if EDGE_ENDS[kind] != "bar" or len(verts) < 2:
        return path
    end = verts[-1]
    try:
        shaft, _ = split_path_inout(path, inside_circle(float(end[0]), float(end[1]), BAR_GAP))
    except ValueError:  # a route shorter than the gap: keep it whole
        return path
    return shaft


def edge_patch(
    path: MplPath, kind: str, confidence: float, reviewed: bool, theme: Theme, gid: str
) -> FancyArrowPatch:
    """The drawn relation: ``path`` in the relation's colour and end mark, thicker the surer the
    extractor was, dashed below LOW_CONFIDENCE, cased when a person checked it."""
    lw = 1.0 + 1.6 * confidence
    bar = EDGE_ENDS[kind] == "bar"
    arrow = FancyArrowPatch(
        path=stand_off(path, kind),
        arrowstyle=edge_style(kind),
        mutation_scale=MUTATION,
        color=theme.edges[kind],
        linewidth=lw,
        linestyle="-" if confidence >= LOW_CONFIDENCE else (0, (4, 2)),
        zorder=2,
        joinstyle="miter" if bar else "round",
        capstyle="butt" if bar else "round",
        gid=gid,
    )
    if reviewed:
        arrow.set_path_effects(reviewed_edge_effects(lw, theme))
    return arrow


class EndHandle:
    """A legend entry for a relation: drawn by :class:`EndHandler` as the edges are drawn."""

    def __init__(self, kind: str, theme: Theme, label: str) -> None:
        self.kind, self.theme, self.label = kind, theme, label

    def get_label(self) -> str:
        return self.label


class EndHandler(HandlerBase):
    """Draws an :class:`EndHandle` as a short line from right to left ending in its mark, as
    the picture's relations point from an answer back to the claim it answers."""

    def create_artists(
        self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans
    ):
        y = height / 2 - ydescent
        line = MplPath([(width - xdescent, y), (-xdescent, y)])
        patch = edge_patch(line, orig_handle.kind, 0.9, False, orig_handle.theme, "")
        patch.set_transform(trans)
        patch.set_gid(None)
        return [patch]
