"""The pyvis network of a subgraph for the page: claim boxes, relation edges, their tooltips.

Comment text is untrusted: tooltips are HTML built here from escaped parts (the page turns them
into elements); box labels are drawn on the canvas with ``fillText`` and never parsed.
"""

from __future__ import annotations

import html
from typing import Any

from argmap.graph.export_style import (
    EDGE_COLOURS,
    LABEL_FILLS,
    LOW_CONFIDENCE,
    NEUTRAL_FILL,
    REVIEWED_TAG,
    claim_reviewed,
    drawn_confidence,
    edge_reviewed,
)
from argmap.graph.export_text import one_line, right_to_left, short_date
from argmap.graph.html_layout import BOX_W, FONT_PX, MARGIN, page_layout, wrap_label
from argmap.graph.html_text import edge_arrows
from argmap.graph.subgraph import Subgraph
from pyvis.network import Network

LABEL_CHARS = 140
RTL_LINE_PX = 0.85 * (BOX_W - 2 * MARGIN)  # a right-to-left claim's lines (_box_text)
# vis-network stops drawing labels below drawThreshold px; keep them while zooming out a bit.
LABEL_DRAW_THRESHOLD = 3


def _short(text: str | None, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node_title(n) -> str:
    """Tooltip HTML: every piece of comment text escaped."""
    who = html.escape(n.author or "unknown")
    when = html.escape(short_date(n.posted_at))
    label = f" · {html.escape(n.label)}" if n.label else ""
    if claim_reviewed(n):
        label += f" · {REVIEWED_TAG} by {html.escape(n.reviewed_by or 'a person')}"
    return (
        f"<b>{who}</b>{' · ' + when if when else ''}{label}<br>"
        f"{html.escape(_short(n.text, 400))}<br>"
        f"<i>“{html.escape(_short(n.quote, 300))}”</i><br><small>click for the source text</small>"
    )


def _edge_title(e) -> str:
    conf = f" (confidence {e.confidence:.2f})" if e.confidence is not None else ""
    why = f"<br>{html.escape(_short(e.rationale, 300))}" if e.rationale else ""
    who = html.escape(e.reviewed_by or "a person")
    checked = f"<br>{REVIEWED_TAG} by {who}" if edge_reviewed(e) else ""
    return f"<b>{html.escape(e.type)}</b>{html.escape(conf)}{why}{checked}"


def box_labels(sg: Subgraph) -> dict[str, str]:
    """Box labels (the layout measures these): the claim, and a tag on what a person checked."""
    return {
        n.id: _box_text(n.text) + (f"\n{REVIEWED_TAG}" if claim_reviewed(n) else "")
        for n in sg.nodes
    }


def _box_text(text: str | None) -> str:
    """A claim as its box shows it. The canvas draws every line left to right (the page is
    English), so a Hebrew or Arabic line ended in its full stop on the right: such a claim is
    broken into lines here, a little narrower than vis-network's so it breaks none further,
    and each line isolated right to left (RLI ... PDI)."""
    short = _short(text, LABEL_CHARS)
    if not right_to_left(short):
        return short
    # vis-network's own wrap breaks a little before BOX_W - 2 * MARGIN (a Hebrew line of 210 px
    # of its 220): lines well inside it are never broken again, which would split an isolate.
    lines = wrap_label(short, RTL_LINE_PX)
    return "\n".join(f"\u2067{line}\u2069" for line in lines)


def network_for(
    sg: Subgraph, height: str = "680px", layout: dict[str, Any] | None = None
) -> Network:
    """The pyvis network of ``sg``: boxes coloured by grounded label, edges by relation, each
    claim at its fixed position in the layout."""
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    labels = box_labels(sg)
    layout = layout if layout is not None else page_layout(sg, labels)
    for n in sg.nodes:
        focus = n.id == sg.focus
        x, y = layout["pos"][n.id]
        net.add_node(
            n.id,
            label=labels[n.id],
            title=_node_title(n),
            shape="box",
            x=x,
            y=y,
            fixed=True,
            physics=False,
            color={
                "background": LABEL_FILLS.get(n.label or "", NEUTRAL_FILL),
                "border": "#111111" if focus else "#666666",
                "highlight": {"background": "#FFFFFF", "border": "#000000"},
            },
            borderWidth=3 if focus else 1,
            font={"face": "sans-serif", "size": FONT_PX},
            widthConstraint={"minimum": BOX_W, "maximum": BOX_W},
            margin=MARGIN,
        )
    for i, e in enumerate(sg.edges):
        conf = drawn_confidence(e)
        mark = (
            {"label": "✓", "font": {"size": FONT_PX, "strokeWidth": 4}} if edge_reviewed(e) else {}
        )
        net.add_edge(
            e.source,
            e.target,
            id=f"e{i}",
            title=_edge_title(e),
            color=EDGE_COLOURS[e.type],
            width=1 + 3 * conf,
            dashes=conf < LOW_CONFIDENCE,
            arrows=edge_arrows(e.type),
            **mark,
        )
    return net


def vis_options() -> dict[str, Any]:
    """Fixed positions, no physics, no hierarchical layout (it never wraps a wide level),
    keyboard navigation on the focused map."""
    return {
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "navigationButtons": False,
            "dragNodes": False,
            # Arrow keys move the map and +/- zoom once it has the keyboard focus (Tab); never
            # bound to the window, where they would steal the page's own keys.
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
        },
        "edges": {
            "smooth": {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.5},
            "arrowStrikethrough": False,
        },
        "nodes": {"scaling": {"label": {"drawThreshold": LABEL_DRAW_THRESHOLD}}},
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
    }
