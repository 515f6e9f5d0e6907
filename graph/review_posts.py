"""Review actions on posts: re-parent a reply, mark a post spam or not spam."""

from __future__ import annotations

from argmap.graph.review_apply import apply_review, thread_of
from argmap.graph.review_relations import reject_edge
from argmap.graph.review_state import LIVE, State, post_key, relation_key
from argmap.graph.schema import id_seek
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow


def set_parent(
    store: Store,
    post_id: str,
    parent_id: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """``post_id`` replies to ``parent_id`` (a post of the same thread, not one of its replies).

    A reply that moves is left to extract again: ``argmap review extract`` (or the next ``argmap
    ingest`` of its source) relates its claims to the new parent's and drops the machine's
    relations to the old one (``graph.review_state.state_statements``)."""
    rows = store.run_read(
        "MATCH (p:Post {id: $pid}), (q:Post {id: $qid})"
        f"{id_seek(store, 'p', 'Post')}{id_seek(store, 'q', 'Post')} "
        "OPTIONAL MATCH (q)-[:REPLIES_TO*1..]->(x:Post {id: $pid})"
        f"{id_seek(store, 'x', 'Post')} "
        "RETURN p.thread_id AS pt, q.thread_id AS qt, p.kind AS kind, count(x) AS below",
        {"pid": post_id, "qid": parent_id},
    )
    if not rows:
        raise ReviewError(f"post {post_id!r} or {parent_id!r} is not in this store")
    row = rows[0]
    if row["kind"] == "article":
        raise ReviewError("the article replies to nothing: pick a comment")
    if row["pt"] != row["qt"] or post_id == parent_id or row["below"]:
        raise ReviewError(
            f"{parent_id} cannot be the parent of {post_id}: it must be an earlier post of the "
            "same thread and not one of its replies"
        )

    def change(state: State, who: str, at: str) -> None:
        state["posts"][0].update(
            parent_id=parent_id, parent_origin="human", reviewed_by=who, reviewed_at=at
        )

    return apply_review(
        store,
        kind="parent",
        action="set-parent",
        keys=[post_key(post_id)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=row["pt"],
        change=change,
    )


def mark_spam(
    store: Store,
    post_id: str,
    spam: bool,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """Mark a post spam (its claims' relations are rejected with it) or not spam (the next
    ingest extracts it)."""
    thread_id = thread_of(store, post_id=post_id)
    pairs = (
        store.run_read(
            "MATCH (p:Post {id: $pid})-[:MAKES]->(c:Claim)-[e:REBUTS|SUPPORTS]-(d:Claim)"
            f"{id_seek(store, 'p', 'Post')} "
            "RETURN DISTINCT startNode(e).id AS source, endNode(e).id AS target",
            {"pid": post_id},
        )
        if spam
        else []
    )
    keys = [post_key(post_id)] + sorted({relation_key(r["source"], r["target"]) for r in pairs})

    def change(state: State, who: str, at: str) -> None:
        state["posts"][0].update(is_spam=spam, spam_origin="human", reviewed_by=who, reviewed_at=at)
        for edge in [e for e in state["edges"] if e["label"] in LIVE]:
            reject_edge(state, edge, who, at, "spam")

    return apply_review(
        store,
        kind="spam",
        action="spam" if spam else "not-spam",
        keys=keys,
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=thread_id,
        change=change,
    )
