"""The review queue: what the machine was least sure of, least sure first.

Four kinds of item, each with a certainty in 0..1 that orders the queue:
- ``relation``: a rebuts/supports relation no one has checked; how often the offline extractor's
  relations of its confidence were right on labelled threads (``OFFLINE_RELATION_RIGHT``), or the
  confidence another extractor (an LLM) stated.
- ``parent``: a rebuilt reply-tree parent; the probability that it is right
  (``parent_confidence``, calibrated on labelled threads).
- ``spam``: a spam flag near the line; ``|margin| / (|margin| + 1)`` of the spam score.
- ``claim``: a quote found only after normalising case, spaces or quotes (an LLM's); 0.5.
Items a person decided leave the queue (``include_reviewed`` shows them too).

A fifth kind is there when asked for: ``candidate``, a hidden guess (a reply's stance where its
words show none; no view draws it), with its low confidence. They are many and weak, so they
stay out of the default queue; a scholar who wants them confirms, flips or rejects each with the
relation actions.
"""

from __future__ import annotations

from typing import Any

from argmap.graph import review_reasons as why
from argmap.graph.review_state import claim_key, post_key, relation_key, versions
from argmap.graph.scope import POST_IN_SCOPE, thread_params
from argmap.graph.store import Store
from pydantic import BaseModel

from argmap.core.calibration import Knots, interpolate

KINDS = ("relation", "parent", "spam", "claim", "candidate")
DEFAULT_KINDS = KINDS[:4]  # candidates only when asked for

# The offline extractor's confidence ranks its evidence (a cue, a weak cue) but is no probability:
# its stored relations were right about 70% of the time at 0.2-0.6 on the tuning data. So that the
# queue's order across kinds means "least likely right first" now that rebuilt parents state a
# probability, an offline relation is placed by how often relations of its confidence were right:
# (confidence, share right), linear in between; a logistic fit (``bench/relation_precision.py``).
OFFLINE_RELATION_RIGHT: Knots = (
    (0.2, 0.658),
    (0.3, 0.693),
    (0.4, 0.726),
    (0.5, 0.757),
    (0.6, 0.785),
    (0.7, 0.811),
    (0.8, 0.834),
    (0.9, 0.855),
    (1.0, 0.874),
)


def relation_certainty(confidence: float, extractor: str | None) -> float:
    """Where a relation stands in the queue: for the offline extractor, how often its relations
    of this confidence were right; for another extractor, the confidence it stated."""
    return interpolate(OFFLINE_RELATION_RIGHT, confidence) if extractor == "offline" else confidence


class QueueItem(BaseModel):
    """One thing to check."""

    kind: str
    key: str
    certainty: float
    thread_id: str
    people: list[str]
    label: str
    reason: str = ""  # the machine's terse note (its rationale, a score)
    explanation: str = ""  # why it is here and what to check, in plain words
    reviewed: bool = False
    version: int = 0
    source: str | None = None  # relation: the answering claim; parent/spam: the post
    target: str | None = None  # relation: the claim answered; parent: the current parent post
    type: str | None = None  # relation: rebuts or supports
    confidence: float | None = None  # relation: the confidence its extractor stated


def _relation_items(rows: list[dict[str, Any]], kind: str) -> list[QueueItem]:
    """Queue items for relation rows (a hidden candidate's type is asked, not stated)."""
    asked = "?" if kind == "candidate" else ""
    return [
        QueueItem(
            kind=kind,
            key=relation_key(r["source"], r["target"]),
            certainty=_certainty(r, kind),
            thread_id=r["tid"],
            people=sorted({r["a_author"] or "", r["b_author"] or ""} - {""}),
            label=f"{r['a_author']} {r['type']}{asked} {r['b_author']}: {r['a_text']}",
            reason=r["rationale"] or "",
            explanation=_relation_explanation(r, kind),
            reviewed=bool(r.get("done")),
            source=r["source"],
            target=r["target"],
            type=r["type"],
            confidence=float(r["confidence"]),
        )
        for r in rows
    ]


def _certainty(row: dict[str, Any], kind: str) -> float:
    confidence = float(row["confidence"])
    return (
        confidence if kind == "candidate" else relation_certainty(confidence, row.get("extractor"))
    )


def _relation_explanation(row: dict[str, Any], kind: str) -> str:
    confidence = float(row["confidence"])
    if kind == "candidate":
        return why.candidate_reason(row["type"], confidence, row["rationale"] or "")
    extractor = row.get("extractor")
    right = _certainty(row, kind) if extractor == "offline" else None
    return why.relation_reason(row["type"], confidence, right, row["rationale"] or "", extractor)


def _relations(store: Store, params: dict[str, Any], reviewed: bool) -> list[QueueItem]:
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(a:Claim)-[e:REBUTS|SUPPORTS]->(b:Claim)<-[:MAKES]-(q:Post) "
        f"WHERE {POST_IN_SCOPE} AND ($reviewed OR (e.status IS NULL AND e.origin IS NULL)) "
        "RETURN a.id AS source, b.id AS target, toLower(type(e)) AS type, "
        "coalesce(e.confidence, 1.0) AS confidence, e.rationale AS rationale, "
        "p.author AS a_author, q.author AS b_author, a.text AS a_text, "
        "p.thread_id AS tid, e.status IS NOT NULL OR e.origin IS NOT NULL AS done, "
        "e.extractor AS extractor",
        {**params, "reviewed": reviewed},
    )
    return _relation_items(rows, "relation")


def _candidates(store: Store, params: dict[str, Any]) -> list[QueueItem]:
    # A decided guess is a live or rejected edge: every CANDIDATE edge is still open.
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(a:Claim)-[e:CANDIDATE]->(b:Claim)<-[:MAKES]-(q:Post) "
        f"WHERE {POST_IN_SCOPE} "
        "RETURN a.id AS source, b.id AS target, e.type AS type, "
        "coalesce(e.confidence, 0.0) AS confidence, e.rationale AS rationale, "
        "p.author AS a_author, q.author AS b_author, a.text AS a_text, p.thread_id AS tid",
        params,
    )
    return _relation_items(rows, "candidate")


def _posts(store: Store, params: dict[str, Any], reviewed: bool) -> list[QueueItem]:
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.kind = 'comment' AND "
        f"{POST_IN_SCOPE} AND (p.parent_confidence IS NOT NULL OR p.spam_margin IS NOT NULL) "
        "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.id AS id, p.author AS author, p.text AS text, p.thread_id AS tid, "
        "p.parent_confidence AS pc, p.spam_margin AS sm, coalesce(p.is_spam, false) AS spam, "
        "p.parent_origin AS po, p.spam_origin AS so, q.id AS parent, q.author AS parent_author",
        params,
    )
    out = []
    for r in rows:
        text = " ".join((r["text"] or "").split())[:200]
        if r["pc"] is not None and not r["spam"] and (reviewed or r["po"] is None):
            out.append(
                QueueItem(
                    kind="parent",
                    key=post_key(r["id"]),
                    certainty=float(r["pc"]),
                    thread_id=r["tid"],
                    people=sorted({r["author"] or "", r["parent_author"] or ""} - {""}),
                    label=f"{r['author']} replies to {r['parent_author']}: {text}",
                    reason=f"the rebuilt parent is {r['pc']:.0%} likely to be right",
                    explanation=why.parent_reason(float(r["pc"])),
                    reviewed=r["po"] is not None,
                    source=r["id"],
                    target=r["parent"],
                )
            )
        if r["sm"] is not None and (reviewed or r["so"] is None):
            margin = abs(float(r["sm"]))
            out.append(
                QueueItem(
                    kind="spam",
                    key=post_key(r["id"]) + "#spam",
                    certainty=round(margin / (margin + 1.0), 4),
                    thread_id=r["tid"],
                    people=[r["author"]] if r["author"] else [],
                    label=f"{r['author']} ({'spam' if r['spam'] else 'not spam'}): {text}",
                    reason=f"spam score {float(r['sm']):+.2f} from the line",
                    explanation=why.spam_reason(bool(r["spam"]), float(r["sm"])),
                    reviewed=r["so"] is not None,
                    source=r["id"],
                )
            )
    return out


def _claims(store: Store, params: dict[str, Any], reviewed: bool) -> list[QueueItem]:
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE c.grounding = 'normalised' AND "
        f"{POST_IN_SCOPE} AND ($reviewed OR c.text_origin IS NULL) "
        "RETURN c.id AS id, c.text AS text, c.quote AS quote, p.author AS author, "
        "p.thread_id AS tid, c.text_origin IS NOT NULL AS done",
        {**params, "reviewed": reviewed},
    )
    return [
        QueueItem(
            kind="claim",
            key=claim_key(r["id"]),
            certainty=0.5,
            thread_id=r["tid"],
            people=[r["author"]] if r["author"] else [],
            label=f"{r['author']}: {r['text']}",
            reason="the quote was found only after normalising case, spaces or quotes",
            explanation=why.claim_reason(),
            reviewed=bool(r["done"]),
            source=r["id"],
        )
        for r in rows
    ]


def review_queue(
    store: Store,
    thread_ids: list[str] | None = None,
    kinds: list[str] | None = None,
    person: str | None = None,
    limit: int | None = 50,
    include_reviewed: bool = False,
) -> list[QueueItem]:
    """The items to check, least certain first (ties by kind and key).

    ``kinds`` picks among ``KINDS`` (default ``DEFAULT_KINDS``: all but the hidden candidates);
    ``person`` narrows to items involving that author.
    """
    params = thread_params(thread_ids)
    wanted = set(kinds or DEFAULT_KINDS)
    items: list[QueueItem] = []
    if "relation" in wanted:
        items += _relations(store, params, include_reviewed)
    if wanted & {"parent", "spam"}:
        items += [i for i in _posts(store, params, include_reviewed) if i.kind in wanted]
    if "claim" in wanted:
        items += _claims(store, params, include_reviewed)
    if "candidate" in wanted:
        items += _candidates(store, params)
    if person:
        folded = person.casefold()
        items = [i for i in items if any(p.casefold() == folded for p in i.people)]
    items.sort(key=lambda i: (i.reviewed, i.certainty, KINDS.index(i.kind), i.key))
    if limit is not None:
        items = items[:limit]
    found = versions(store, [version_key(i) for i in items])
    return [i.model_copy(update={"version": found.get(version_key(i), 0)}) for i in items]


def version_key(item: QueueItem) -> str:
    """The key whose version guards this item (a spam flag is its post's)."""
    return item.key.removesuffix("#spam")
