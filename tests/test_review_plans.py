"""A review edit's queries find their items through an id index, never by walking a label.

On the 100k-comment graph one edit took 1.1-1.3 s (bench/review_refresh.py): ``thread_of``
matched ``(p:Post) WHERE p.id = $pid OR (p)-[:MAKES]->(:Claim {id: $cid})``, which no index
answers, so FalkorDB walked every post. Every other query of the edit seeks by id and the
2,000-claim threshold check is a label count FalkorDB answers without a scan. This test EXPLAINs
every query each action sends on a real FalkorDB and fails on any plan that scans a label or
all nodes (what grows with the graph). Neo4j is not held to it: on a populated graph its
planner may choose a scan of a whole id index for three of these queries (seen in one run of
three), which a test cannot pin down without plan hints. The summary refresh that follows an edit on a small
graph is left out: it reads the whole graph by design, so the edits here run as on a big graph
(a background refresher, whose refresh sends nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from argmap.graph import review_actions as act
from argmap.graph.review_queue import review_queue
from argmap.graph.store import Store
from argmap.graph.summary import Refreshed
from argmap.graph.summary_refresh import refresh_in_background
from argmap.ingest.pipeline import ingest
from query_plans import Recording, scans


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


def test_every_review_edit_query_seeks_by_id(store: Store, sample_path: Path) -> None:
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


def test_the_old_thread_lookup_is_what_this_catches(store: Store) -> None:
    # The check can fail: the query the edit used to send plans a scan of every post.
    old = (
        "MATCH (p:Post) WHERE p.id = $pid OR (p)-[:MAKES]->(:Claim {id: $cid}) "
        "RETURN p.thread_id AS tid LIMIT 1"
    )
    assert scans(store, old, {"pid": None, "cid": "c_1"}) == ["Node By Label Scan | (p:Post)"]
