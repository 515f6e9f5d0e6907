"""Two reviewers on one item: the Review page's conflict, shown and settled, never lost.

A click decides the item the page showed, on the version it showed. When someone else decided
that item meanwhile (it left this reviewer's queue, or its version moved on), nothing is saved:
the page says who decided what and when, and offers to keep their decision or to replace it
with this reviewer's own (saved on the version now stored, so a third decision in between is
again a conflict, not overwritten).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from argmap.dashboard.render import md, message
from argmap.graph.review_history import last_change, minute
from argmap.graph.review_state import versions
from argmap.graph.store import Store

from argmap.core.errors import ReviewConflict, ReviewError
from argmap.core.json_v1 import ReviewRow

Decide = Callable[..., ReviewRow]


def decided_meanwhile(
    store: Store,
    shown: dict[str, Any],
    label: str,
    again: tuple[Decide, tuple[Any, ...]] | None,
) -> bool:
    """If the item the page ``shown`` changed since (a newer version), keep the decision the
    reviewer tried (``label``; ``again``: ``fn, args`` to make it on the item as
    ``fn(store, *args, reviewer, version)``, ``None`` if it cannot be made again from here) as a
    conflict to settle: ``True``. ``False`` when nobody decided it (it left the queue otherwise)."""
    key = shown["vkey"]
    now = versions(store, [key])[key]
    change = last_change(store, key)
    if now == shown["version"] or change is None:
        return False
    st.session_state["rv_conflict"] = {
        "key": key,
        "what": shown.get("label", key),
        "version": now,
        "theirs": f"{change.action} by {change.reviewer} at {minute(change.at)}",
        "label": label,
        "again": again,
    }
    return True


def settle_conflict(store: Store, reviewer: str | None) -> None:
    """Show the conflict this session ran into, if any: keep theirs, or replace it with yours."""
    conflict = st.session_state.get("rv_conflict")
    if not conflict:
        return
    with st.container(border=True):
        st.warning(
            f"Decided by someone else while you looked at it: {md(conflict['what'], 200)} — "
            f"**{md(conflict['theirs'])}**. Nothing of yours was saved "
            f"(you chose: {md(conflict['label'])})."
        )
        c1, c2 = st.columns(2)
        if c1.button("Keep theirs", key="rv_keep"):
            st.session_state.pop("rv_conflict")
            st.session_state["rv_flash"] = ("success", "Kept their decision; nothing saved.")
            st.rerun()
        if conflict["again"] is None:
            c2.caption(
                "To decide it again, tick **Reviewed too** and find it in the queue (its "
                "decision is made on what it is now)."
            )
        elif c2.button(f"Replace with yours ({conflict['label']})", key="rv_replace"):
            st.session_state.pop("rv_conflict")
            fn, args = conflict["again"]
            try:
                review = fn(store, *args, reviewer, conflict["version"])
            except ReviewConflict as exc:  # a third reviewer in between: shown, not overwritten
                st.session_state["rv_flash"] = ("warning", str(exc))
            except ReviewError as exc:
                st.session_state["rv_flash"] = ("error", str(exc))
            else:
                st.session_state.setdefault("rv_done", []).append(review.id)
                st.session_state["rv_flash"] = (
                    "success",
                    f"{conflict['label']}: saved, replacing {conflict['theirs']} "
                    f"(review {review.id})",
                )
            st.rerun()
    # Shown with the escaping every message gets: names and ids are literal text.
    st.caption(message(f"History of it: `argmap review history {conflict['key']}`"))
