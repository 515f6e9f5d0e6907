"""Chains: a claim's rebuttal chains, read as a sequence (who said what, who answered)."""

from __future__ import annotations

import streamlit as st
from argmap.dashboard import claim_finder, reads, state
from argmap.dashboard.render import md, quoted
from argmap.graph.export_text import short_date
from argmap.graph.summary import CHOICES

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

choices = reads.rebuttal_choices(store, tids)
if not choices:
    st.info("No claim rebuts another yet, so there is no chain to show.")
    st.stop()
labels = {LONGEST: "The longest chains in the graph"}
for c in choices:
    rebutted = f"rebutted {c.rebuttals}×" if c.rebuttals else "rebuts others"
    labels[c.id] = f"{claim_finder.claim_label(c.author, c.text)} ({rebutted})"


# The list holds the CHOICES most rebutted claims; a bigger thread's others are found here.
wanted = claim_finder.find_box(st, "c_find")
if wanted:
    found_claims = claim_finder.find_claims(store, tids, wanted, labels)
    if found_claims:
        labels = {LONGEST: labels[LONGEST], **found_claims}
    else:
        st.info(
            f"No claim contains every word of {md(wanted)}, nor has it as its id: try fewer "
            "words, or clear the box to pick from the most rebutted claims."
        )
elif len(choices) >= CHOICES:
    st.caption(
        f"The list holds the {CHOICES} most rebutted claims; find any other by its words or id."
    )

labels = claim_finder.keep_chosen(store, tids, st.session_state.get("c_claim"), labels, fixed=1)
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

found = reads.chain_digest(
    store,
    from_claim=picked if picked != LONGEST and direction == "starts" else None,
    to_claim=picked if picked != LONGEST and direction == "answers" else None,
    thread_ids=tids,
    shown=SHOWN,
)
sequences = found.shown
details = reads.claim_details(store, sorted({cid for seq in sequences for cid in seq}))

if found.truncated:
    st.warning("The chain search stopped at its time budget: the chains below are not all of them.")
if not found.total:
    st.info(
        "No rebuttal chain here: nothing rebuts this claim."
        if direction == "answers"
        else "No rebuttal chain here: this claim rebuts nothing."
    )
    st.stop()

longest = found.longest
st.markdown(
    f"**{found.total}** chain{'s' if found.total != 1 else ''}, the longest "
    f"**{longest}** rebuttal{'s' if longest != 1 else ''} long"
    + (f"; showing the {SHOWN} longest" if found.total > SHOWN else "")
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
    # In its thread's language, not the English page's, for a screen reader's voice.
    st.html(quoted(d.quote, lang=d.language or ""))
    paraphrase = " ".join(d.text.rstrip("…").split())
    if paraphrase and not " ".join(d.quote.split()).startswith(paraphrase):  # not just the quote
        st.caption(f"Claim: {md(d.text, 300)}")


for n, seq in enumerate(sequences, start=1):
    with st.container(border=True):
        st.markdown(f"**Chain {n}** · {len(seq) - 1} rebuttal{'s' if len(seq) != 2 else ''}")
        for i, cid in enumerate(seq):
            step(cid, first=i == 0)
