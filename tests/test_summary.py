"""The writer's summary (graph.summary): readers get the same answers from it as live, and no
write ever leaves a stale number on show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argmap.dashboard import state
from argmap.graph import counts, overview, queries, semantics, summary_reads
from argmap.graph import review_actions as act
from argmap.graph.chains import find_chains
from argmap.graph.export_json import export_json
from argmap.graph.review_history import undo
from argmap.graph.revision import bump_revision, current_revision
from argmap.graph.store import Store
from argmap.graph.subgraph import (
    MOST_REBUTTED,
    Selection,
    most_rebutted_claim,
    select_subgraph,
    thread_infos,
)
from argmap.graph.summary import (
    SUMMARY_ID,
    TOP,
    is_fresh,
    refresh_summary,
    stored_field,
    summary_stamp,
)
from argmap.graph.summary_refresh import (
    REVIEW_REFRESH_MAX_CLAIMS,
    background_refresher,
    claim_count,
    refresh_after_edit,
)
from argmap.graph.writes import write_thread
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page
from test_revision import comments_metric, thread_of
from typer.testing import CliRunner

from argmap.cli import app

SECOND = Path(__file__).parent / "fixtures" / "sources" / "comments.csv"  # a second thread

# (reader, live function, arguments): every stored answer a page asks for.
PAIRS = [
    (summary_reads.thread_list, overview.thread_list, {}),
    (summary_reads.counts, counts.counts, {}),
    (summary_reads.date_span, overview.date_span, {}),
    *[
        (summary_reads.activity, overview.activity, {"granularity": g})
        for g in ("hour", "day", "month", "year")
    ],
    (summary_reads.theses, queries.theses, {}),
    *[(summary_reads.contested, queries.contested, {"limit": n}) for n in (1, 10, TOP)],
    *[(summary_reads.unanswered, queries.unanswered, {"limit": n}) for n in (1, 10, TOP)],
    (summary_reads.unanswered_count, queries.unanswered_count, {}),
    *[
        (summary_reads.active_debaters, overview.active_debaters, {"limit": n})
        for n in (1, 10, TOP)
    ],
    *[(summary_reads.interactions, queries.interactions, {"limit": n}) for n in (1, 10, TOP)],
    (summary_reads.extraction_info, overview.extraction_info, {}),
    (summary_reads.people, overview.people, {}),
    (summary_reads.claim_choices, overview.claim_choices, {"limit": 1000}),
    (summary_reads.claim_choices, overview.claim_choices, {"limit": 25}),
    (summary_reads.rebuttal_choices, overview.rebuttal_choices, {"limit": 1000}),
    (summary_reads.most_rebutted, most_rebutted_claim, {}),
]


def live_labels(store: Store) -> dict[str, str]:
    fw = semantics.framework(store)
    return dict(semantics.grounded_labelling(fw.arguments, fw.attacks))


def assert_readers_match_live(store: Store) -> None:
    for reader, live, kwargs in PAIRS:
        assert reader(store, **kwargs) == live(store, **kwargs), (live.__name__, kwargs)
    labels = live_labels(store)
    stored = summary_reads.grounded_labels(store)
    assert {c: stored[c] for c in labels} == labels
    threads = [t["id"] for t in overview.thread_list(store)]
    live_infos = {t.id: t for t in thread_infos(store, threads)}
    # A stale summary offers no threads: select_subgraph then reads those it shows.
    assert summary_reads.thread_infos(store) == (live_infos if is_fresh(store) else {})
    # The Graph page's default selection, from the summary's labels and threads and live.
    selection = Selection(claim=MOST_REBUTTED, hops=2, connected_only=True, max_nodes=60)
    from_summary = select_subgraph(
        store, selection, grounded=stored, threads=summary_reads.thread_infos(store)
    )
    assert from_summary == select_subgraph(store, selection)
    # Its "whole graph", cut from the summary's cap order while fresh (live when stale).
    whole = Selection(min_confidence=0.0, connected_only=True, max_nodes=60)
    ranking = summary_reads.whole_ranking(store)
    assert (ranking is not None) == is_fresh(store)
    assert select_subgraph(store, whole, ranking=ranking) == select_subgraph(store, whole)
    everything = find_chains(store, limit=None)
    digest = summary_reads.chain_digest(store, shown=10)
    assert digest.total == len(everything.chains)
    assert digest.shown == [list(reversed(c.claims)) for c in everything.chains[:10]]
    assert digest.longest == (everything.chains[0].length if everything.chains else 0)


def test_the_stored_summary_answers_as_the_live_queries_do(
    any_store: Store, sample_path: Path
) -> None:
    ingest(sample_path, any_store, extractor="offline")
    assert is_fresh(any_store)  # the ingest's last step
    assert summary_stamp(any_store) == current_revision(any_store)
    stored = stored_field(any_store, "counts")
    assert stored is not None and stored.claims > 0
    assert_readers_match_live(any_store)
    # The sample has rebuttals, OUT claims and chains: the comparison above compared something.
    assert "OUT" in summary_reads.grounded_labels(any_store).values()
    assert summary_reads.chain_digest(any_store).total > 0


def test_readers_really_read_the_summary_and_drop_it_after_a_write(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    live = counts.counts(store)
    # Change the stored number behind argmap's back: a fresh summary is what readers show ...
    doctored = json.dumps({**live.model_dump(), "posts": 999_999})
    store.run("MATCH (s:Meta {id: $id}) SET s.counts = $v", {"id": SUMMARY_ID, "v": doctored})
    assert summary_reads.counts(store).posts == 999_999
    # ... until any write raises the revision: then the live count, never the stale one.
    bump_revision(store)
    assert not is_fresh(store)
    assert summary_reads.counts(store) == live


def test_a_summary_an_older_argmap_stored_is_not_shown(store: Store, sample_path: Path) -> None:
    """After an upgrade that computes a field otherwise (counts that leave spam out), the
    summary the old version stored at the current revision is stale: live numbers until the
    next refresh, never the old ones."""
    ingest(sample_path, store, extractor="offline")
    live = counts.counts(store)
    doctored = json.dumps({**live.model_dump(), "claims": 999_999})
    # As an older argmap left it: its own numbers, stamped with the current revision, and no
    # (or an older) format.
    store.run(
        "MATCH (s:Meta {id: $id}) SET s.counts = $v REMOVE s.format",
        {"id": SUMMARY_ID, "v": doctored},
    )
    assert not is_fresh(store) and summary_stamp(store) is None
    assert stored_field(store, "counts") is None
    assert summary_reads.counts(store) == live
    refresh_summary(store)  # what the dashboard or `argmap db refresh` does next
    assert is_fresh(store) and summary_stamp(store) == current_revision(store)
    assert stored_field(store, "counts") == live


def test_every_write_leaves_the_summary_refreshed_or_stale(store: Store, sample_path: Path) -> None:
    ingest(sample_path, store, extractor="offline")
    before = summary_reads.counts(store)
    # A write that is not an ingest (graph.writes directly): stale, readers compute live.
    write_thread(store, thread_of(4, name="second"))
    assert not is_fresh(store)
    assert summary_reads.counts(store) == counts.counts(store)
    assert summary_reads.counts(store).posts == before.posts + 5
    # An ingest of a second thread: refreshed at its end, and the numbers include it.
    ingest(SECOND, store, extractor="offline")
    assert is_fresh(store)
    assert_readers_match_live(store)
    assert summary_reads.counts(store).threads == 3


def test_a_review_edit_and_its_undo_refresh_the_summary(store: Store, sample_path: Path) -> None:
    ingest(sample_path, store, extractor="offline")
    top = summary_reads.contested(store, limit=1)[0]
    attacker = store.run_read(
        "MATCH (a:Claim)-[:REBUTS]->(c:Claim {id: $id}) RETURN a.id AS id ORDER BY id LIMIT 1",
        {"id": top.claim_id},
    )[0]["id"]
    review = act.reject(store, attacker, top.claim_id, "Ann")
    assert is_fresh(store)  # the sample is small: the edit refreshed the summary itself
    assert summary_reads.counts(store).rebuttals == counts.counts(store).rebuttals
    assert summary_reads.contested(store, limit=1)[0].rebuttals == top.rebuttals - 1
    assert_readers_match_live(store)
    undo(store, review.id, "Ann")
    assert is_fresh(store)
    assert summary_reads.contested(store, limit=1)[0] == top
    assert_readers_match_live(store)


def test_on_a_big_graph_a_review_edit_leaves_the_summary_stale(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    bump_revision(store)  # what the edit's write does
    # "Too big" for a click, and no background refresher here (as in `argmap review`).
    assert refresh_after_edit(store, max_claims=10).outcome == "stale"
    assert not is_fresh(store)
    assert_readers_match_live(store)  # live answers, not the stale summary
    assert refresh_summary(store).revision == current_revision(store)  # `argmap db refresh`
    assert is_fresh(store)


def test_the_summary_is_not_data(store: Store, sample_path: Path) -> None:
    """Not in the JSON export, not a thread, not counted."""
    ingest(sample_path, store, extractor="offline")
    assert is_fresh(store)
    exported = export_json(store)
    text = json.dumps(exported, default=str)
    assert SUMMARY_ID not in {t["id"] for t in exported["threads"]}
    assert '"counts"' not in text and "longest_chains" not in text
    assert len(exported["threads"]) == counts.counts(store).threads == 1


def test_db_refresh_computes_the_summary_of_an_existing_store(
    argmap_env: Path, store: Store
) -> None:
    """A store written before summaries existed (or by graph.writes alone) gets one."""
    write_thread(store, thread_of(3, name="old"))
    assert not is_fresh(store)
    result = CliRunner().invoke(app, ["db", "refresh"])
    assert result.exit_code == 0, result.output
    assert "summary refreshed at revision" in result.output
    assert is_fresh(store)
    assert summary_reads.counts(store) == counts.counts(store)
    assert summary_reads.counts(store).posts == 4


def test_opening_every_page_on_a_stale_summary_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store, sample_path: Path
) -> None:
    """A read-only dashboard (the default) is a reader: a page view computes live and never
    refreshes the summary, even on a graph big enough that one with edits allowed would."""
    ingest(sample_path, store, extractor="offline")
    store.run("UNWIND range(1, 1500) AS i CREATE (:Claim {id: 'pad-' + toString(i)})")
    assert claim_count(store) > REVIEW_REFRESH_MAX_CLAIMS
    bump_revision(store)  # stale, as after a review edit on a big graph
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", store.graph_name)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_DASHBOARD_ALLOW_EDITS"):
        monkeypatch.delenv(var, raising=False)
    revision = current_revision(store)
    stamped = store.run_read("MATCH (s:Meta {id: $id}) RETURN s.revision AS r", {"id": SUMMARY_ID})
    at = open_page()
    assert comments_metric(at) == counts.counts(store).comments  # the live number
    for page in ("graph", "chains", "search", "export"):
        at.switch_page(f"views/{page}.py").run()
        assert_clean(at)
    refresher = background_refresher(state.get_store())  # the dashboard's own store
    assert refresher is not None and not refresher.busy and refresher.refreshes == 0
    assert current_revision(store) == revision
    assert not is_fresh(store)
    after = store.run_read("MATCH (s:Meta {id: $id}) RETURN s.revision AS r", {"id": SUMMARY_ID})
    assert after == stamped
