"""A reviewed item's history, and undo: the state a decision replaced is written back."""

from __future__ import annotations

import json
from typing import NamedTuple

from argmap.graph.review_commit import commit_decision
from argmap.graph.review_records import get_review, list_reviews, undone_statement
from argmap.graph.review_state import now
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow


def history(store: Store, key: str) -> list[ReviewRow]:
    """Every decision on the item ``key`` (``relation:S>T``, ``post:ID``, ``claim:ID``), oldest
    first, undone ones included (marked)."""
    return list_reviews(store, key=key)


def item_key(store: Store, ref: str) -> str:
    """An item key from what a person types: a key, ``SOURCE>TARGET``, a claim or post id."""
    if ":" in ref:
        return ref
    if ">" in ref:
        return f"relation:{ref}"
    kind = "post" if ref.startswith("p_") else "claim"
    return f"{kind}:{ref}"


def undo(store: Store, review_id: str, reviewer: str | None) -> ReviewRow:
    """Undo a decision: its items get back the state it replaced. Only the latest standing
    decision on an item can be undone (undo the later ones first), so nothing is lost."""
    who = " ".join((reviewer or "").split())
    if not who:
        raise ReviewError("undo needs a reviewer name: pass --reviewer NAME or set ARGMAP_REVIEWER")
    review = get_review(store, review_id)
    if review is None:
        raise ReviewError(f"no review {review_id!r}: `argmap review history ITEM` lists them")
    if review.undone:
        raise ReviewError(f"review {review_id} was already undone by {review.undone_by}")
    for key in review.items:
        later = [
            r for r in history(store, key) if not r.undone and (r.at, r.id) > (review.at, review.id)
        ]
        if later:
            raise ReviewError(
                f"{key} was decided again later ({later[-1].action} by {later[-1].reviewer}, "
                f"review {later[-1].id}): undo that first"
            )
    at = now()
    # One unit, like the decision: the old state is back and the review marked undone, or neither.
    commit_decision(
        store,
        keys=review.items,
        expected=None,
        who=who,
        at=at,
        mark=f"undo:{review.id}",
        state=json.loads(review.before),
        record=[undone_statement(review.id, who, at)],
    )
    return review.model_copy(update={"undone": True, "undone_by": who, "undone_at": at})


class LastChange(NamedTuple):
    """The latest change to an item: a decision, or the undo of one."""

    reviewer: str
    at: str
    action: str  # the decision's action, or "undo of ACTION"
    review_id: str
    standing: bool  # the decision is still in force (not undone)


def last_change(store: Store, key: str) -> LastChange | None:
    """Who changed the item ``key`` last, when and how; ``None`` if nobody ever decided it.

    Two reviewers on one item are told this, so neither decision replaces the other unseen.
    """
    events = []
    for r in history(store, key):
        events.append(LastChange(r.reviewer, r.at, r.action, r.id, not r.undone))
        if r.undone:
            by, at = r.undone_by or "someone", r.undone_at or r.at
            events.append(LastChange(by, at, f"undo of {r.action}", r.id, False))
    return max(events, key=lambda e: e.at) if events else None


def minute(at: str) -> str:
    """A review time as people read it: ``2026-03-02 12:03 UTC``."""
    return f"{at[:10]} {at[11:16]} UTC" if len(at) >= 16 else at


def standing_decision(store: Store, key: str) -> ReviewRow | None:
    """The latest decision on the item ``key`` still in force (not undone), if any."""
    standing = [r for r in history(store, key) if not r.undone]
    return standing[-1] if standing else None
