"""A review edit's queries find their items through an id index, never by walking a label.

On the 100k-comment graph one edit took 1.1-1.3 s (bench/review_refresh.py): ``thread_of``
matched ``(p:Post) WHERE p.id = $pid OR (p)-[:MAKES]->(:Claim {id: $cid})``, which no index
answers, so FalkorDB walked every post. Every other query of the edit seeks by id and the
2,000-claim threshold check is a label count both stores answer from their counts. This test
EXPLAINs every query each action sends, on a real FalkorDB and a real Neo4j, and fails on any
plan that scans a label, all nodes or a whole index (what grows with the graph).

Neo4j's planner weighs seeks against scans by its statistics: in one CI run of three it planned
three of these queries as a scan of the whole id index (NodeIndexScan). So on Neo4j every node
an edit matches by id is found with a hint (``graph.schema.id_seek``: ``USING INDEX SEEK``),
which leaves the planner no scan to choose, and this test also checks that each such node has
its hint, as a plan that happens to be a seek today does not show that. MERGE takes no hints;
on a uniqueness constraint Neo4j finds its node by a locking seek of that constraint's index.

The summary refresh that follows an edit on a small graph is left out: it reads the whole graph
by design, so the edits here run as on a big graph (a background refresher, whose refresh sends
nothing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from argmap.graph import review_actions as act
from argmap.graph.review_machine import check_not_re_extracted, machine_reading, mark_changed
from argmap.graph.review_queue import review_queue
from argmap.graph.store import Store
from argmap.graph.summary import Refreshed
from argmap.graph.summary_refresh import refresh_in_background
from argmap.ingest.pipeline import ingest
from query_plans import Recording, scans

from argmap.core.errors import ReviewConflict

# A node matched by id, ``(var:Label {id: ...}`` outside a MERGE (anonymous: ``var`` is empty).
MATCHED_BY_ID = re.compile(r"(?<!MERGE )\((\w*):(\w+) \{id:")


def unhinted(query: str) -> list[str]:
    """The nodes ``query`` matches by id without a Neo4j ``USING INDEX SEEK`` hint for them."""
    return [
        f"{var}:{label}"
        for var, label in MATCHED_BY_ID.findall(query)
        if not var or f"USING INDEX SEEK {var}:{label}(id)" not in query
    ]


def no_refresh(_store: Store) -> Refreshed:
    return Refreshed(revision=0, seconds=0.0)


def one_of_each(store: Store, edits: Store) -> None:
    """Accept, reject, flip, re-target, add, set a parent, mark spam and edit on the sample:
    the items picked through ``store``, the decisions made through ``edits``."""
    sources: dict[str, Any] = {}
    for item in review_queue(store, kinds=["relation"], limit=None):
        sources.setdefault(item.source, item)
    r = list(sources.values())
    elsewhere = next(i.source for i in r[4:] if i.source not in (r[3].source, r[3].target))
    post = review_queue(store, kinds=["parent"], limit=None)[0]
    earlier = store.run_read(
        "MATCH (me:Post {id: $id}), (q:Post) WHERE q.thread_id = me.thread_id "
        "AND q.position < me.position AND q.id <> $cur AND q.kind = 'comment' "
        "RETURN q.id AS id ORDER BY q.position DESC LIMIT 1",
        {"id": post.source, "cur": post.target},
    )
    act.accept(edits, r[0].source, r[0].target, "Ann")
    act.reject(edits, r[1].source, r[1].target, "Ann")
    act.flip(edits, r[2].source, r[2].target, "Ann")
    act.retarget(edits, r[3].source, r[3].target, elsewhere, "Ann")
    act.add_relation(edits, r[5].source, r[0].source, "supports", "Ann")
    act.set_parent(edits, post.source, earlier[0]["id"], "Ann")
    act.mark_spam(edits, post.source, True, "Ann")
    act.edit_claim(edits, r[6].source, "Ann", text="A paraphrase a person wrote")


def test_every_review_edit_query_seeks_by_id(any_store: Store, sample_path: Path) -> None:
    store = any_store
    ingest(sample_path, store, extractor="offline")
    edits: Any = Recording(store)  # duck-typed Store (a Protocol)
    refresher = refresh_in_background(edits, max_claims=0, refresh=no_refresh, quiet=0)
    one_of_each(store, edits)
    assert refresher.wait(30)
    sent = edits.sent
    assert len(sent) >= 10
    assert any("MAKES" in q and "Claim {id: $cid}" in q for q in sent)  # thread_of
    assert any("count(c)" in q for q in sent)  # the threshold check ran
    scanning = {q[:100]: found for q, p in sent.items() if (found := scans(store, q, p))}
    assert scanning == {}
    if store.dialect == "neo4j":
        assert sum("USING INDEX SEEK" in q for q in sent) >= 10
        assert {q[:100]: found for q in sent if (found := unhinted(q))} == {}


def test_the_reading_of_what_the_machine_says_seeks_its_posts_by_id(
    any_store: Store, sample_path: Path
) -> None:
    # Every extraction write reads the machine's relations of its posts before and after
    # (graph.review_machine), on a thread of any size: its posts are looked up, never walked.
    store = any_store
    ingest(sample_path, store, extractor="offline")
    posts = [r["id"] for r in store.run_read("MATCH (p:Post) RETURN p.id AS id LIMIT 20")]
    reading: Any = Recording(store)
    assert machine_reading(reading, posts)  # it finds what the machine drew
    [(query, params)] = reading.sent.items()
    assert scans(store, query, params) == []
    if store.dialect == "neo4j":
        assert "USING INDEX SEEK p:Post(id)" in query


def test_telling_a_stale_decision_what_the_machine_redrew_seeks_by_id(
    any_store: Store, sample_path: Path
) -> None:
    # `review accept --expect-version` and the page check each decision against a re-extraction.
    store = any_store
    ingest(sample_path, store, extractor="offline")
    item = review_queue(store, kinds=["relation"], limit=1)[0]
    mark_changed(store, [item.key])  # as a re-extraction that redrew it
    checking: Any = Recording(store)
    with pytest.raises(ReviewConflict, match="re-extraction"):
        check_not_re_extracted(checking, item.key, 0)
    sent = checking.sent
    assert len(sent) == 3  # when, which version, what is drawn now
    assert {q[:100]: found for q, p in sent.items() if (found := scans(store, q, p))} == {}
    if store.dialect == "neo4j":
        assert {q[:100]: found for q in sent if (found := unhinted(q))} == {}


def test_the_old_thread_lookup_is_what_this_catches(any_store: Store) -> None:
    store = any_store
    # The check can fail: the query the edit used to send plans a scan of every post.
    old = (
        "MATCH (p:Post) WHERE p.id = $pid OR (p)-[:MAKES]->(:Claim {id: $cid}) "
        "RETURN p.thread_id AS tid LIMIT 1"
    )
    found = scans(store, old, {"pid": None, "cid": "c_1"})
    assert found == (
        ["Node By Label Scan | (p:Post)"] if store.dialect == "falkordb" else ["NodeByLabelScan"]
    ), found
    assert unhinted(old) == [":Claim"]


def test_a_whole_index_scan_is_caught_on_neo4j(neo4j_store: Store) -> None:
    # What the planner chose in that CI run: every id of the index read, not one looked up.
    found = scans(neo4j_store, "MATCH (c:Claim) WHERE c.id IS NOT NULL RETURN c.id AS id", {})
    assert found == ["NodeIndexScan"], found
    hinted = "MATCH (c:Claim {id: $id}) USING INDEX SEEK c:Claim(id) RETURN c.id AS id"
    assert scans(neo4j_store, hinted, {"id": "c_1"}) == []
    assert unhinted(hinted) == []
