"""Reaching any claim from a picker that lists only some: the "Find a claim" box the Graph and
Chains pages share (a big thread has far more claims than a list can hold)."""

from __future__ import annotations

from typing import Any

from argmap.dashboard import reads
from argmap.dashboard.render import short
from argmap.graph.store import Store

from argmap.core.errors import ArgmapError

FOUND = 50  # claims a search in the box puts in the list


def claim_label(author: str | None, text: str) -> str:
    """A claim as a picker names it when it has no label of its own."""
    return f"{short(author, 24)}: {short(text, 80)}"


def find_box(where: Any, key: str) -> str:
    """Draw the box in ``where`` (the page, the sidebar) and return its words, stripped. It keeps
    its words while the reader looks at another page, as the picker keeps its claim."""
    return str(
        where.text_input(
            "Find a claim",
            key=key,
            placeholder="words it contains, or its id",
            help="Narrows the list below to the claims containing every word (or to the claim "
            "with this id): any claim of the thread, not only the most rebutted.",
            persist_state="session",
        )
    ).strip()


def find_claims(
    store: Store, thread_ids: list[str] | None, wanted: str, labels: dict[str, str]
) -> dict[str, str]:
    """The claims ``wanted`` names, labelled as in ``labels`` where they are there: the claim
    with that id, then the claims containing every word of it, best match first."""
    found: dict[str, str] = {}
    by_id = reads.claim_details(store, [wanted]).get(wanted)
    if by_id is not None and (not thread_ids or by_id.thread_id in thread_ids):
        found[wanted] = labels.get(wanted) or claim_label(by_id.author, by_id.text)
    try:
        hits = reads.search(store, wanted, FOUND, thread_ids=thread_ids)
    except ArgmapError:  # not a word in it ("?!"): an id, or nothing
        hits = []
    for h in hits:
        found.setdefault(h.claim_id, labels.get(h.claim_id) or claim_label(h.author, h.text))
    return found


def keep_chosen(
    store: Store,
    thread_ids: list[str] | None,
    chosen: str | None,
    labels: dict[str, str],
    fixed: int,
) -> dict[str, str]:
    """``labels`` with the ``chosen`` claim in them, after their ``fixed`` first entries (the
    page's own choices, such as "whole graph"). A claim found through the box is in neither the
    usual list nor another search's, and Streamlit drops a value that is not among the options:
    the picker fell back to its default when the box was cleared. It stays until another pick."""
    if not chosen or chosen in labels:
        return labels
    kept = reads.claim_details(store, [chosen]).get(chosen)
    if kept is None or (thread_ids and kept.thread_id not in thread_ids):
        return labels
    items = list(labels.items())
    return dict([*items[:fixed], (chosen, claim_label(kept.author, kept.text)), *items[fixed:]])
