"""The Review page's tools beside the queue: undo and draw a relation (there even when the
queue is empty), and extracting the posts a review left waiting."""

from __future__ import annotations

import streamlit as st
from argmap.graph import review_actions as act
from argmap.graph.review_history import undo
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.wording import plural


def extract_waiting(store: Store, tids: list[str] | None) -> None:
    """Extract the waiting posts with the offline extractor, as `argmap review extract -e
    offline` does: on this machine, from the store's copy of the thread (nothing is sent)."""
    # Imported here: the dashboard reads through graph; only this button extracts.
    from argmap.ingest.extract import get_extractor
    from argmap.ingest.from_store import extract_pending

    with st.spinner("Extracting the waiting posts…"):
        summary = extract_pending(store, get_extractor("offline"), tids)
    st.session_state["rv_flash"] = (
        "success",
        f"Extracted {plural(summary.extracted_now, 'post')}: {plural(summary.claims, 'claim')}, "
        f"{plural(summary.relations, 'relation')} in the graph now",
    )
    st.rerun()


def edit_tools(store: Store, reviewer: str | None) -> None:
    """Undo the last decision, draw a missed relation."""
    done = st.session_state.get("rv_done", [])
    if done and st.button("Undo last", key="rv_undo"):
        try:
            r = undo(store, done[-1], reviewer)
            done.pop()
            st.session_state["rv_flash"] = ("success", f"Undone: {r.action} of {r.key}")
        except ReviewError as exc:
            st.session_state["rv_flash"] = ("error", str(exc))
        st.rerun()
    with st.expander("Draw a relation the machine missed"):
        d1, d2, d3 = st.columns([2, 2, 1])
        src = d1.text_input("From claim id", key="rv_add_src")
        dst = d2.text_input("To claim id", key="rv_add_dst")
        kind = d3.selectbox("Type", ["rebuts", "supports"], key="rv_add_type")
        if st.button("Draw it", key="rv_add"):
            try:
                r = act.add_relation(store, src.strip(), dst.strip(), kind, reviewer)
                st.session_state["rv_flash"] = ("success", f"Drawn: {r.key} (review {r.id})")
                st.session_state.setdefault("rv_done", []).append(r.id)
            except ReviewError as exc:
                st.session_state["rv_flash"] = ("error", str(exc))
            st.rerun()
