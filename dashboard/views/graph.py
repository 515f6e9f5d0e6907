"""Graph: the interactive argument graph (pyvis, its JavaScript inlined: nothing loads remotely)."""

from __future__ import annotations

import streamlit as st
from argmap.dashboard import filters, reads, state
from argmap.dashboard.render import highlighted_post, md, short
from argmap.graph.export_text import short_date

HEIGHT = 680  # pixels of network; the legend and caption sit above it in the frame

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)

selection = filters.selection_widgets(store, tids)
sg = reads.subgraph(store, selection)

st.title("Argument graph")
if not sg.nodes:
    st.info(filters.empty_hint(store, selection, "in the sidebar"))
    st.stop()

summary = f"{sg.showing}, {len(sg.edges)} relations"
if sg.truncated:
    st.warning(
        f"{summary}: the cap kept "
        + (
            "the claims nearest the focus"
            if selection.claim
            else "whole conversations, biggest first"
        )
        + ". Raise the cap or narrow the filters to see the rest."
    )
else:
    st.caption(summary)
st.iframe(
    reads.graph_html(store, selection, f"{HEIGHT}px"), height=HEIGHT + 180
)  # + caption and legend
st.caption(
    "Hover a claim for its author and quote; click it to read the quote in its post "
    "(the panel on the right), or pick it below."
)

st.header("Source text")
labels = {n.id: f"{short(n.author, 24)}: {short(n.text, 90)}" for n in sg.nodes}
# A new focus shows its own claim: the picker kept the one read before while it stayed drawn.
if st.session_state.get("g_source_focus") != sg.focus:
    st.session_state.pop("g_source", None)
    st.session_state["g_source_focus"] = sg.focus
picked = st.selectbox(
    "Read a claim in its post",
    options=list(labels),
    format_func=lambda cid: labels.get(cid, cid),
    index=list(labels).index(sg.focus) if sg.focus in labels else 0,
    key="g_source",
)
node = sg.node(picked)
post = next((p for p in sg.posts if p.id == node.post_id), None)
where = "the article" if node.post_kind == "article" else f"comment #{node.position}"
st.markdown(
    f"**{md(node.author or 'unknown')}** · {md(short_date(node.posted_at) or 'undated')} · {where}"
    + (f" · grounded label **{md(node.label)}**" if node.label else "")
)
st.markdown(f"Claim: {md(node.text)}")
if post is not None:
    # The post in its thread's language ("" when unknown), not the English page's.
    language = next((t.language for t in sg.threads if t.id == node.thread_id), None)
    st.html(highlighted_post(post.text, node.start, node.end, lang=language or ""))
    with st.expander("The whole post"):
        st.text(post.text)
