"""Every graph read the dashboard's pages make, through the cache (``dashboard.cache``).

Pages call these instead of ``graph.overview`` / ``graph.queries`` directly, so a rerun that
changes no filter answers from memory, and the graph is only read again after it changed.
Whole-graph aggregates come from the writer's summary while it is fresh (``graph.summary_reads``:
the same answers as live, without reading the whole graph).
"""

from __future__ import annotations

from datetime import date

import streamlit as st
from argmap.dashboard.cache import cached, cached_at, grounded_labels, store_key
from argmap.graph import overview, queries, summary_reads
from argmap.graph.catalog import threads_being_deleted
from argmap.graph.revision import current_revision
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    MOST_REBUTTED,
    Selection,
    Subgraph,
    select_subgraph,
)
from argmap.graph.thread_languages import post_languages
from argmap.graph.writes import pending_posts

# Whole-graph reads answer from the writer's summary while it is fresh (graph.summary_reads).
thread_list = cached(summary_reads.thread_list)
thread_list_at = cached_at(summary_reads.thread_list)  # the sidebar's, at the run's revision
counts = cached(summary_reads.counts)
date_span = cached(summary_reads.date_span)
activity = cached(summary_reads.activity)
active_debaters = cached(summary_reads.active_debaters)
extraction_info = cached(summary_reads.extraction_info)
people = cached(summary_reads.people)
claim_choices = cached(summary_reads.claim_choices)
rebuttal_choices = cached(summary_reads.rebuttal_choices)
theses = cached(summary_reads.theses)
contested = cached(summary_reads.contested)
unanswered = cached(summary_reads.unanswered)
unanswered_count = cached(summary_reads.unanswered_count)
interactions = cached(summary_reads.interactions)
most_rebutted = cached(summary_reads.most_rebutted)
claim_details = cached(overview.claim_details)
tree_trust = cached(overview.tree_trust)
source_of = cached(overview.source_of)
search = cached(queries.search)
pending_posts_at = cached_at(pending_posts)  # the sidebar's, at the run's revision
being_deleted_at = cached_at(threads_being_deleted)  # the sidebar's, at the run's revision
_post_languages = cached(post_languages)


def post_language(store: Store, post_id: str) -> str:
    """The language of ``post_id``'s thread as a ``lang=`` value ("" when unknown), so a post
    shown on the English page is not read with an English voice."""
    return _post_languages(store, [post_id]).get(post_id) or ""


def _subgraph(store: Store, selection_json: str, labels: bool) -> Subgraph:
    selection = Selection.model_validate_json(selection_json)
    if selection.claim == MOST_REBUTTED:  # looked up once per revision, not per filter change
        found = most_rebutted(store, selection.thread_ids)
        selection = selection.model_copy(update={"claim": found}) if found else selection
    grounded = grounded_labels(store) if labels else None
    threads = summary_reads.thread_infos(store)
    # A whole graph under the default filters: the claims the cap keeps come from the summary.
    ranking = summary_reads.whole_ranking(store) if selection.claim is None else None
    return select_subgraph(
        store, selection, labels=labels, grounded=grounded, threads=threads, ranking=ranking
    )


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

    # The Graph page shows the map as text itself, outside this fixed-height frame.
    sg = _cached_subgraph(store, selection_json, True)
    return render_html(sg, height=height, text_list=False)


_cached_graph_html = cached(_graph_html)


def graph_html(store: Store, selection: Selection, height: str) -> str:
    """The Graph page's interactive network for ``selection`` (drawn once per selection)."""
    return _cached_graph_html(store, selection.model_dump_json(), height)


# A 500-claim PNG is 3 MB and takes seconds to draw: keep the last few, not a thousand.
PICTURES_KEPT = 4


@st.cache_data(show_spinner=False, max_entries=PICTURES_KEPT)
def _picture(
    key: tuple[str, str], revision: int, selection_json: str, fmt: str, day: str, _store: Store
) -> bytes:
    from argmap.graph.export_image import picture_subgraph, render_image

    selection = Selection.model_validate_json(selection_json)
    return render_image(picture_subgraph(_store, selection), fmt, date.fromisoformat(day))


def picture(store: Store, selection: Selection, fmt: str = "png") -> bytes:
    """The picture export of ``selection`` (what its download button gives), drawn once per
    selection and revision of the graph, and per day (its credit line is dated): the Export
    page's preview is not drawn again on every rerun of the page."""
    revision = current_revision(store)
    today = date.today().isoformat()
    return _picture(store_key(store), revision, selection.model_dump_json(), fmt, today, store)


# A whole-graph search finds many thousands of chains: the cache keeps only what is shown.
chain_digest = cached(summary_reads.chain_digest)
