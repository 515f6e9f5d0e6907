"""The Graph page's filters: sidebar widgets that build a ``graph.subgraph.Selection``.

The Graph page draws them; the Export page exports whatever they last said (the selection is
kept in the session, see ``dashboard.state``). Widgets keep their values across page switches.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import streamlit as st
from argmap.dashboard import claim_finder, reads, state
from argmap.dashboard.render import md
from argmap.graph.store import Store
from argmap.graph.subgraph import MOST_REBUTTED, RELATION_TYPES, Selection

WHOLE = "__whole__"
DEFAULT_MAX_NODES = 150  # what a browser draws and a reader can still follow
MAX_NODES = 500  # the most the Graph page ever draws, whatever the user asks
CLAIM_CHOICES = 1000


def default_selection(store: Store, thread_ids: list[str] | None) -> Selection:
    """What the Graph page shows before anyone touches a filter: the most rebutted claim and
    two steps around it (the whole graph's connected claims if nothing is rebutted yet), every
    relation drawn. The floor is the slider's 0, not "the format decides": the Export page
    exports this selection when the Graph page was not opened, and its interactive page took
    the command's 0.31 then, 0 after a look at the Graph page (the same click, another file)."""
    focus = MOST_REBUTTED if reads.most_rebutted(store, thread_ids) else None
    return Selection(
        claim=focus,
        hops=2,
        thread_ids=thread_ids,
        min_confidence=0.0,
        connected_only=True,
        max_nodes=DEFAULT_MAX_NODES,
    )


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _claim_labels(store: Store, thread_ids: list[str] | None) -> dict[str, str]:
    labels = {WHOLE: "Whole graph", MOST_REBUTTED: "The most rebutted claim"}
    for c in reads.claim_choices(store, thread_ids, limit=CLAIM_CHOICES):
        counts = f"{c.rebuttals} rebuttals" if c.rebuttals else "no rebuttal"
        labels[c.id] = f"{claim_finder.claim_label(c.author, c.text)} ({counts})"
    return labels


def selection_widgets(store: Store, thread_ids: list[str] | None) -> Selection:
    """Draw the filters in the sidebar and return the selection they describe."""
    side = st.sidebar
    side.header("Filters")
    # An organizer sets a confidence here and reads the Overview's counts: say what they narrow.
    side.caption(
        "They narrow this map and what the Export page exports; the other pages count every "
        "claim and relation of the threads chosen above."
    )
    labels = _claim_labels(store, thread_ids)
    # The list holds the CLAIM_CHOICES most rebutted claims; a bigger thread's others are
    # found here, as on the Chains page.
    wanted = claim_finder.find_box(side, "g_find")
    if wanted:
        found = claim_finder.find_claims(store, thread_ids, wanted, labels)
        if found:
            labels = {cid: labels[cid] for cid in (WHOLE, MOST_REBUTTED)} | found
        else:
            side.info(
                f"No claim contains every word of {md(wanted)}, nor has it as its id: try "
                "fewer words, or clear the box to pick from the most rebutted claims."
            )
    elif len(labels) - 2 >= CLAIM_CHOICES:
        side.caption(
            f"The list holds the {CLAIM_CHOICES} most rebutted claims; find any other by its "
            "words or id."
        )
    labels = claim_finder.keep_chosen(
        store, thread_ids, st.session_state.get("g_focus"), labels, fixed=2
    )
    default = default_selection(store, thread_ids)
    focus = side.selectbox(
        "Around a claim",
        options=list(labels),
        index=list(labels).index(default.claim or WHOLE),
        format_func=lambda cid: labels.get(cid, cid),
        key="g_focus",
        persist_state="session",
        help="Show one claim and what is within k relation steps of it, or the whole graph.",
    )
    hops = side.slider(
        "k hops around the claim",
        1,
        6,
        2,
        key="g_hops",
        persist_state="session",
        disabled=focus == WHOLE,
    )
    # A person picked before the thread picker narrowed to threads they never wrote in stays
    # picked (an empty graph that says why), as `export --person --thread` gives no claim:
    # left out of the options, Streamlit would drop them and silently show everyone.
    writers = reads.people(store, thread_ids)
    kept = [p for p in st.session_state.get("g_people") or [] if p not in writers]
    people = side.multiselect(
        "People",
        writers + kept,
        key="g_people",
        persist_state="session",
        placeholder="Everyone",
    )
    types = side.pills(
        "Relations",
        list(RELATION_TYPES),
        selection_mode="multi",
        default=list(RELATION_TYPES),
        key="g_types",
        persist_state="session",
    )
    first, last = (_day(v) for v in reads.date_span(store, thread_ids))
    since = until = None
    if first and last:
        picked = side.date_input(
            "Posted between",
            value=(first, last),
            help="Days in UTC, as the Overview's activity chart counts them.",
            min_value=first,
            max_value=last,
            key="g_dates",
            persist_state="session",
        )
        if isinstance(picked, tuple | list) and len(picked) == 2:
            # The full span means "no date filter": undated posts stay in.
            since = picked[0] if picked[0] > first else None
            until = picked[1] if picked[1] < last else None
    min_conf = side.slider(
        "Minimum confidence",
        0.0,
        1.0,
        0.0,
        0.05,
        key="g_conf",
        persist_state="session",
    )
    connected = side.checkbox(
        "Only claims with a relation",
        True,
        key="g_connected",
        persist_state="session",
        disabled=focus != WHOLE,
    )
    max_nodes = side.slider(
        "At most this many claims",
        10,
        MAX_NODES,
        DEFAULT_MAX_NODES,
        10,
        key="g_max",
        persist_state="session",
    )
    fields: dict[str, Any] = {
        "claim": None if focus == WHOLE else focus,
        "hops": hops,
        "thread_ids": thread_ids,
        "people": people or None,
        "relation_types": list(types or []),
        "since": since,
        "until": until,
        # The slider's steps add up in binary (0.15000000000000002): a relation of exactly 0.15
        # is meant to stay, and the Export page's command line should read 0.15.
        "min_confidence": round(min_conf, 2),
        "connected_only": connected,
        "max_nodes": max_nodes,
    }
    selection = Selection(**fields)
    state.save_selection(selection.model_dump(mode="json"))
    return selection


def current_selection(store: Store, thread_ids: list[str] | None) -> Selection:
    """The selection the Graph page last showed, or the default one."""
    saved = state.saved_selection()
    if not saved:
        return default_selection(store, thread_ids)
    sel = Selection(**saved)
    if sel.thread_ids != thread_ids:
        sel = sel.model_copy(update={"thread_ids": thread_ids})
    return sel


def empty_hint(store: Store, selection: Selection, where: str) -> str:
    """What to say when ``selection`` holds no claim: people picked who wrote nothing in the
    chosen threads, or if its claims are there but have no relation (an article nobody
    answered), which box shows them, not "widen the filters"."""
    if selection.people:
        writers = set(reads.people(store, selection.thread_ids))
        silent = [p for p in selection.people if p not in writers]
        if silent:
            names = ", ".join(md(p) for p in silent)  # names are the commenters' own words
            return (
                f"{names} wrote nothing in "
                + ("these threads" if selection.thread_ids else "this graph")
                + f": remove {'them' if len(silent) > 1 else 'the name'} from *People* {where}, "
                "or choose other threads."
            )
    if selection.connected_only:
        loose = selection.model_copy(update={"connected_only": False, "max_nodes": 1})
        if reads.subgraph_size(store, loose)[0]:
            return (
                "Claims match these filters, but none has a relation yet (nobody answered "
                f"them): untick *Only claims with a relation* {where} to see them."
            )
    return f"No claim matches these filters. Widen them {where}."
