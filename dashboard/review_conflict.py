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
from argmap.graph import review_actions as act
from argmap.graph.review_history import last_change, minute
from argmap.graph.review_machine import changed_by_machine, current_relation
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
    if now != shown["version"] and redrawn_meanwhile(store, shown, label, now):
        return True
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


def redrawn_meanwhile(store: Store, shown: dict[str, Any], label: str, now: int) -> bool:
    """If a re-extraction redrew the relation the page ``shown`` (its latest version is the
    machine's), keep what changed to tell the reviewer: ``True``. Their decision was made on the
    old reading, so it is not replayed: the page shows the item as it is now, to decide again."""
    if not shown.get("pair") or changed_by_machine(store, shown["vkey"]) is None:
        return False
    drawn = current_relation(store, *shown["pair"])
    was, was_conf = shown.get("type"), shown.get("confidence")
    if drawn is None:
        said = f"the machine no longer draws it (it said *{was}*)"
    else:  # the types are argmap's own words (rebuts, supports): set in italics as the page does
        kind, conf, _ = drawn
        said = f"the machine now says *{kind}*, not *{was}*" if kind != was else f"still *{kind}*"
        if was_conf is not None and f"{conf:.2f}" != f"{was_conf:.2f}":
            said += f", confidence {conf:.2f}, not {was_conf:.2f}"
    st.session_state["rv_conflict"] = {
        "key": shown["vkey"],
        "what": shown.get("label", shown["vkey"]),
        "version": now,
        "machine": said,
        "label": label,
    }
    return True


def settle_conflict(store: Store, reviewer: str | None) -> None:
    """Show the conflict this session ran into, if any: keep theirs, or replace it with yours."""
    conflict = st.session_state.get("rv_conflict")
    if not conflict:
        return
    if "machine" in conflict:  # said once: the item below is what it is now, to decide again
        st.session_state.pop("rv_conflict")
        st.warning(
            f"Changed by a re-extraction while you looked at it: {md(conflict['what'], 200)} — "
            f"{conflict['machine']}. Nothing of yours was saved (you chose: "
            f"{md(conflict['label'])}): look at it again and decide."
        )
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


# The buttons a click can come from, with what the page calls the decision; the relation ones
# are replayed on the pair the page showed (the others need the item's own widgets).
BUTTONS = {"rv_accept": "Accepted", "rv_reject": "Rejected", "rv_flip": "Flipped"}
REPLAYABLE = {"rv_accept": act.accept, "rv_reject": act.reject, "rv_flip": act.flip}
OTHERS = {"rv_retarget": "Re-targeted", "rv_set_parent": "Parent set"}


def click_on_emptied_queue(store: Store, shown: dict[str, Any]) -> None:
    """A click on the last item shown when the queue is empty now: someone else decided it (the
    conflict, as for any item), or it left the queue otherwise (said). Its button is not drawn
    again, so the click is read from the session by the button's key."""
    clicked = next((k for k in (*BUTTONS, *OTHERS) if st.session_state.get(k)), None)
    if clicked is None:
        return
    label = BUTTONS.get(clicked) or OTHERS[clicked]
    pair = shown.get("pair")
    again = (REPLAYABLE[clicked], pair) if pair and clicked in REPLAYABLE else None
    if not decided_meanwhile(store, shown, label, again):
        st.session_state["rv_flash"] = (
            "warning",
            "The queue changed since your page showed that item (it left the queue): nothing "
            "was saved.",
        )
