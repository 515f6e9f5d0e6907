"""Graph: the interactive argument graph (pyvis, its JavaScript inlined: nothing loads remotely)."""

from __future__ import annotations

import streamlit as st
from argmap.dashboard import filters, map_list, map_open, reads, state
from argmap.dashboard.render import highlighted_post, md, short
from argmap.graph.export_text import short_date
from argmap.graph.html_style import PHONE_MAP_MIN
from argmap.graph.html_text import list_title

HEIGHT = 680  # px of map on a desktop
# px: the frame's header above the map (title, caption, legend, hint) in a desktop's frame. The
# map fills what the header leaves of the frame (its CSS), so the frame never scrolls inside the
# page; a longer header (many threads' titles, a phone's) leaves it less, never under its floor.
HEADER_ROOM = 240
BANNER_ROOM = 60  # px: the frame's note that the node cap left claims out (two lines there)

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)

selection = filters.selection_widgets(store, tids)
sg = reads.subgraph(store, selection)
drawn = selection.model_dump_json()  # which map a claim was opened on

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
# Outside the frame, as the page's own elements: a frame's height is fixed from here, and the
# open list (1,500 px for the sample) would either scroll inside it or need its height guessed.
with st.expander(list_title(sg)):
    st.caption("Choose a claim to open it in its post, on the map below and under Source text.")
    map_list.draw(sg, drawn)
opened = map_list.opened(sg, drawn)
# The same HTML whichever claim is open: a frame whose HTML changes is loaded afresh (the
# reader's pan and zoom lost); the claim reaches the map drawn through map_open.
st.iframe(
    reads.graph_html(store, selection, f"{PHONE_MAP_MIN}px"),
    height=HEIGHT + HEADER_ROOM + (BANNER_ROOM if sg.truncated else 0),
)
if opened:
    map_open.send(opened.claim, opened.from_list, opened.seq)
else:
    map_open.send()  # none: a frame loading now (another map) opens none, nor takes the keyboard
st.caption(
    "Hover a claim for its author and quote; click it to read the quote in its post "
    "(the panel on the right), or pick it below."
)

st.header("Source text")
labels = {n.id: f"{short(n.author, 24)}: {short(n.text, 90)}" for n in sg.nodes}
# A new focus shows its own claim: the picker kept the one read before while it stayed drawn.
if st.session_state.get("g_source_focus") != sg.focus:
    st.session_state.pop(map_list.SOURCE, None)
    st.session_state["g_source_focus"] = sg.focus
# Its claim is held in the session (the map as text sets it too), so it gets no default index.
if st.session_state.get(map_list.SOURCE) not in labels:
    st.session_state[map_list.SOURCE] = sg.focus if sg.focus in labels else next(iter(labels))
picked = st.selectbox(
    "Read a claim in its post",
    options=list(labels),
    format_func=lambda cid: labels.get(cid, cid),
    index=None,
    key=map_list.SOURCE,
    on_change=map_list.picked,
    args=(drawn,),
)
node = sg.node(picked) if picked else sg.nodes[0]
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
