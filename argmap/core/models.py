"""The boundary models every stage shares: a thread, its posts, claims and relations.

Ids are deterministic (``argmap.core.ids``), so the same input always lands on the same nodes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class Post(BaseModel):
    """The article (position 0) or one comment (positions 1..n in document order)."""

    id: str
    thread_id: str
    kind: Literal["article", "comment"]
    author: str
    posted_at: datetime | None = None
    position: int
    text: str
    parent_id: str | None = None
    is_spam: bool = False
    # How sure the machine was (review queue): the probability that the rebuilt parent is right
    # (``ingest.parent_confidence``), and the spam score's distance from the line (negative: not
    # spam).
    parent_confidence: float | None = None
    spam_margin: float | None = None
    # "human" when a reviewer set the parent / the spam flag (a machine re-ingest keeps it).
    parent_origin: str | None = None
    spam_origin: str | None = None


class Claim(BaseModel):
    """A claim made in a post: a paraphrase plus the verbatim quote at ``post.text[start:end]``."""

    id: str
    post_id: str
    text: str
    quote: str
    start: int
    end: int
    extractor: str
    model: str | None = None
    prompt_version: str | None = None
    # "normalised" when the quote was only found after normalising case, spaces or quotes.
    grounding: str | None = None
    # "human" when a reviewer edited the paraphrase or re-chose the quote.
    text_origin: str | None = None


# A candidate relation: the extractor's stance for a reply->parent pair whose text shows no
# evidence for it. It is stored apart (a ``CANDIDATE`` edge, the ``candidates`` list of argmap JSON),
# so queries, semantics, pictures and the dashboard never see it; ``argmap eval --candidates``
# scores it. Its confidence stays below this, under every stored relation's.
CANDIDATE_MAX_CONFIDENCE = 0.15


class Relation(BaseModel):
    """``source`` rebuts or supports ``target`` (both claim ids); a ``candidate`` is a hidden,
    low-confidence guess (see ``CANDIDATE_MAX_CONFIDENCE``)."""

    source: str
    target: str
    type: Literal["rebuts", "supports"]
    confidence: float = Field(ge=0.0, le=1.0)
    rationale: str = ""
    extractor: str
    model: str | None = None
    prompt_version: str | None = None
    candidate: bool = False
    # Review (graph.review_*): "human" for a relation a person drew; status "accepted" once a
    # person checked it ("rejected" only on a rejected relation, which is no longer live).
    origin: str | None = None
    status: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None


class Thread(BaseModel):
    """A parsed thread: the article first, then the comments in document order.

    ``reply_tree`` says whether ``parent_id`` came from the source or must be (or was) rebuilt.
    ``claims``/``relations`` are set only by sources that carry an extraction (argmap JSON).
    """

    id: str
    title: str
    url: str | None = None
    source_format: str
    published_at: datetime | None = None
    posts: list[Post]
    reply_tree: Literal["source", "reconstructed", "missing"] = "missing"
    # The language its text is written in (ISO 639-1; "und" when the text does not say), told
    # once when the thread is prepared (``ingest.thread.prepare_thread``) for the rebuild, the
    # extractor and the store to share; ``None``: not told yet.
    language: str | None = None
    claims: list[Claim] | None = None
    relations: list[Relation] | None = None
    # Set only by argmap JSON: relations people rejected, and the review log (rows of
    # ``argmap.core.json_v1.ReviewRow`` as dicts), restored as they are.
    rejected_relations: list[Relation] | None = None
    reviews: list[dict] | None = None
    # Set only by sources whose ids an older argmap derived otherwise (CSV/JSONL rows before
    # 2026-12-05): each id of this thread (its own and its posts') -> the id that argmap gave it,
    # so a re-ingest into a store it wrote lands on its nodes (``ingest.older_ids``).
    older_ids: dict[str, str] | None = None

    @property
    def article(self) -> Post:
        return self.posts[0]

    @property
    def comments(self) -> list[Post]:
        return self.posts[1:]

    def post(self, post_id: str) -> Post:
        for p in self.posts:
            if p.id == post_id:
                return p
        raise KeyError(post_id)
