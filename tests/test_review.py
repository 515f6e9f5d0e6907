"""Review: corrections are facts with provenance, undo and conflicts work, and a machine
re-ingest (offline or LLM) never overwrites a human decision. Both stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph import counts, queries
from argmap.graph import review_actions as act
from argmap.graph.catalog import thread_summaries
from argmap.graph.chains import find_chains
from argmap.graph.export_json import export_json
from argmap.graph.review_history import history, undo
from argmap.graph.review_queue import review_queue
from argmap.graph.review_score import score_reviews
from argmap.graph.review_state import versions
from argmap.graph.store import Store, open_store
from argmap.graph.subgraph import Selection, select_subgraph
from argmap.ingest.extract import get_extractor
from argmap.ingest.from_store import extract_pending
from argmap.ingest.pipeline import ingest
from argument_graphs import write_debate
from llm_server import ChatServer
from review_session import assert_session_stands, live, parent_of, review_sample

from argmap.core.config import LLMConfig
from argmap.core.errors import ReviewConflict, ReviewError


@pytest.fixture
def reviewed(any_store: Store, sample_path: Path) -> Iterator[tuple[Store, object]]:
    ingest(sample_path, any_store, extractor="offline")
    yield any_store, review_sample(any_store)


def test_queue_is_least_certain_first_and_covers_each_kind(sample_store: Store) -> None:
    items = review_queue(sample_store, limit=None)
    certainties = [i.certainty for i in items]
    assert certainties == sorted(certainties)
    assert {"relation", "parent", "spam"} <= {i.kind for i in items}
    person = items[0].people[0]
    assert all(person in i.people for i in review_queue(sample_store, person=person, limit=None))


def test_every_decision_is_in_force_and_recorded_with_provenance(reviewed) -> None:
    store, session = reviewed
    assert_session_stands(store, session)
    for review in session.reviews:
        (row,) = [r for r in history(store, review.key) if r.id == review.id]
        assert row.reviewer == "Ann" and row.at.endswith("+00:00") and row.before != row.after
    # Reviewed items leave the queue.
    keys = {i.key for i in review_queue(store, limit=None)}
    assert not {r.key for r in session.reviews if r.kind == "relation"} & keys


def test_rejected_relations_leave_queries_semantics_and_chains(reviewed) -> None:
    store, session = reviewed
    source, target = session.rejected
    rebuttals = store.run_read("MATCH (:Claim)-[e:REBUTS]->(:Claim) RETURN count(e) AS n")[0]["n"]
    assert sum(r.rebuttals for r in queries.contested(store, limit=None)) == rebuttals
    steps = {
        p
        for c in find_chains(store, limit=None).chains
        for p in zip(c.claims, c.claims[1:], strict=False)
    }
    assert steps and (source, target) not in steps
    exported = export_json(store)
    pairs = {(r["source"], r["target"]) for r in exported["relations"]}
    assert (source, target) not in pairs
    assert (source, target) in {(r["source"], r["target"]) for r in exported["rejected_relations"]}


def test_undo_restores_what_was_there(reviewed) -> None:
    store, session = reviewed
    reject = next(r for r in session.reviews if r.action == "reject")
    undo(store, reject.id, "Bob")
    assert live(store, *session.rejected)[0]["status"] is None
    (row,) = history(store, reject.key)
    assert row.undone and row.undone_by == "Bob"
    with pytest.raises(ReviewError, match="already undone"):
        undo(store, reject.id, "Bob")
    set_parent = next(r for r in session.reviews if r.action == "set-parent")
    before = json.loads(set_parent.before)["posts"][0]["parent_id"]
    undo(store, set_parent.id, "Bob")
    assert parent_of(store, session.parent[0]) == before


def test_a_later_decision_must_be_undone_first(reviewed) -> None:
    store, session = reviewed
    first = next(r for r in session.reviews if r.action == "accept")
    later = act.reject(store, *session.accepted, "Bob")
    with pytest.raises(ReviewError, match="undo that first"):
        undo(store, first.id, "Ann")
    undo(store, later.id, "Ann")
    undo(store, first.id, "Ann")
    assert live(store, *session.accepted)[0]["status"] is None


def test_two_reviewers_on_one_item_the_second_is_told(any_store: Store, sample_path: Path) -> None:
    ingest(sample_path, any_store, extractor="offline")
    item = review_queue(any_store, kinds=["relation"], limit=1)[0]
    act.accept(any_store, item.source, item.target, "Ann", item.version)
    with pytest.raises(ReviewConflict, match="Ann saved it"):
        act.reject(any_store, item.source, item.target, "Bob", item.version)
    # Nothing was lost: Ann's decision stands, and Bob can decide on the new version.
    assert live(any_store, item.source, item.target)[0]["status"] == "accepted"
    fresh = review_queue(any_store, kinds=["relation"], limit=None, include_reviewed=True)
    version = next(i.version for i in fresh if i.key == item.key)
    act.reject(any_store, item.source, item.target, "Bob", version)
    assert [r.reviewer for r in history(any_store, item.key)] == ["Ann", "Bob"]


def test_bad_actions_get_one_clear_line(sample_store: Store) -> None:
    item = review_queue(sample_store, kinds=["relation"], limit=1)[0]
    with pytest.raises(ReviewError, match="reviewer"):
        act.accept(sample_store, item.source, item.target, "  ")
    with pytest.raises(ReviewError, match="no claim"):
        act.accept(sample_store, "c_nope", "c_y", "Ann")


def test_a_relation_a_person_draws_stays_in_its_thread(any_store: Store) -> None:
    # Two threads, one exchange each: answering a claim of the other thread is refused, so
    # "--thread" still narrows every query to whole debates.
    write_debate(any_store, rebuts=[("a", "b")], claims=["c"], thread_id="t1")
    write_debate(any_store, rebuts=[("x", "y")], thread_id="t2")
    before = export_json(any_store)["relations"]
    with pytest.raises(ReviewError, match="own thread"):
        act.add_relation(any_store, "a", "y", "rebuts", "Ann")
    with pytest.raises(ReviewError, match="own thread"):
        act.retarget(any_store, "a", "b", "x", "Ann")
    assert export_json(any_store)["relations"] == before
    assert [r.claim_id for r in queries.contested(any_store, thread_ids=["t2"])] == ["y"]
    # Within its thread a person still re-targets and draws.
    act.retarget(any_store, "a", "b", "c", "Ann")
    act.add_relation(any_store, "c", "a", "rebuts", "Ann")
    assert [r.claim_id for r in queries.contested(any_store, thread_ids=["t1"])] == ["a", "c"]


def test_claims_of_a_post_marked_spam_leave_every_answer_until_undone(any_store: Store) -> None:
    # c rebuts a, which rebuts b. Marking c's comment spam takes c out of the debate everywhere
    # the Graph page and the exports already leave it out: search, semantics and the counts.
    texts = {"a": "Parties must grow.", "b": "Growth is overrated.", "c": "Buy cheap pills."}
    write_debate(any_store, rebuts=[("a", "b"), ("c", "a")], claims=["d"], texts=texts)

    def answers() -> tuple:
        labels = {r.claim_id: r.label for r in queries.grounded(any_store)}
        return (
            [r.claim_id for r in queries.search(any_store, "cheap pills")],
            labels,
            counts.counts(any_store).claims,
            counts.counts(any_store, ["t1"]).claims,
            [t.claims for t in thread_summaries(any_store)],
            select_subgraph(any_store, Selection(connected_only=False)).showing,
        )

    before = answers()
    assert before[1] == {"a": "OUT", "b": "IN", "c": "IN", "d": "IN"} and before[2:4] == (4, 4)
    review = act.mark_spam(any_store, "t1-post-c", True, "Ann")
    assert answers() == (
        [],
        {"a": "IN", "b": "OUT", "d": "IN"},
        3,
        3,
        [3],
        "showing 3 of 3 claims",
    )
    undo(any_store, review.id, "Ann")
    assert answers() == before


def test_offline_reingest_keeps_every_decision(reviewed, sample_path: Path) -> None:
    store, session = reviewed
    ingest(sample_path, store, extractor="offline", reextract=True)
    assert_session_stands(store, session)


def test_a_moved_reply_is_extracted_again_against_its_new_parent(
    any_store: Store, sample_path: Path
) -> None:
    ingest(sample_path, any_store, extractor="offline")
    # A reply with machine relations to its parent's claims, moved to the article.
    rows = any_store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:REPLIES_TO]->(q:Post {kind: 'comment'}), "
        "(p)-[:MAKES]->(:Claim)-[:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(q) "
        "MATCH (a:Post {kind: 'article'}) "
        "RETURN p.id AS post, q.id AS old, a.id AS article ORDER BY p.position LIMIT 1"
    )
    post, old, article = rows[0]["post"], rows[0]["old"], rows[0]["article"]

    def answered() -> set[str]:
        found = any_store.run_read(
            "MATCH (:Post {id: $id})-[:MAKES]->(:Claim)-[:REBUTS|SUPPORTS]->(:Claim)"
            "<-[:MAKES]-(t:Post) RETURN collect(DISTINCT t.id) AS ids",
            {"id": post},
        )
        return set(found[0]["ids"])

    assert old in answered()
    act.set_parent(any_store, post, article, "Ann")
    pending = any_store.run_read(
        "MATCH (p:Post {id: $id}) RETURN p.extracted AS done", {"id": post}
    )
    assert pending == [{"done": None}]
    # From the store's own copy of the thread (no source file), with what review decided.
    summary = extract_pending(any_store, get_extractor("offline"))
    assert summary.extracted_now == 1, "only the moved reply is extracted again"
    assert parent_of(any_store, post) == article
    assert old not in answered()
    assert extract_pending(any_store, get_extractor("offline")).threads == []
    # Moving it back (an undo) leaves it to extract again, and an ingest of the source does it.
    (review,) = [r for r in history(any_store, f"post:{post}") if r.action == "set-parent"]
    undo(any_store, review.id, "Ann")
    assert ingest(sample_path, any_store, extractor="offline").extracted_now == 1
    assert old in answered()


def test_the_llm_extracts_a_moved_reply_from_the_store_with_its_new_parent_offered(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    post, parent = store.run_read(
        "MATCH (p:Post {kind: 'comment'})-[:REPLIES_TO]->(:Post {kind: 'comment'}) "
        "WHERE NOT coalesce(p.is_spam, false) MATCH (a:Post {kind: 'article'}) "
        "RETURN p.id AS post, a.id AS article ORDER BY p.position LIMIT 1"
    )[0].values()
    act.set_parent(store, post, parent, "Ann")
    text = store.run_read("MATCH (p:Post {id: $id}) RETURN p.text AS t", {"id": post})[0]["t"]
    with ChatServer() as server:
        llm = LLMConfig(base_url=server.base_url, model="test-model", max_retries=1)
        summary = extract_pending(store, get_extractor("llm", llm))
        (request,) = server.answered()
    assert summary.extracted_now == 1 and summary.pending == 0
    assert text[:40] in request.user_text  # the moved reply, read back from the store
    made = store.run_read(
        "MATCH (:Post {id: $id})-[:MAKES]->(c:Claim) RETURN collect(DISTINCT c.extractor) AS x",
        {"id": post},
    )
    assert made[0]["x"] == ["llm"]
    assert parent_of(store, post) == parent  # the person's parent, not a model's choice


def test_llm_reingest_keeps_every_decision(reviewed, sample_path: Path, tmp_path: Path) -> None:
    store, session = reviewed
    with ChatServer() as server:
        summary = ingest(
            sample_path,
            store,
            extractor="llm",
            llm=LLMConfig(base_url=server.base_url, model="test-model", max_retries=1),
            reextract=True,
        )
        assert server.answered, "the LLM extractor asked the model"
    assert summary.pending == 0
    assert_session_stands(store, session)
    models = store.run_read(
        "MATCH ()-[e:REBUTS|SUPPORTS]->() RETURN collect(DISTINCT e.extractor) AS x"
    )
    assert "llm" in models[0]["x"]


def test_json_round_trip_keeps_every_decision(
    reviewed, falkordb_dir: Path, graph_name: str
) -> None:
    store, session = reviewed
    doc = export_json(store)
    assert len(doc["reviews"]) == len(session.reviews)
    path = falkordb_dir / f"{graph_name}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = open_store(str(falkordb_dir), graph_name + "_copy")
    try:
        ingest(path, other)
        assert export_json(other) == doc
        assert_session_stands(other, session)
        # And the copy still refuses to bring back what people rejected.
        ingest(path, other)
        assert live(other, *session.rejected) == []
    finally:
        other.clear()
        other.close()
        path.unlink()


def test_score_counts_machine_precision_per_extractor(reviewed) -> None:
    store, session = reviewed
    scores = {(s.kind, s.extractor): s for s in score_reviews(store)}
    offline = scores[("relation", "offline")]
    # accept is a hit; reject, flip and re-target are misses (spam rejections are not scored).
    assert (offline.accepted, offline.rejected) == (1, 3)
    assert offline.precision == 0.25
    assert scores[("parent", "reply-tree")].rejected == 1


def test_reviews_moved_from_falkordb_to_neo4j_keep_history_undo_and_scores(
    falkordb_dir: Path, graph_name: str, neo4j_store: Store, sample_path: Path, tmp_path: Path
) -> None:
    # A team's store moves (docs/stores.md, "Moving a graph between stores"): every decision,
    # who made it and what it replaced, the item versions that guard against stale saves, undo, and
    # `argmap eval --against-reviews` are the same on the other side.
    falkordb_store = open_store(str(falkordb_dir), graph_name)
    ingest(sample_path, falkordb_store, extractor="offline")
    session = review_sample(falkordb_store, "Ann")
    item = review_queue(falkordb_store, kinds=["relation"], limit=1)[0]
    act.accept(falkordb_store, item.source, item.target, "Bob", item.version)
    replaced = act.flip(falkordb_store, item.source, item.target, "Cy", item.version + 1)
    undo(falkordb_store, session.reviews[1].id, "Ann")
    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps(export_json(falkordb_store)), encoding="utf-8")
    ingest(path, neo4j_store)

    assert export_json(neo4j_store) == export_json(falkordb_store)
    assert score_reviews(neo4j_store) == score_reviews(falkordb_store)
    keys = [r.key for r in session.reviews] + [item.key]
    assert versions(neo4j_store, keys) == versions(falkordb_store, keys)
    with pytest.raises(ReviewConflict, match="Cy saved it"):
        act.reject(neo4j_store, item.source, item.target, "Dee", item.version + 1)
    undo(neo4j_store, replaced.id, "Cy")
    assert live(neo4j_store, item.source, item.target)[0]["status"] == "accepted"
    falkordb_store.clear()
    falkordb_store.close()
