"""Review: check what the machine was least sure of, and correct it.

Read-only unless the dashboard was started with ``--allow-edits``. A reviewer gives their name
once per browser session; every decision keeps it. Keys: A accept, R reject, N next, P
previous, U undo.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from argmap.dashboard import reads, state
from argmap.dashboard.render import highlighted_post, md, message, short
from argmap.dashboard.review_conflict import (
    click_on_emptied_queue,
    decided_meanwhile,
    settle_conflict,
)
from argmap.dashboard.review_place import go_to, place_in_queue
from argmap.dashboard.review_tools import edit_tools, extract_waiting
from argmap.dashboard.shortcuts import bind_review_keys
from argmap.graph import review_actions as act
from argmap.graph.catalog import authors_like
from argmap.graph.review_context import (
    claim_view,
    parent_choices,
    post_view,
    retarget_choices,
)
from argmap.graph.review_history import history
from argmap.graph.review_queue import (
    DEFAULT_KINDS,
    KINDS,
    QueueItem,
    review_queue,
    version_key,
)
from argmap.graph.store import Store
from argmap.graph.summary_refresh import background_refresher
from argmap.graph.writes import pending_posts

from argmap.core.errors import ReviewConflict, ReviewError
from argmap.core.json_v1 import ReviewRow
from argmap.core.settings import get_settings

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)
editable = get_settings().dashboard_allow_edits

st.title("Review")
st.caption(
    "What the machine was least sure of, least certain first. Accept what is right, correct "
    "what is wrong: your decisions are kept with your name, and a new ingest never undoes them."
)

if not editable:
    st.info(
        "Read-only: start the dashboard with `argmap dashboard --allow-edits` to save decisions."
    )
elif not st.session_state.get("reviewer"):
    with st.form("rv_name"):
        name = st.text_input("Your name (kept with every decision you make)", key="rv_name_in")
        if st.form_submit_button("Start reviewing") and name.strip():
            st.session_state["reviewer"] = " ".join(name.split())
            st.rerun()
    st.stop()
reviewer: str | None = st.session_state.get("reviewer")

left, mid, right = st.columns([2, 2, 1])
kinds = left.multiselect(
    "Kinds",
    list(KINDS),
    default=list(DEFAULT_KINDS),
    key="rv_kinds",
    persist_state="session",  # kept while the reviewer looks at another page
    placeholder="All but candidates",
    help="candidate: the machine's hidden guesses (a reply's stance where its words show none); "
    "accepting one draws it as a relation",
)
person = (
    mid.text_input("Person", key="rv_person", placeholder="Any author", persist_state="session")
    or None
)
done_too = right.checkbox("Reviewed too", key="rv_all", persist_state="session")
SHOWN = 500  # items loaded at once; decisions take items out, so the rest come in as you go
queue = review_queue(store, tids, kinds or None, person, limit=SHOWN, include_reviewed=done_too)
# The item this browser showed before this run: a click decides on that item, not on whatever
# the queue holds at its place now (another reviewer may have taken it out meanwhile). Read, not
# popped: a run Streamlit cuts short for a newer event must leave the last one standing.
shown_before: dict[str, Any] | None = st.session_state.get("rv_shown")
if editable and not queue and shown_before:  # the click's buttons are gone with its item
    click_on_emptied_queue(store, shown_before)

flash = st.session_state.pop("rv_flash", None)
if flash:
    # Messages name claims, posts and reviewers: their text is escaped, not read as Markdown.
    {"success": st.success, "warning": st.warning}.get(flash[0], st.error)(message(flash[1]))


if editable:
    settle_conflict(store, reviewer)
waiting = sum(pending_posts(store, tids).values())
if waiting:
    st.info(
        f"{waiting} {'post waits' if waiting == 1 else 'posts wait'} for extraction (a reply "
        "moved to another parent, a post marked not spam, an interrupted ingest): "
        + (
            "extract them here with the offline extractor, or run `argmap review extract -e "
            "llm` for the LLM."
            if editable
            else "run `argmap review extract` and their relations follow."
        )
    )
    if editable and st.button("Extract them now (offline)", key="rv_extract"):
        extract_waiting(store, tids)
refresher = background_refresher(store)
if refresher is not None and refresher.busy:  # a big graph: edits refresh it on a thread
    st.caption(
        "The summary is being refreshed in the background after recent edits: until it is "
        "done, the other pages compute their numbers live (slower on a big graph)."
    )


if person and not queue:  # nobody by that name, or a name given in part ("Pham")
    near = authors_like(store, person)
    if not near or near[0].casefold() != person.strip().casefold():
        st.warning(
            f"No author is called {md(person)}"
            + (f"; did you mean {', '.join(md(a) for a in near)}?" if near else ".")
            + " The Person filter takes a whole name."
        )
        st.stop()
if not queue:
    st.success("Nothing left to review here.")
    if editable:
        edit_tools(store, reviewer)
    st.stop()
pos = place_in_queue(queue)
item: QueueItem = queue[pos]
st.session_state["rv_shown"] = {
    "key": item.key,
    "vkey": version_key(item),
    "version": item.version,
    "label": item.label,
    "pair": (item.source, item.target) if item.kind in ("relation", "candidate") else None,
    "type": item.type,  # what the machine said, to tell what a re-extraction changed
    "confidence": item.confidence,
}
total = f"{len(queue)}+" if len(queue) == SHOWN else str(len(queue))
st.progress((pos + 1) / len(queue), text=f"Item {pos + 1} of {total} · {item.kind}")
if reviewer:
    st.caption(
        f"Reviewing as **{md(reviewer)}**. Keys: A accept · R reject · N next · P previous · U undo last"
    )


def run(label: str, fn: Callable[..., ReviewRow], *args: Any) -> None:
    """Apply a decision with the version this page showed; a conflict is shown, not lost."""
    if shown_before is None or shown_before["key"] != item.key:
        # The buttons were drawn for the item now in its place: only a decision that needs
        # nothing but the shown pair can be replayed on the item the page showed.
        pair = (shown_before or {}).get("pair")
        again = (fn, pair) if pair and fn in (act.accept, act.reject, act.flip) else None
        if shown_before is None or not decided_meanwhile(store, shown_before, label, again):
            st.session_state["rv_flash"] = (
                "warning",
                "The queue changed since your page showed that item (it left the queue): "
                "nothing was saved. Here is the item now in its place.",
            )
        st.rerun()
    try:
        review = fn(store, *args, reviewer, shown_before["version"])
    except ReviewConflict as exc:
        if not decided_meanwhile(store, shown_before, label, (fn, args)):
            st.session_state["rv_flash"] = ("warning", str(exc))
        st.rerun()
    except ReviewError as exc:
        st.session_state["rv_flash"] = ("error", str(exc))
        st.rerun()
    st.session_state.setdefault("rv_done", []).append(review.id)
    st.session_state["rv_flash"] = ("success", f"{label}: saved (review {review.id})")
    st.rerun()


# Characters of a post shown either side of a quote: two half-width columns side by side, and
# the marked words must be on screen with no scrolling inside the box.
QUOTE_CONTEXT = 300


def side(
    title: str,
    post_id: str,
    text: str,
    start: int | None,
    end: int | None,
    who: str | None,
    quote: str | None = None,
) -> None:
    st.markdown(f"**{title}** · {md(who or 'unknown')}")
    if (start is None or end is None) and quote and quote in text:  # an ungrounded quote
        start = text.index(quote)
        end = start + len(quote)
    # The post in its thread's language ("" when unknown), not the English page's.
    lang = reads.post_language(store, post_id)
    if start is None or end is None:
        st.html(highlighted_post(text, None, None, lang=lang))
    else:  # the window around the quote, whole: the mark is always in view
        st.html(highlighted_post(text, start, end, QUOTE_CONTEXT, scroll=False, lang=lang))


def explain(shown: QueueItem) -> None:
    """Why the item is here and what to check, then the machine's own terse note (a relation's
    rationale quotes the comment's words: escaped, like all text from the graph)."""
    st.markdown(md(shown.explanation))
    if shown.reason and shown.kind in ("relation", "candidate"):
        st.caption(f"The machine's notes: {md(shown.reason, 300)}")


def relation_item() -> None:
    a = claim_view(store, item.source or "")
    b = claim_view(store, item.target or "")
    if a is None or b is None:
        st.error("This relation's claims are gone; reload the page.")
        return
    asked = "?" if item.kind == "candidate" else ""
    st.markdown(f"The machine says **{md(a.author)}** *{md(item.type)}{asked}* **{md(b.author)}**.")
    explain(item)
    col_a, col_b = st.columns(2)
    with col_a:
        side("Answering claim", a.post_id, a.post_text, a.start, a.end, a.author, a.quote)
        st.caption(f"Claim: {md(a.text, 300)}")
    with col_b:
        side("Claim answered", b.post_id, b.post_text, b.start, b.end, b.author, b.quote)
        st.caption(f"Claim: {md(b.text, 300)}")
    if not editable:
        return
    c1, c2, c3, c4 = st.columns(4)
    if c1.button("Accept (A)", key="rv_accept", type="primary"):
        run("Accepted", act.accept, item.source, item.target)
    if c2.button("Reject (R)", key="rv_reject"):
        run("Rejected", act.reject, item.source, item.target)
    other = "supports" if item.type == "rebuts" else "rebuts"
    if c3.button(f"Flip to {other}", key="rv_flip"):
        run("Flipped", act.flip, item.source, item.target)
    next_button(c4)
    choices = [c for c in retarget_choices(store, a.id) if c.id not in (a.id, b.id)]
    if choices:
        labels = {c.id: f"{short(c.author, 20)}: {short(c.text, 90)}" for c in choices}
        r1, r2 = st.columns([4, 1])
        new = r1.selectbox(
            "Re-target to (the parent's and the article's claims)",
            list(labels),
            format_func=lambda cid: labels.get(cid, cid),
            key=f"rv_new_{item.key}",
        )
        if r2.button("Re-target", key="rv_retarget"):
            run("Re-targeted", act.retarget, item.source, item.target, new)


def parent_item() -> None:
    me = post_view(store, item.source)
    up = post_view(store, item.target)
    if me is None:
        st.error("This post is gone; reload the page.")
        return
    answered = md(up.author if up is not None else "unknown")
    st.markdown(f"The machine says **{md(me.author)}** answers **{answered}**.")
    explain(item)
    col_a, col_b = st.columns(2)
    with col_a:
        side(f"Comment #{me.position}", me.id, me.text, None, None, me.author)
    with col_b:
        if up is not None:
            side(f"Its parent: #{up.position}", up.id, up.text, None, None, up.author)
    if not editable:
        return
    c1, c2 = st.columns([1, 3])
    if c1.button("Accept (A)", key="rv_accept", type="primary") and item.target:
        run("Parent confirmed", act.set_parent, item.source, item.target)
    next_button(c2)
    options = {
        p.id: f"#{p.position} {short(p.author, 20)}: {short(p.text, 80)}"
        for p in parent_choices(store, me.id)
    }
    r1, r2 = st.columns([4, 1])
    new = r1.selectbox(
        "Replies to",
        list(options),
        format_func=lambda pid: options.get(pid, pid),
        key=f"rv_par_{item.key}",
    )
    if r2.button("Set parent", key="rv_set_parent"):
        moved = "; its relations follow after `argmap review extract`" if new != item.target else ""
        run(f"Parent set{moved}", act.set_parent, item.source, new)


def spam_item() -> None:
    me = post_view(store, item.source)
    if me is None:
        st.error("This post is gone; reload the page.")
        return
    verdict = "spam" if me.is_spam else "not spam"
    explain(item)
    side(f"Comment #{me.position}", me.id, me.text, None, None, me.author)
    if not editable:
        return
    c1, c2, c3 = st.columns(3)
    if c1.button(f"Accept (A): {verdict}", key="rv_accept", type="primary"):
        run("Confirmed", act.mark_spam, item.source, me.is_spam)
    if c2.button(f"Reject (R): {'not spam' if me.is_spam else 'spam'}", key="rv_reject"):
        run("Changed", act.mark_spam, item.source, not me.is_spam)
    next_button(c3)


def claim_item() -> None:
    c = claim_view(store, item.source or "")
    if c is None:
        st.error("This claim is gone; reload the page.")
        return
    explain(item)
    side("Claim in its post", c.post_id, c.post_text, c.start, c.end, c.author, c.quote)
    if not editable:
        st.caption(f"Claim: {md(c.text, 300)}")
        return
    text = st.text_input("Paraphrase", value=c.text, key=f"rv_text_{item.key}")
    quote = st.text_input("Quote (words from the post)", value=c.quote, key=f"rv_quote_{item.key}")
    c1, c2 = st.columns([1, 3])
    if c1.button("Accept (A): save", key="rv_accept", type="primary"):
        new_quote = quote if quote != c.quote else None

        def save(s: Store, cid: str, who: str, version: int | None) -> ReviewRow:
            return act.edit_claim(s, cid, who, text, new_quote, version)

        run("Claim saved", save, item.source)
    next_button(c2)


def next_button(col: Any) -> None:
    back, forward = col.columns(2)
    if back.button("Previous (P)", key="rv_prev"):
        go_to(queue, (pos - 1) % len(queue))
    if forward.button("Next (N)", key="rv_next"):
        go_to(queue, (pos + 1) % len(queue))


with st.container(border=True):
    views = {
        "relation": relation_item,
        "candidate": relation_item,  # a hidden guess is decided like a relation
        "parent": parent_item,
        "spam": spam_item,
        "claim": claim_item,
    }
    views[item.kind]()
    if not editable:  # reading needs the way through the queue too
        next_button(st.container())

if editable:
    # A new token each run: the frame reloads and stamps the page once this run's keys are live.
    st.session_state["rv_run"] = st.session_state.get("rv_run", 0) + 1
    bind_review_keys(f"{item.key}#{st.session_state['rv_run']}")
    edit_tools(store, reviewer)

with st.expander("History of this item"):
    rows = history(store, version_key(item))
    if not rows:
        st.caption("No decision yet.")
    for r in rows:
        undone = f" · undone by {md(r.undone_by)}" if r.undone else ""
        st.markdown(f"{md(r.at)} · **{md(r.action)}** by {md(r.reviewer)}{undone}")
