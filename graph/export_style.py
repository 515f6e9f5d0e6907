"""The colours and names every view of the graph shares: pictures, the HTML page, the dashboard.

Okabe-Ito colours for the relations: distinguishable with the common colour-vision deficiencies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argmap.graph.subgraph import ClaimNode, RelationEdge

EDGE_COLOURS = {"rebuts": "#D55E00", "supports": "#0072B2"}
# How a relation's line ends at the claim it answers, in every view (pictures, the HTML page): a
# bar (⊣, "blocked by") for a rebuttal, an arrowhead for a support, so the two differ in shape as
# well as in colour (under protanopia and in greyscale the colours look alike).
EDGE_ENDS = {"rebuts": "bar", "supports": "arrow"}
RELATION_WORDS = {
    "rebuts": "rebuts: the line ends in a bar at the claim it argues against",
    "supports": "supports: the arrow points at the claim it backs",
}
PARTICIPLES = {"rebuts": "rebutted", "supports": "supported"}
LABEL_FILLS = {"IN": "#D5EFCF", "OUT": "#F7D0D0", "UNDEC": "#FBEDB8"}
LABEL_NAMES = {
    "IN": "IN: stands (grounded semantics)",
    "OUT": "OUT: defeated",
    "UNDEC": "UNDEC: undecided",
}
NEUTRAL_FILL = "#F2F2F2"
BORDER = "#555555"
FOCUS_BORDER = "#111111"
LOW_CONFIDENCE = 0.5  # relations below this are dashed

# Marks for what people checked (graph.review_actions); drawn only where there is one.
REVIEWED_TAG = "✓ reviewed"
REVIEWED_CLAIM_WORDS = "✓ reviewed: a person checked or corrected this claim"
REVIEWED_EDGE_WORDS = "a person checked or drew this relation"


def claim_reviewed(node: ClaimNode) -> bool:
    """Whether a reviewer edited ``node`` (its paraphrase or quote)."""
    return node.reviewed_by is not None or node.text_origin == "human"


def edge_reviewed(edge: RelationEdge) -> bool:
    """Whether a reviewer accepted ``edge`` or drew it (add, flip, re-target)."""
    return edge.origin == "human" or edge.status == "accepted"


def drawn_confidence(edge: RelationEdge) -> float:
    """How sure a picture draws ``edge``: a relation a person checked is drawn as certain."""
    if edge_reviewed(edge):
        return 1.0
    return edge.confidence if edge.confidence is not None else 1.0
