"""Chains: a claim's rebuttal chains, read as a sequence (who said what, who answered)."""

from __future__ import annotations

import streamlit as st
from argmap.dashboard import state
from argmap.dashboard.render import md, short
from argmap.graph import overview
from argmap.graph.chains import find_chains
from argmap.graph.export_text import short_date

LONGEST = "__longest__"
SHOWN = 10  # chains drawn at once; the search itself is bounded in graph.chains

store = state.get_store()
tids = state.thread_ids()
state.require_posts(store)

st.title("Rebuttal chains")
st.caption(
    "A chain is a claim, the claim that rebuts it, the claim that rebuts that one, and so on. "
    "Read each chain from the top: the first claim was made first, each next one answers it."
)

choices = overview.rebuttal_choices(store, tids)
if not choices:
    st.info("No claim rebuts another yet, so there is no chain to show.")
    st.stop()
labels = {LONGEST: "The longest chains in the graph"}
for c in choices:
    rebutted = f"rebutted {c.rebuttals}×" if c.rebuttals else "rebuts others"
    labels[c.id] = f"{short(c.author, 24)}: {short(c.text, 80)} ({rebutted})"
picked = st.selectbox(
    "Claim",
    list(labels),
    format_func=lambda cid: labels.get(cid, cid),
    key="c_claim",
    help="Pick a claim to see the chains of rebuttals that answer it (or that it starts).",
)
direction = "answers"
if picked != LONGEST:
    direction = st.radio(
        "Chains",
        ["answers", "starts"],
        horizontal=True,
        key="c_direction",
        format_func={"answers": "that answer this claim", "starts": "this claim starts"}.get,
    )

if picked == LONGEST:
    search = find_chains(store, limit=None)
elif direction == "answers":
    search = find_chains(store, to_claim=picked, limit=None)
else:
    search = find_chains(store, from_claim=picked, limit=None)

# graph.chains lists claim ids, each rebutting the next; a reader wants the oldest claim first.
sequences = [list(reversed(c.claims)) for c in search.chains]
details = overview.claim_details(store, sorted({cid for seq in sequences for cid in seq}))
if tids is not None:
    sequences = [
        s for s in sequences if all(details[c].thread_id in tids for c in s if c in details)
    ]

if search.truncated:
    st.warning("The chain search stopped at its time budget: the chains below are not all of them.")
if not sequences:
    st.info(
        "No rebuttal chain here: nothing rebuts this claim."
        if direction == "answers"
        else "No rebuttal chain here: this claim rebuts nothing."
    )
    st.stop()

longest = max(len(s) - 1 for s in sequences)
st.markdown(
    f"**{len(sequences)}** chain{'s' if len(sequences) != 1 else ''}, the longest "
    f"**{longest}** rebuttal{'s' if longest != 1 else ''} long"
    + (f"; showing the {SHOWN} longest" if len(sequences) > SHOWN else "")
)


def step(cid: str, first: bool) -> None:
    d = details.get(cid)
    if d is None:
        st.markdown(f"*claim {md(cid)} is no longer in the graph*")
        return
    where = "the article" if d.kind == "article" else f"comment #{d.position}"
    verb = "" if first else "↳ rebutted by "
    st.markdown(
        f"{verb}**{md(d.author or 'unknown')}** · {md(short_date(d.posted_at) or 'undated')} · {where}"
    )
    st.markdown(f"> “{md(d.quote)}”")
    paraphrase = " ".join(d.text.rstrip("…").split())
    if paraphrase and not " ".join(d.quote.split()).startswith(paraphrase):  # not just the quote
        st.caption(f"Claim: {md(d.text, 300)}")


for n, seq in enumerate(sequences[:SHOWN], start=1):
    with st.container(border=True):
        st.markdown(f"**Chain {n}** · {len(seq) - 1} rebuttal{'s' if len(seq) != 2 else ''}")
        for i, cid in enumerate(seq):
            step(cid, first=i == 0)
