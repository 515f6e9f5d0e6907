"""What a reviewer needs to see to decide on one item: the posts, the quotes, the choices."""

from __future__ import annotations

from typing import Any

from argmap.graph.store import Store
from pydantic import BaseModel

CANDIDATE_POSTS = 40  # earlier posts offered as a new parent (the article always is)


class ClaimView(BaseModel):
    """A claim in its post: the post's whole text and where the quote sits in it."""

    id: str
    text: str = ""
    quote: str = ""
    start: int | None = None
    end: int | None = None
    post_id: str
    author: str | None = None
    posted_at: str | None = None
    position: int | None = None
    kind: str | None = None
    post_text: str = ""


class PostView(BaseModel):
    id: str
    author: str | None = None
    posted_at: str | None = None
    position: int | None = None
    kind: str | None = None
    text: str = ""
    is_spam: bool = False


_CLAIM = (
    "RETURN c.id AS id, c.text AS text, c.quote AS quote, c.start AS start, c.end AS end, "
    "p.id AS post_id, p.author AS author, p.posted_at AS posted_at, p.position AS position, "
    "p.kind AS kind, p.text AS post_text"
)
_POST = (
    "RETURN q.id AS id, q.author AS author, q.posted_at AS posted_at, q.position AS position, "
    "q.kind AS kind, q.text AS text, coalesce(q.is_spam, false) AS is_spam"
)


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def claim_view(store: Store, claim_id: str) -> ClaimView | None:
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) " + _CLAIM, {"id": claim_id}
    )
    return ClaimView(**_clean(rows[0])) if rows else None


def post_view(store: Store, post_id: str | None) -> PostView | None:
    if post_id is None:
        return None
    rows = store.run_read("MATCH (q:Post {id: $id}) " + _POST, {"id": post_id})
    return PostView(**_clean(rows[0])) if rows else None


def retarget_choices(store: Store, claim_id: str) -> list[ClaimView]:
    """Claims ``claim_id`` may answer instead: its post's parent's claims, then the article's."""
    rows = store.run_read(
        "MATCH (:Claim {id: $id})<-[:MAKES]-(me:Post) "
        "OPTIONAL MATCH (me)-[:REPLIES_TO]->(up:Post) "
        "WITH me, up MATCH (p:Post)-[:MAKES]->(c:Claim) "
        "WHERE p.thread_id = me.thread_id AND (p.id = up.id OR p.kind = 'article') "
        + _CLAIM
        + " ORDER BY p.kind = 'article', c.start",
        {"id": claim_id},
    )
    return [ClaimView(**_clean(r)) for r in rows]


def parent_choices(store: Store, post_id: str) -> list[PostView]:
    """Earlier posts of the thread a comment may reply to: the nearest ones, and the article."""
    rows = store.run_read(
        "MATCH (me:Post {id: $id}) MATCH (q:Post) WHERE q.thread_id = me.thread_id "
        "AND q.position < me.position AND (q.kind = 'article' OR q.position >= me.position - $n) "
        + _POST
        + " ORDER BY q.position DESC",
        {"id": post_id, "n": CANDIDATE_POSTS},
    )
    return [PostView(**_clean(r)) for r in rows]
