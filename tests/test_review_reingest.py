"""Reviewing while a re-ingest changes the graph: a decision lands only on what the reviewer saw.

An LLM re-extraction (``--re-extract``) can say ``supports`` where the first run said ``rebuts``
for the same two claims, with another confidence. A reviewer whose page (or ``review list``)
showed "rebuts" and clicks Accept must not accept a "supports" they never saw: nothing is
saved, they are told what the machine says now, and they decide again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.review_claims import edit_claim
from argmap.graph.review_machine import machine_reading
from argmap.graph.review_records import list_reviews
from argmap.graph.review_state import claim_key, relation_key, versions
from argmap.graph.store import Store
from argmap.ingest.pipeline import IngestSummary, ingest_thread
from dashboard_pages import serve_with_edits
from llm_server import ChatRequest, ChatServer, sample_answer
from llm_threads import extractor, make_thread
from review_session import live
from test_dashboard_review import click, shown_relation, start
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.errors import ReviewConflict

runner = CliRunner()


class Machine:
    """The local model's stance: every relation it draws has this type and confidence."""

    def __init__(self) -> None:
        self.type, self.confidence = "rebuts", 0.7
        self.wording = ""  # put before every paraphrase: a model that words its claims otherwise

    def answer(self, request: ChatRequest) -> dict[str, Any]:
        answer = sample_answer(request)
        for claim in answer["claims"]:
            claim["paraphrase"] = self.wording + claim["paraphrase"]
            for rel in claim["relations"]:
                rel.update(type=self.type, confidence=self.confidence)
        return answer


@pytest.fixture
def machine() -> Iterator[tuple[Machine, ChatServer]]:
    said = Machine()
    with ChatServer(answer=said.answer) as server:
        yield said, server


def extract(store: Store, server: ChatServer, tmp_path: Path, run: int) -> None:
    """One (re-)extraction of the test thread by the LLM, with an answer cache of its own."""
    llm = extractor(server, tmp_path, cache=f"cache{run}.sqlite3")
    ingest_thread(store, make_thread(), llm, IngestSummary(), reextract=run > 1)


@pytest.fixture
def llm_store(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    any_store: Store,
    falkordb_dir: Path,
    graph_name: str,
    machine: tuple[Machine, ChatServer],
    tmp_path: Path,
) -> Store:
    """The thread extracted once by the LLM (every relation "rebuts", 0.70) on each store in
    turn, with the CLI's and the dashboard's settings pointed at it, edits allowed."""
    serve_with_edits(monkeypatch, falkordb_dir, graph_name)
    if any_store.dialect == "neo4j":
        for var, value in request.getfixturevalue("neo4j_server").env().items():
            monkeypatch.setenv(var, value)
        monkeypatch.delenv("ARGMAP_GRAPH")
    extract(any_store, machine[1], tmp_path, 1)
    return any_store


def relation_keys(store: Store) -> list[str]:
    rows = store.run_read(
        "MATCH (a:Claim)-[e:REBUTS|SUPPORTS]->(b:Claim) RETURN a.id AS a, b.id AS b"
    )
    return sorted(relation_key(r["a"], r["b"]) for r in rows)


def test_the_machine_reading_is_each_pair_once_as_a_reviewer_reads_it(llm_store: Store) -> None:
    store = llm_store
    keys = relation_keys(store)
    assert len(keys) >= 3
    posts = [r["id"] for r in store.run_read("MATCH (p:Post) RETURN p.id AS id")]
    # Both ends of most pairs are among the posts read: each pair still appears once.
    assert machine_reading(store, posts) == {k: "rebuts (confidence 0.70)" for k in keys}


def test_a_re_extraction_raises_the_version_of_each_pair_it_redrew_and_of_no_other(
    llm_store: Store, machine: tuple[Machine, ChatServer], tmp_path: Path
) -> None:
    store, (said, server) = llm_store, machine
    keys = relation_keys(store)
    extract(store, server, tmp_path, 2)  # the same answers again
    assert versions(store, keys) == dict.fromkeys(keys, 0)
    said.confidence = 0.704  # the same to 2 decimals, as a reviewer reads it
    extract(store, server, tmp_path, 3)
    assert versions(store, keys) == dict.fromkeys(keys, 0)
    said.type, said.confidence = "supports", 0.9
    extract(store, server, tmp_path, 4)
    assert versions(store, keys) == dict.fromkeys(keys, 1)  # once each, however it was matched
    assert relation_keys(store) == keys


def test_an_accept_clicked_on_rebuts_never_accepts_the_supports_a_re_extraction_wrote(
    llm_store: Store, machine: tuple[Machine, ChatServer], tmp_path: Path
) -> None:
    store, (said, server) = llm_store, machine
    alice = start("Alice", ["relation"])
    seen = shown_relation(alice)
    assert live(store, *seen)[0]["type"] == "rebuts"
    said.type, said.confidence = "supports", 0.9
    extract(store, server, tmp_path, 2)  # the page still shows "rebuts"
    assert live(store, *seen) == [{"type": "supports", "status": None, "origin": None}]

    click(alice, "rv_accept")
    assert list_reviews(store) == []  # nothing saved
    assert live(store, *seen)[0]["status"] is None
    said_now = " ".join(str(w.value) for w in alice.warning)
    assert "the machine now says *supports*, not *rebuts*" in said_now
    assert "confidence 0.90, not 0.70" in said_now and "Accepted" in said_now
    # The page shows the item as it is now, and a decision on it is saved.
    assert shown_relation(alice) == seen
    assert "*supports*" in " ".join(str(m.value) for m in alice.markdown)
    click(alice, "rv_accept")
    [review] = list_reviews(store)
    assert (review.reviewer, review.action) == ("Alice", "accept")
    assert live(store, *seen)[0] == {"type": "supports", "status": "accepted", "origin": None}


def test_a_re_extraction_that_rewords_a_claim_raises_its_version_and_a_stale_edit_saves_nothing(
    llm_store: Store, machine: tuple[Machine, ChatServer], tmp_path: Path
) -> None:
    store, (said, server) = llm_store, machine
    claims = store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text ORDER BY c.id")
    keys = [claim_key(c["id"]) for c in claims]
    extract(store, server, tmp_path, 2)  # the same words again
    assert versions(store, keys) == dict.fromkeys(keys, 0)
    said.wording = "In other words: "
    extract(store, server, tmp_path, 3)
    reworded = store.run_read("MATCH (c:Claim) RETURN c.id AS id, c.text AS text ORDER BY c.id")
    assert [c["id"] for c in reworded] == [c["id"] for c in claims]  # same spans, same claims
    assert all(c["text"].startswith("In other words: ") for c in reworded)
    assert versions(store, keys) == dict.fromkeys(keys, 1)
    # A reviewer who read the old words rewrites them: nothing saved, the new words stand.
    with pytest.raises(ReviewConflict, match=r"\(re-extraction\) saved it"):
        edit_claim(store, claims[0]["id"], "Ann", text="My own words", expected=0)
    assert list_reviews(store) == []
    edit_claim(store, claims[0]["id"], "Ann", text="My own words", expected=1)
    assert [r.action for r in list_reviews(store)] == ["edit"]


def test_a_re_extraction_that_changes_nothing_stands_in_no_ones_way(
    llm_store: Store, machine: tuple[Machine, ChatServer], tmp_path: Path
) -> None:
    store = llm_store
    alice = start("Alice", ["relation"])
    seen = shown_relation(alice)
    extract(store, machine[1], tmp_path, 2)  # the same answers again
    click(alice, "rv_reject")
    assert [r.reviewer for r in list_reviews(store)] == ["Alice"]
    assert live(store, *seen) == []


def test_the_shell_decides_on_the_version_it_listed_not_on_what_a_re_extraction_wrote(
    llm_store: Store,
    machine: tuple[Machine, ChatServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, (said, server) = llm_store, machine
    monkeypatch.setenv("ARGMAP_REVIEWER", "Ann")
    listed = runner.invoke(app, ["review", "list", "--kind", "relation", "--json"])
    item = json.loads(listed.output)[0]
    assert (item["type"], item["version"]) == ("rebuts", 0)
    said.type, said.confidence = "supports", 0.9
    extract(store, server, tmp_path, 2)

    pair = [item["source"], item["target"]]
    stale = runner.invoke(app, ["review", "accept", *pair, "--expect-version", "0"])
    assert stale.exit_code == 1
    (line,) = stale.output.strip().splitlines()
    assert "re-extraction" in line and "now says supports (confidence 0.90)" in line
    assert "--expect-version 1" in line
    assert list_reviews(store) == [] and live(store, *pair)[0]["status"] is None
    again = runner.invoke(app, ["review", "accept", *pair, "--expect-version", "1"])
    assert again.exit_code == 0, again.output
    assert live(store, *pair)[0]["status"] == "accepted"
