"""The one way a review action is applied: read, change, then write and record as one unit
(``graph.review_commit``), with both states for undo."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from argmap.graph.review_commit import commit_decision
from argmap.graph.review_records import record_statements
from argmap.graph.review_state import State, dump, normal, now, read_state
from argmap.graph.schema import id_seek
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow

# Changes a copy of the items' state in place; it raises ReviewError before anything is written.
Change = Callable[[State, str, str], None]


def reviewer_name(name: str | None) -> str:
    """The reviewer's name with white space collapsed; a review without one is refused."""
    name = " ".join((name or "").split())
    if not name:
        raise ReviewError(
            "a review needs a reviewer name: pass --reviewer NAME or set ARGMAP_REVIEWER"
        )
    return name


def thread_of(store: Store, claim_id: str | None = None, post_id: str | None = None) -> str:
    """The thread a claim (or post) belongs to; an unknown id is a ``ReviewError``.

    One query per case, each starting from an id index seek: the former single query (post id
    OR a post making the claim) could use no index and walked every post, 0.2-1 s per review
    edit at 100k posts (bench/review_refresh.py).
    """
    if claim_id is not None:
        rows = store.run_read(
            f"MATCH (c:Claim {{id: $cid}})<-[:MAKES]-(p:Post){id_seek(store, 'c', 'Claim')} "
            "RETURN p.thread_id AS tid LIMIT 1",
            {"cid": claim_id},
        )
    else:
        rows = store.run_read(
            f"MATCH (p:Post {{id: $pid}}){id_seek(store, 'p', 'Post')} "
            "RETURN p.thread_id AS tid LIMIT 1",
            {"pid": post_id},
        )
    if not rows:
        what = f"claim {claim_id!r}" if claim_id else f"post {post_id!r}"
        raise ReviewError(f"no {what} in this store: `argmap review list` shows the open items")
    return rows[0]["tid"]


def copy_state(state: State) -> State:
    """A deep enough copy of ``state`` that changing it leaves the original as read."""
    return {
        k: [dict(v, props=dict(v["props"])) if "props" in v else dict(v) for v in rows]
        for k, rows in state.items()
    }


def apply_review(
    store: Store,
    *,
    kind: str,
    action: str,
    keys: list[str],
    reviewer: str | None,
    expected: int | None,
    note: str | None,
    thread_id: str,
    change: Change,
) -> ReviewRow:
    """Change the items' state and record the decision, all in one unit (a process stopped
    half way leaves the decision wholly absent); the first key is the item."""
    who = reviewer_name(reviewer)
    at = now()
    before = read_state(store, keys)
    after = copy_state(before)
    change(after, who, at)  # validates before anything is written
    after = normal(after)
    review = ReviewRow(
        id=f"r_{uuid.uuid4().hex[:16]}",
        kind=kind,
        key=keys[0],
        items=keys,
        action=action,
        before=dump(before),
        after=dump(after),
        reviewer=who,
        at=at,
        thread_id=thread_id,
        note=note or None,
    )
    commit_decision(
        store,
        keys=keys,
        expected=expected,
        who=who,
        at=at,
        mark=review.id,
        state=after,
        record=record_statements(store, review),
    )
    return review
