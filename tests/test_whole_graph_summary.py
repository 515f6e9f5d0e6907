"""The Graph page's "whole graph" from the writer's summary (``graph.summary``: the cap order of
the default filters, ``WholeRanking``): the same picture as live, used only while fresh and only
for the filters it was ranked for."""

from __future__ import annotations

import json
from pathlib import Path

from argmap.dashboard import filters
from argmap.graph import summary_reads
from argmap.graph.revision import bump_revision
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, rank_whole_graph, select_subgraph
from argmap.graph.summary import SUMMARY_ID, WHOLE_GRAPH, WHOLE_KEPT, is_fresh
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, frame_data, iframe_srcdoc, open_page
from streamlit.testing.v1 import AppTest


def whole(cap: int | None, **filters_: object) -> Selection:
    """The Graph page's whole-graph selection (its default filters unless told otherwise)."""
    fields: dict[str, object] = {
        "claim": None,
        "hops": 2,
        "min_confidence": 0.0,
        "connected_only": True,
        "max_nodes": cap,
    }
    return Selection(**{**fields, **filters_})


def drawn(at: AppTest) -> set[str]:
    """The claims the Graph page's network draws."""
    return {n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]}


def test_the_stored_whole_graph_is_the_live_one(any_store: Store, sample_path: Path) -> None:
    ingest(sample_path, any_store, extractor="offline")
    assert is_fresh(any_store)
    ranking = summary_reads.whole_ranking(any_store)
    assert ranking is not None
    # The sample has more connected claims than the small caps: the cap really cuts.
    assert 60 < ranking.total <= WHOLE_KEPT, ranking.total
    grounded = summary_reads.grounded_labels(any_store)
    threads = summary_reads.thread_infos(any_store)
    for cap in (10, 60, 150, WHOLE_KEPT, None):
        sel = whole(cap)
        assert ranking.kept(sel) is not None, cap  # the stored order answers it ...
        stored = select_subgraph(
            any_store, sel, grounded=grounded, threads=threads, ranking=ranking
        )
        live = select_subgraph(any_store, sel)
        assert stored == live, cap  # ... and draws exactly the live picture
        # The cap's prefix of the order, but for a last claim whose every relation it cut
        # (test_whole_graph_cap): on the sample, 150 ends on a conversation's first claim.
        prefix = ranking.order[:cap]
        shown = [n.id for n in stored.nodes]
        assert set(shown) in (set(prefix), set(prefix[:-1])), cap
        linked = {e.source for e in stored.edges} | {e.target for e in stored.edges}
        assert set(shown) <= linked, cap
    assert ranking == rank_whole_graph(any_store, WHOLE_GRAPH, keep=WHOLE_KEPT)


def test_other_filters_select_live(sample_store: Store) -> None:
    ranking = rank_whole_graph(sample_store, WHOLE_GRAPH, keep=WHOLE_KEPT)
    person = sample_store.run_read("MATCH (p:Post {kind: 'comment'}) RETURN p.author AS a LIMIT 1")
    thread = sample_store.run_read("MATCH (t:Thread) RETURN t.id AS id")[0]["id"]
    others = [
        whole(60, min_confidence=0.5),
        whole(60, relation_types=["rebuts"]),
        whole(60, people=[person[0]["a"]]),
        whole(60, include_spam=True),
        whole(60, connected_only=False),
        whole(60, since="2013-07-01"),
        whole(60, thread_ids=[thread]),  # one thread named: live, whatever the store holds
        whole(60, claim=ranking.order[0]),
    ]
    for sel in others:
        assert ranking.kept(sel) is None, sel
        assert select_subgraph(sample_store, sel, ranking=ranking) == select_subgraph(
            sample_store, sel
        )
    # The same filters written differently are the same selection.
    assert ranking.kept(whole(60, min_confidence=None, relation_types=["supports", "rebuts"]))
    assert ranking.kept(whole(60, thread_ids=[]))
    # A ranking kept short answers only the caps it holds.
    short = rank_whole_graph(sample_store, WHOLE_GRAPH, keep=20)
    assert short.kept(whole(20)) == ranking.order[:20]
    assert short.kept(whole(21)) is None and short.kept(whole(None)) is None


def test_the_graph_page_draws_the_stored_whole_graph_while_fresh(
    argmap_env: Path, store: Store, sample_path: Path
) -> None:
    """A doctored stored order is what the page draws while fresh (so the stored one is read),
    and the live one after any write."""
    ingest(sample_path, store, extractor="offline")
    live = {n.id for n in select_subgraph(store, whole(filters.DEFAULT_MAX_NODES)).nodes}
    ranking = summary_reads.whole_ranking(store)
    assert ranking is not None
    # Doctor it: 20 claims the live picture leaves out (none of them drawn live).
    left_out = [c for c in rank_whole_graph(store, WHOLE_GRAPH).order if c not in live][-20:]
    assert len(left_out) == 20
    doctored = ranking.model_copy(update={"order": left_out, "total": len(left_out)})
    store.run(
        "MATCH (s:Meta {id: $id}) SET s.whole_ranking = $v",
        {"id": SUMMARY_ID, "v": doctored.model_dump_json()},
    )
    at = open_page("graph")
    at.sidebar.selectbox(key="g_focus").set_value(filters.WHOLE).run()
    assert_clean(at)
    assert drawn(at) == set(left_out)
    bump_revision(store)  # any write: the summary is stale, the page selects live
    assert not is_fresh(store) and summary_reads.whole_ranking(store) is None
    at.run()
    assert_clean(at)
    assert drawn(at) == live


def test_the_summary_keeps_what_the_page_can_ask_for() -> None:
    assert filters.MAX_NODES <= WHOLE_KEPT
    stored = json.loads(WHOLE_GRAPH.model_dump_json())
    assert stored["max_nodes"] is None and stored["claim"] is None
