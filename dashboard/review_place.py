"""Where a reviewer is in the queue while others work through it too.

The page remembers the item it shows, not a number: another reviewer's decisions take items out
of the queue ahead of it, and "item 2" would then be another item (the one in between never
shown). So the place is the item shown last while it is still in the queue; once it has left
(decided here or elsewhere), the first item after it that is still there; "Item k of N" is
counted on the queue as it is now.
"""

from __future__ import annotations

import streamlit as st
from argmap.graph.review_queue import QueueItem

# Keys kept of the items after the one shown: enough to find the next one left after others
# decided a run of items (the queue holds up to 500).
AHEAD = 100


def place_in_queue(queue: list[QueueItem]) -> int:
    """The index of the item to show now in ``queue`` (not empty), remembered for the next run."""
    keys = [i.key for i in queue]
    shown = st.session_state.get("rv_at")
    if shown in keys:
        pos = keys.index(shown)
    else:  # it left the queue: the first item after it still there, else the same place
        after = [k for k in st.session_state.get("rv_after", []) if k in keys]
        fallback = min(st.session_state.get("rv_pos", 0), len(queue) - 1)
        pos = keys.index(after[0]) if after else fallback
    remember(queue, pos)
    return pos


def remember(queue: list[QueueItem], pos: int) -> None:
    st.session_state["rv_pos"] = pos
    st.session_state["rv_at"] = queue[pos].key
    st.session_state["rv_after"] = [i.key for i in queue[pos + 1 : pos + 1 + AHEAD]]


def go_to(queue: list[QueueItem], pos: int) -> None:
    """Show the item at ``pos`` of ``queue`` (Next, Previous)."""
    remember(queue, pos)
    st.rerun()
