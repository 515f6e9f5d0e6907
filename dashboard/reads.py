"""Every graph read the dashboard's pages make, through the cache (``dashboard.cache``).

Pages call these instead of ``graph.overview`` / ``graph.queries`` directly, so a rerun that
changes no filter answers from memory, and the graph is only read again after it changed.
"""

from __future__ import annotations

from argmap.dashboard.cache import cached, grounded_labels
from argmap.graph import overview, queries
from argmap.graph.chains import find_chains
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    MOST_REBUTTED,
    Selection,
    Subgraph,
    most_rebutted_claim,
    select_subgraph,
)
from pydantic import BaseModel

thread_list = cached(overview.thread_list)
counts = cached(overview.counts)
date_span = cached(overview.date_span)
activity = cached(overview.activity)
active_debaters = cached(overview.active_debaters)
extraction_info = cached(overview.extraction_info)
people = cached(overview.people)
claim_choices = cached(overview.claim_choices)
rebuttal_choices = cached(overview.rebuttal_choices)
theses = cached(queries.theses)
contested = cached(queries.contested)
unanswered = cached(queries.unanswered)
unanswered_count = cached(queries.unanswered_count)
interactions = cached(queries.interactions)
most_rebutted = cached(most_rebutted_claim)
claim_details = cached(overview.claim_details)
source_of = cached(overview.source_of)
search = cached(queries.search)


def _subgraph(store: Store, selection_json: str, labels: bool) -> Subgraph:
    selection = Selection.model_validate_json(selection_json)
    if selection.claim == MOST_REBUTTED:  # looked up once per revision, not per filter change
        found = most_rebutted(store, selection.thread_ids)
        selection = selection.model_copy(update={"claim": found}) if found else selection
    grounded = grounded_labels(store) if labels else None
    return select_subgraph(store, selection, labels=labels, grounded=grounded)


_cached_subgraph = cached(_subgraph)


def subgraph(store: Store, selection: Selection, labels: bool = True) -> Subgraph:
    """``select_subgraph``, cached per selection; grounded labels come from the per-revision map."""
    return _cached_subgraph(store, selection.model_dump_json(), labels)


def _subgraph_size(store: Store, selection_json: str) -> tuple[int, int]:
    sg = _cached_subgraph(store, selection_json, False)
    return len(sg.nodes), len(sg.edges)


_cached_size = cached(_subgraph_size)


def subgraph_size(store: Store, selection: Selection) -> tuple[int, int]:
    """(claims, relations) ``selection`` holds: a rerun reads two numbers, not the subgraph."""
    return _cached_size(store, selection.model_dump_json())


def _graph_html(store: Store, selection_json: str, height: str) -> str:
    from argmap.graph.export_html import render_html

    return render_html(_cached_subgraph(store, selection_json, True), height=height)


_cached_graph_html = cached(_graph_html)


def graph_html(store: Store, selection: Selection, height: str) -> str:
    """The Graph page's interactive network for ``selection`` (drawn once per selection)."""
    return _cached_graph_html(store, selection.model_dump_json(), height)


class ChainDigest(BaseModel):
    """What the Chains page shows of a chain search: the first chains, oldest claim first."""

    total: int
    longest: int
    shown: list[list[str]]
    truncated: bool


def _chain_digest(
    store: Store,
    from_claim: str | None,
    to_claim: str | None,
    thread_ids: list[str] | None,
    shown: int,
) -> ChainDigest:
    search = find_chains(store, from_claim=from_claim, to_claim=to_claim, limit=None)
    # graph.chains lists claim ids, each rebutting the next; a reader wants the oldest first.
    sequences = [list(reversed(c.claims)) for c in search.chains]
    if thread_ids is not None:
        details = overview.claim_details(store, sorted({c for seq in sequences for c in seq}))
        sequences = [
            s
            for s in sequences
            if all(details[c].thread_id in thread_ids for c in s if c in details)
        ]
    return ChainDigest(
        total=len(sequences),
        longest=max((len(s) - 1 for s in sequences), default=0),
        shown=sequences[:shown],
        truncated=search.truncated,
    )


# A whole-graph search finds many thousands of chains: the cache keeps only what is shown.
_cached_digest = cached(_chain_digest)


def chain_digest(
    store: Store,
    from_claim: str | None = None,
    to_claim: str | None = None,
    thread_ids: list[str] | None = None,
    shown: int = 10,
) -> ChainDigest:
    """Rebuttal chains (``graph.chains``) as the Chains page shows them, cached per revision."""
    return _cached_digest(store, from_claim, to_claim, thread_ids, shown)
