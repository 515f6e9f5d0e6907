"""Hidden guesses are reviewable: a scholar lists the candidates (a reply's stance where its words
show none), confirms, flips or rejects each with the relation actions, and the decision holds
through undo and re-ingest. Both stores; then the CLI and the Review page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph import queries
from argmap.graph import review_actions as act
from argmap.graph.export_json import export_json
from argmap.graph.review_history import undo
from argmap.graph.review_queue import QueueItem, review_queue
from argmap.graph.review_score import score_reviews
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page, texts
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.models import CANDIDATE_MAX_CONFIDENCE


def edges(store: Store, source: str, target: str) -> list[dict]:
    """Every edge from ``source`` to ``target``: its label, type (candidates and rejections),
    status and origin."""
    return store.run_read(
        "MATCH (a:Claim {id: $a})-[e]->(b:Claim {id: $b}) RETURN type(e) AS label, "
        "e.type AS type, e.status AS status, e.origin AS origin, e.confidence AS confidence",
        {"a": source, "b": target},
    )


def candidate_count(store: Store) -> int:
    return store.run_read("MATCH (:Claim)-[e:CANDIDATE]->(:Claim) RETURN count(e) AS n")[0]["n"]


@pytest.fixture
def guessed(any_store: Store, sample_path: Path) -> Iterator[tuple[Store, list[QueueItem]]]:
    ingest(sample_path, any_store, extractor="offline")
    items = review_queue(any_store, kinds=["candidate"], limit=None)
    by_source: dict[str, QueueItem] = {}
    for i in items:  # distinct answering claims, so no decision touches another's pair
        by_source.setdefault(i.source or "", i)
    yield any_store, list(by_source.values())


def test_candidates_are_listed_only_when_asked_for(guessed) -> None:
    store, items = guessed
    assert items, "the offline extractor keeps hidden guesses on the sample"
    default = review_queue(store, limit=None)
    assert default and all(i.kind != "candidate" for i in default)
    listed = review_queue(store, kinds=["candidate"], limit=None)
    assert len(listed) == candidate_count(store)
    assert all(i.kind == "candidate" and i.type in ("rebuts", "supports") for i in listed)
    assert all(i.certainty <= CANDIDATE_MAX_CONFIDENCE for i in listed)
    assert [i.certainty for i in listed] == sorted(i.certainty for i in listed)


def test_accepting_a_guess_draws_it_as_a_relation_every_view_reads(guessed) -> None:
    store, items = guessed
    item = items[0]
    before = sum(r.rebuttals for r in queries.contested(store, limit=None))
    act.accept(store, item.source, item.target, "Ann")
    (edge,) = edges(store, item.source, item.target)
    assert edge["label"] == item.type.upper()
    assert (edge["status"], edge["origin"], edge["confidence"]) == ("accepted", "human", 1.0)
    after = sum(r.rebuttals for r in queries.contested(store, limit=None))
    assert after == before + (item.type == "rebuts")
    doc = export_json(store)
    pair = (item.source, item.target)
    assert pair in {(r["source"], r["target"]) for r in doc["relations"]}
    assert pair not in {(r["source"], r["target"]) for r in doc["candidates"]}
    left = review_queue(store, kinds=["candidate"], limit=None)
    assert item.key not in {i.key for i in left}


def test_rejecting_flipping_and_undoing_a_guess(guessed) -> None:
    store, items = guessed
    rejected, flipped = items[0], items[1]
    act.reject(store, rejected.source, rejected.target, "Ann", note="no stance here")
    assert edges(store, rejected.source, rejected.target) == [
        {
            "label": "REJECTED",
            "type": rejected.type,
            "status": "rejected",
            "origin": None,
            "confidence": rejected.certainty,
        }
    ]
    review = act.flip(store, flipped.source, flipped.target, "Ann")
    other = "supports" if flipped.type == "rebuts" else "rebuts"
    got = {(e["label"], e["type"]) for e in edges(store, flipped.source, flipped.target)}
    assert got == {(other.upper(), None), ("REJECTED", flipped.type)}
    undo(store, review.id, "Bob")
    (back,) = edges(store, flipped.source, flipped.target)
    assert (back["label"], back["type"], back["status"]) == ("CANDIDATE", flipped.type, None)
    assert flipped.key in {i.key for i in review_queue(store, kinds=["candidate"], limit=None)}


def test_decided_guesses_are_scored_apart_from_relations(guessed) -> None:
    store, items = guessed
    act.accept(store, items[0].source, items[0].target, "Ann")
    act.reject(store, items[1].source, items[1].target, "Ann")
    act.flip(store, items[2].source, items[2].target, "Ann")
    relation = review_queue(store, kinds=["relation"], limit=1)[0]
    act.accept(store, relation.source, relation.target, "Ann")
    rows = {(s.kind, s.extractor): (s.accepted, s.rejected) for s in score_reviews(store)}
    assert rows[("candidate", "offline")] == (1, 2)
    assert rows[("relation", "offline")] == (1, 0)


def test_reingest_does_not_guess_a_decided_pair_again(guessed, sample_path: Path) -> None:
    store, items = guessed
    accepted, rejected, untouched = items[0], items[1], items[2]
    act.accept(store, accepted.source, accepted.target, "Ann")
    act.reject(store, rejected.source, rejected.target, "Ann")
    ingest(sample_path, store, extractor="offline", reextract=True)
    labels = {e["label"] for e in edges(store, accepted.source, accepted.target)}
    assert labels == {accepted.type.upper()}
    labels = {e["label"] for e in edges(store, rejected.source, rejected.target)}
    assert labels == {"REJECTED"}
    labels = {e["label"] for e in edges(store, untouched.source, untouched.target)}
    assert labels == {"CANDIDATE"}


def test_the_cli_lists_and_decides_guesses(
    argmap_env: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("ARGMAP_REVIEWER", "Ann")
    assert runner.invoke(app, ["ingest", str(sample_path), "-e", "offline", "-q"]).exit_code == 0
    listed = runner.invoke(app, ["review", "list", "--kind", "candidate", "--limit", "2"])
    assert listed.exit_code == 0, listed.output
    # One line per item; its reasons follow it, indented.
    rows = [r for r in listed.output.splitlines() if not r.startswith("       ")]
    assert len(rows) == 2 and all(" candidate " in r for r in rows)
    _, _, source, target, *_ = rows[0].split()
    ok = runner.invoke(app, ["review", "flip", source, target])
    assert ok.exit_code == 0 and "flip" in ok.output, ok.output
    again = runner.invoke(app, ["review", "list", "--kind", "candidate", "--limit", "500"])
    assert f"{source} {target}" not in again.output
    default = runner.invoke(app, ["review", "list", "--limit", "500"])
    assert " candidate " not in default.output


def test_the_review_page_shows_and_confirms_a_guess(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, graph_name: str, sample_path: Path
) -> None:
    store = open_store(str(falkordb_dir), graph_name)
    try:
        ingest(sample_path, store, extractor="offline")
        monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
        monkeypatch.setenv("ARGMAP_GRAPH", graph_name)
        monkeypatch.setenv("ARGMAP_DASHBOARD_ALLOW_EDITS", "1")
        at = open_page("review")
        at.text_input(key="rv_name_in").input("Ann")
        next(b for b in at.button if b.label == "Start reviewing").click().run()
        assert "candidate" not in at.multiselect(key="rv_kinds").value
        at.multiselect(key="rv_kinds").set_value(["candidate"]).run()
        assert_clean(at)
        assert "A hidden guess" in texts(at)
        first = review_queue(store, kinds=["candidate"], limit=1)[0]
        before = candidate_count(store)
        at.button(key="rv_accept").click().run()
        assert_clean(at)
        assert candidate_count(store) == before - 1
        (edge,) = edges(store, first.source or "", first.target or "")
        assert (edge["label"], edge["origin"]) == ((first.type or "").upper(), "human")
    finally:
        store.clear()
        store.close()
