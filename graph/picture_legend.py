"""A picture's legend: only what the picture shows, in words a reader understands."""

from __future__ import annotations

from typing import Any

from argmap.graph.export_style import (
    LOW_CONFIDENCE,
    RELATION_WORDS,
    REVIEWED_CLAIM_WORDS,
    REVIEWED_EDGE_WORDS,
    claim_reviewed,
    drawn_confidence,
    edge_reviewed,
)
from argmap.graph.picture_edges import EndHandle, EndHandler
from argmap.graph.picture_fonts import families_for
from argmap.graph.picture_style import (
    FOCUS_WORDS,
    FRAME_WORDS,
    LABEL_FRAMES,
    PictureOptions,
    Theme,
    reviewed_edge_effects,
)
from argmap.graph.subgraph import Subgraph
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch


def legend_entries(sg: Subgraph, theme: Theme, options: PictureOptions) -> list[Any]:
    """Legend handles for the relations, fills and frame drawn in ``sg``'s picture."""
    present = {e.type for e in sg.edges}
    # Each relation's swatch ends in its own mark (bar or arrowhead), drawn as the edges are.
    out: list[Any] = [
        EndHandle(t, theme, words) for t, words in RELATION_WORDS.items() if t in present
    ]
    if any(drawn_confidence(e) < LOW_CONFIDENCE for e in sg.edges):
        out.append(
            Line2D(
                [], [], color=theme.muted, lw=1.6, ls=(0, (4, 2)),
                label=f"dashed line: the extractor was less than {LOW_CONFIDENCE:g} sure",
            )
        )  # fmt: skip
    checked = [e.type for e in sg.edges if edge_reviewed(e)]
    if checked:
        out.append(
            Line2D(
                [], [], color=theme.edges[checked[0]], lw=2.4,
                label=f"outlined: {REVIEWED_EDGE_WORDS}",
                path_effects=reviewed_edge_effects(2.4, theme),
            )
        )  # fmt: skip
    if any(claim_reviewed(n) for n in sg.nodes):
        # The claim's tag ("✓ reviewed") drawn in the swatch, so the row lines up with the rest.
        mark, _, words = REVIEWED_CLAIM_WORDS.partition(" ")
        out.append(
            Line2D(
                [], [], ls="none", marker=f"${mark}$", markersize=8, color=theme.muted,
                label=words,
            )
        )  # fmt: skip
    if sg.labelled and options.colours:
        shown = {n.label for n in sg.nodes}
        out += [
            Patch(
                facecolor=theme.fills[lab],
                edgecolor=theme.border if lab == "IN" else theme.text,
                linestyle=LABEL_FRAMES[lab][0],
                lw=LABEL_FRAMES[lab][1],
                label=FRAME_WORDS[lab],
            )
            for lab in ("IN", "OUT", "UNDEC")
            if lab in shown
        ]
    if sg.focus:
        out.append(
            Patch(
                facecolor=theme.background, edgecolor=theme.focus_border, lw=2.4, label=FOCUS_WORDS
            )
        )
    return out


def legend_size(
    fig: Figure, sg: Subgraph, theme: Theme, options: PictureOptions, width: float, size: float
) -> tuple[dict[str, Any], float]:
    """Legend keywords for the most columns that fit ``width`` points, and its height."""
    handles = legend_entries(sg, theme, options)
    if not handles:
        return {}, 0.0
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas
    ncol = min(len(handles), 3)
    while True:
        kw: dict[str, Any] = dict(
            handles=handles,
            handler_map={EndHandle: EndHandler()},
            ncol=ncol,
            frameon=False,
            borderaxespad=0,
            borderpad=0,
            prop={
                "family": list(families_for(" ".join(h.get_label() for h in handles))),
                "size": size,
            },
            labelcolor=theme.text,
            handlelength=2.4,
            columnspacing=1.6,
        )
        leg = fig.legend(**kw)
        extent = leg.get_window_extent(renderer)
        leg.remove()
        if extent.width <= width or ncol == 1:
            return kw, extent.height
        ncol -= 1


def add_legend(fig: Figure, kw: dict[str, Any], top_left: tuple[float, float]) -> Legend | None:
    """The legend with its top left corner at ``top_left`` (figure fraction)."""
    if not kw:
        return None
    leg = fig.legend(loc="upper left", bbox_to_anchor=top_left, **kw)
    leg.set_gid("legend")
    return leg
