"""What a picture or a page of a selection shows, unless told otherwise: the visual defaults
(a node cap, no guessed relation, only claims in a relation), and the subgraph they leave."""

from __future__ import annotations

from typing import Any

from argmap.graph.store import Store
from argmap.graph.subgraph import select_subgraph
from argmap.graph.subgraph_models import GUESS_CONFIDENCE, Selection, SelectionError, Subgraph


def visual_defaults(selection: Selection, max_nodes: int) -> Selection:
    """What a picture or page shows unless told otherwise: at most ``max_nodes`` claims, no
    guessed relation (confidence below ``GUESS_CONFIDENCE``), and for a whole graph only
    claims in a relation (the rest have no argument to draw)."""
    update: dict[str, Any] = {}
    if selection.min_confidence is None:
        update["min_confidence"] = GUESS_CONFIDENCE
    if selection.max_nodes is None:
        update["max_nodes"] = max_nodes
    if selection.connected_only is None:
        update["connected_only"] = True
    return selection.model_copy(update=update)


def visual_subgraph(store: Store, selection: Selection, max_nodes: int) -> Subgraph:
    """``selection`` as a picture or page shows it (``visual_defaults``, no labels yet).

    Raises ``SelectionError`` when those defaults alone empty it (claims match, but none has a
    relation the picture draws), naming the option that would show them: "no claim matches"
    would send the user looking for a typo in a name that is right.
    """
    sg = select_subgraph(store, visual_defaults(selection, max_nodes), labels=False)
    if sg.nodes:
        return sg
    loose = selection.model_copy(
        update={
            "min_confidence": 0.0 if selection.min_confidence is None else selection.min_confidence,
            "connected_only": bool(selection.connected_only),
            "max_nodes": 1,
        }
    )
    if not select_subgraph(store, loose, labels=False).nodes:
        return sg
    ways = []
    if selection.min_confidence is None:
        ways.append(
            f"draw the offline extractor's guesses too (minimum confidence 0 instead of "
            f"{GUESS_CONFIDENCE}: --min-confidence 0)"
        )
    if selection.connected_only is None:
        ways.append("draw claims without a relation (--all-claims)")
    raise SelectionError(
        "nothing to draw: claims match this selection, but none has a relation a picture "
        "draws; " + " or ".join(ways)
    )
