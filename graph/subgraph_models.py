"""The shapes of a selection and its answer: what to show (:class:`Selection`) and the plain
:class:`Subgraph` (claims, relations, posts, threads, "showing N of M") that every exporter and
the dashboard's Graph page consume. ``graph.subgraph`` runs the selection.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from argmap.core.errors import ArgmapError
from argmap.core.times import as_stored_now

RelationType = Literal["rebuts", "supports"]
RELATION_TYPES: tuple[RelationType, ...] = ("rebuts", "supports")
MOST_REBUTTED = "most-rebutted"
# The offline extractor's relations without an explicit stance cue have confidence 0.20-0.30:
# guesses, which pictures and pages leave out unless asked for.
GUESS_CONFIDENCE = 0.31


class SelectionError(ArgmapError):
    """The selection names something that is not in the graph, or is out of range."""


class Selection(BaseModel):
    """What to select. Every field is optional; the default is the whole graph, uncapped."""

    claim: str | None = Field(None, description=f"Focus claim id, or {MOST_REBUTTED!r}.")
    hops: int = Field(2, ge=0, le=20, description="Relation steps from the focus claim.")
    thread_ids: list[str] | None = None
    people: list[str] | None = Field(None, description="Author names or person ids (u_...).")
    relation_types: list[RelationType] = Field(default_factory=lambda: list(RELATION_TYPES))
    since: datetime | date | None = None
    until: datetime | date | None = Field(None, description="Inclusive (a date means all day).")
    min_confidence: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Drop relations below this. None: the format decides (pictures and pages "
        f"leave out guesses below {GUESS_CONFIDENCE}, data formats keep everything).",
    )
    include_spam: bool = False
    connected_only: bool | None = Field(
        None,
        description="Whole graph: drop claims with no relation. None: the format decides "
        "(pictures and pages drop them, data formats keep them).",
    )
    max_nodes: int | None = Field(None, ge=1)


class ThreadInfo(BaseModel):
    id: str
    title: str | None = None
    author: str | None = Field(None, description="Who wrote the article.")
    url: str | None = None
    source_format: str | None = None
    published_at: str | None = None
    comments: int | None = Field(None, description="Comments in the thread, spam not counted.")
    spam: int | None = Field(
        None, description="Comments marked as spam (None: read before they were counted apart)."
    )
    first_comment_at: str | None = Field(None, description="The first comment's time (not spam).")
    last_comment_at: str | None = Field(None, description="The last comment's time (not spam).")
    language: str | None = Field(
        None, description="ISO 639-1 code of the language it is written in (None: unknown)."
    )


class ClaimNode(BaseModel):
    """A claim as drawn: what it says, the exact words, who said it, where and when."""

    id: str
    text: str
    quote: str
    start: int | None = None
    end: int | None = None
    post_id: str
    post_kind: str | None = None
    position: int | None = None
    author: str | None = None
    posted_at: str | None = None
    thread_id: str | None = None
    thread_title: str | None = None
    thread_url: str | None = None
    hop: int | None = Field(None, description="Relation steps from the focus claim.")
    label: str | None = Field(None, description="Grounded label IN / OUT / UNDEC, if computed.")
    text_origin: str | None = Field(None, description='"human" when a reviewer edited it.')
    reviewed_by: str | None = None

    @field_validator("posted_at")
    @classmethod
    def _one_convention(cls, value: str | None) -> str | None:
        # Every export and view reads posted_at here: an old store's naive text gets "+00:00".
        return as_stored_now(value)


class RelationEdge(BaseModel):
    source: str
    target: str
    type: RelationType
    confidence: float | None = None
    rationale: str | None = None
    origin: str | None = Field(None, description='"human" when a reviewer drew it.')
    status: str | None = Field(None, description='"accepted" when a reviewer checked it.')
    reviewed_by: str | None = None


class PostInfo(BaseModel):
    """A post that makes at least one selected claim (its full text, for click-through)."""

    id: str
    thread_id: str | None = None
    kind: str | None = None
    author: str | None = None
    posted_at: str | None = None
    position: int | None = None
    parent_id: str | None = None
    is_spam: bool = False
    text: str = ""

    @field_validator("posted_at")
    @classmethod
    def _one_convention(cls, value: str | None) -> str | None:
        return as_stored_now(value)


class Subgraph(BaseModel):
    """The selected claims and the relations between them."""

    selection: Selection
    focus: str | None = None
    nodes: list[ClaimNode]
    edges: list[RelationEdge]
    posts: list[PostInfo]
    threads: list[ThreadInfo]
    total_nodes: int = Field(description="Claims that matched before the node cap.")
    labelled: bool = Field(False, description="Whether nodes carry grounded labels.")
    labels_shown_only: bool = Field(
        False, description="Labels judged on the claims shown, not on the whole graph."
    )

    @property
    def truncated(self) -> bool:
        return len(self.nodes) < self.total_nodes

    @property
    def showing(self) -> str:
        """``"showing N of M claims"`` (what the cap left)."""
        return f"showing {len(self.nodes)} of {self.total_nodes} claims"

    def node(self, claim_id: str) -> ClaimNode:
        for n in self.nodes:
            if n.id == claim_id:
                return n
        raise KeyError(claim_id)


class WholeRanking(BaseModel):
    """A whole-graph selection's claims in the order its cap keeps them (``story.whole_order``),
    for one set of filters: how many match (``total``) and the first of them (``order``; all of
    them when ``len(order) == total``). Any cap keeps a prefix, so a writer can keep the first
    few hundred once per revision and a reader cut them (``graph.summary``)."""

    selection: Selection = Field(description="The filters it was ranked for (cap and focus unset).")
    total: int
    order: list[str]

    def kept(self, selection: Selection) -> list[str] | None:
        """The claims a capped ``selection`` keeps, when this ranking answers it: the same
        filters, and a cap it holds enough claims for; else None (select live)."""
        ranked_for = self.selection.model_dump(exclude={"max_nodes", "hops"})
        asked = selection.model_dump(exclude={"max_nodes", "hops"})
        if selection.claim is not None or _normalised(asked) != _normalised(ranked_for):
            return None
        cap = selection.max_nodes
        if len(self.order) >= self.total:  # every claim ranked: any cap, or none
            return self.order[:cap] if cap is not None else list(self.order)
        return self.order[:cap] if cap is not None and cap <= len(self.order) else None


def _normalised(fields: dict) -> dict:
    """Filters that select the same claims compare equal: no confidence floor is 0, the
    relation types are a set, an empty thread or people list is none."""
    return {
        **fields,
        "min_confidence": fields.get("min_confidence") or 0.0,
        "relation_types": sorted(set(fields.get("relation_types") or [])),
        "thread_ids": fields.get("thread_ids") or None,
        "people": fields.get("people") or None,
        "connected_only": bool(fields.get("connected_only")),
    }
