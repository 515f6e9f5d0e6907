"""The Graph page's map as text: each claim a button that opens it as a click on its box does.

The map is a canvas in a frame: a keyboard, a screen reader or a thumb on a phone reaches none of
its boxes. The list holds the same claims; choosing one opens it in the map's panel (its quote in
its post), selects its box and brings it into view, and shows it under Source text, as choosing
it in that picker does. Both set one value in the session (``OPEN``), which ``map_open`` passes to
the map already drawn (its frame is not loaded again).
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st
from argmap.dashboard import button_lang, map_open
from argmap.dashboard.render import md, wrapping
from argmap.graph.html_text import claim_notes, claim_relations, thread_language_of
from argmap.graph.subgraph import Subgraph

OPEN = "g_open"  # the claim open in the map's panel, where it was chosen, and for which map
SOURCE = "g_source"  # the Source text picker's key


# A list reads from its start: Streamlit centres a button's words (a claim of three lines, each
# centred, read as a poem). A label takes the direction of its first words, as dir="auto" does
# (it can hold no attribute): an Arabic author's claim reads right to left. A claim's relations
# in its buttons' size, not larger than the claim.
# Only <style>: Streamlit adds it to the page without a block of its own.
LIST_CSS = """<style>
.st-key-g_list button, .st-key-g_list button * { justify-content: flex-start; text-align: start; }
.st-key-g_list button p { unicode-bidi: plaintext; }
.st-key-g_list ul { margin: 0 0 0.4em; font-size: 0.875rem; }
</style>"""


class Opened(NamedTuple):
    claim: str
    from_list: bool  # chosen in the list: the keyboard follows it into the panel
    drawn: str  # the selection (JSON) of the map it was chosen on
    seq: int  # which request (map_open.next_request): the map opens each one once


def _choose(claim: str, drawn: str) -> None:
    st.session_state[OPEN] = Opened(claim, True, drawn, map_open.next_request())
    st.session_state[SOURCE] = claim


def picked(drawn: str) -> None:
    """The Source text picker's callback: its claim opens in the map's panel too."""
    claim = st.session_state.get(SOURCE)
    if claim:
        st.session_state[OPEN] = Opened(claim, False, drawn, map_open.next_request())


def opened(sg: Subgraph, drawn: str) -> Opened | None:
    """The claim to open in the map's panel: none once the reader draws another map (its frame
    loads afresh, and must not take the keyboard from the sidebar) or a map without it."""
    chosen = st.session_state.get(OPEN)
    if not isinstance(chosen, Opened) or chosen.drawn != drawn:
        return None
    return chosen if any(n.id == chosen.claim for n in sg.nodes) else None


def draw(sg: Subgraph, drawn: str) -> None:
    """The list: each claim a button named by its author and words, then what it rebuts or
    supports (the frame's own list, as HTML, all of it escaped)."""
    st.html(LIST_CSS)
    relations = claim_relations(sg)
    with st.container(key="g_list", gap=None):
        for n in sg.nodes:
            notes = claim_notes(sg, n)
            label = f"{n.author or 'unknown'}: {n.text}" + (f" ({notes})" if notes else "")
            st.button(
                md(label),  # a button's label is Markdown: the claim's own characters, no link
                key=f"g_list_{n.id}",
                on_click=_choose,
                args=(n.id, drawn),
                type="tertiary",
            )
            if n.id in relations:
                st.html(wrapping(relations[n.id]))
    # Each button in its thread's language (the relations' HTML carries its own).
    languages = thread_language_of(sg)
    button_lang.mark(
        "g_list",
        {f"g_list_{n.id}": languages.get(n.thread_id or "") for n in sg.nodes},
        "g_list_lang",
    )
