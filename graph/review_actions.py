"""Review actions: people correct what the machine got wrong, each decision a fact with provenance.

Every action reads the state of the items it changes (``graph.review_state``), computes the new
state, writes it and records a ``Review`` with both states (``graph.review_records``), so undo
and history work the same for all of them. ``expected`` is the item's version when the reviewer
loaded it: if someone saved since, the action raises ``ReviewConflict`` and changes nothing.

A relation a person rejects becomes a ``REJECTED`` edge (no longer part of the graph); one a
person draws (add, flip, re-target) is a live edge with ``origin: "human"``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from argmap.graph.review_records import record_review
from argmap.graph.review_state import (
    LIVE,
    State,
    bump_version,
    claim_key,
    dump,
    now,
    post_key,
    read_state,
    relation_key,
    write_state,
)
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow

OTHER = {"rebuts": "supports", "supports": "rebuts"}


def _reviewer(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ReviewError(
            "a review needs a reviewer name: pass --reviewer NAME or set ARGMAP_REVIEWER"
        )
    return name


def _thread_of(store: Store, claim_id: str | None = None, post_id: str | None = None) -> str:
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.id = $pid OR (p)-[:MAKES]->(:Claim {id: $cid}) "
        "RETURN p.thread_id AS tid LIMIT 1",
        {"pid": post_id, "cid": claim_id},
    )
    if not rows:
        what = f"claim {claim_id!r}" if claim_id else f"post {post_id!r}"
        raise ReviewError(f"no {what} in this store: `argmap review list` shows the open items")
    return rows[0]["tid"]


def _apply(
    store: Store,
    *,
    kind: str,
    action: str,
    keys: list[str],
    reviewer: str | None,
    expected: int | None,
    note: str | None,
    thread_id: str,
    change: Callable[[State, str, str], State],
) -> ReviewRow:
    """Lock the items, change their state, record the decision; the first key is the item."""
    who = _reviewer(reviewer)
    at = now()
    before = read_state(store, keys)
    after = change(before, who, at)  # validates before anything is written
    bump_version(store, keys[0], expected, who, at)
    for key in keys[1:]:
        bump_version(store, key, None, who, at)
    write_state(store, keys, after)
    review = ReviewRow(
        id=f"r_{uuid.uuid4().hex[:16]}",
        kind=kind,
        key=keys[0],
        items=keys,
        action=action,
        before=dump(before),
        after=dump(read_state(store, keys)),
        reviewer=who,
        at=at,
        thread_id=thread_id,
        note=note or None,
    )
    record_review(store, review)
    return review


# --- relations -------------------------------------------------------------------------------


def _live(state: State, source: str, target: str) -> dict[str, Any] | None:
    for e in state["edges"]:
        if e["source"] == source and e["target"] == target and e["label"] in LIVE:
            return e
    return None


def _need_live(state: State, source: str, target: str) -> dict[str, Any]:
    edge = _live(state, source, target)
    if edge is None:
        raise ReviewError(
            f"no rebuts/supports relation from {source} to {target}: "
            "`argmap review list` shows the open items"
        )
    return edge


def _reject(state: State, edge: dict[str, Any], who: str, at: str, reason: str | None) -> None:
    rel_type = edge["label"].lower()
    state["edges"] = [
        e
        for e in state["edges"]
        if e is not edge
        and not (
            e["label"] == "REJECTED"
            and (e["source"], e["target"]) == (edge["source"], edge["target"])
            and e["props"].get("type") == rel_type
        )
    ]
    props = {**edge["props"], "type": rel_type, "status": "rejected", "reviewed_by": who}
    props["reviewed_at"] = at
    if reason:
        props["reason"] = reason
    state["edges"].append({**edge, "label": "REJECTED", "props": props})


def _draw(
    state: State, source: str, target: str, rel_type: str, who: str, at: str, why: str
) -> None:
    """A live relation a person made (any rejection of the same type between them is lifted)."""
    state["edges"] = [
        e
        for e in state["edges"]
        if not (
            (e["source"], e["target"]) == (source, target)
            and (e["label"] in LIVE or e["props"].get("type") == rel_type)
        )
    ]
    props = {
        "confidence": 1.0,
        "rationale": why,
        "extractor": "human",
        "origin": "human",
        "status": "accepted",
        "reviewed_by": who,
        "reviewed_at": at,
    }
    state["edges"].append(
        {"source": source, "target": target, "label": rel_type.upper(), "props": props}
    )


def _copy(state: State) -> State:
    return {
        k: [dict(v, props=dict(v["props"])) if "props" in v else dict(v) for v in rows]
        for k, rows in state.items()
    }


def accept(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """The relation from ``source`` to ``target`` is right as the machine drew it."""

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        edge = _need_live(new, source, target)
        edge["props"].update(status="accepted", reviewed_by=who, reviewed_at=at)
        return new

    return _apply(
        store,
        kind="relation",
        action="accept",
        keys=[relation_key(source, target)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=_thread_of(store, claim_id=source),
        change=change,
    )


def reject(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """The relation is wrong: it leaves the graph (kept as a ``REJECTED`` edge) for good."""

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        _reject(new, _need_live(new, source, target), who, at, note)
        return new

    return _apply(
        store,
        kind="relation",
        action="reject",
        keys=[relation_key(source, target)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=_thread_of(store, claim_id=source),
        change=change,
    )


def flip(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """Rebuts becomes supports (or the other way): the machine's type is rejected."""

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        edge = _need_live(new, source, target)
        old = edge["label"].lower()
        _reject(new, edge, who, at, note)
        _draw(new, source, target, OTHER[old], who, at, note or f"flipped from {old} by {who}")
        return new

    return _apply(
        store,
        kind="relation",
        action="flip",
        keys=[relation_key(source, target)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=_thread_of(store, claim_id=source),
        change=change,
    )


def retarget(
    store: Store,
    source: str,
    target: str,
    new_target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """``source`` answers ``new_target``, not ``target``: the same type, to another claim."""
    if new_target in (source, target):
        raise ReviewError("re-target to another claim than the relation's own two")
    _thread_of(store, claim_id=new_target)

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        edge = _need_live(new, source, target)
        rel_type = edge["label"].lower()
        _reject(new, edge, who, at, note or f"re-targeted to {new_target}")
        there = _live(new, source, new_target)
        if there is not None and there["label"].lower() == rel_type:
            there["props"].update(status="accepted", reviewed_by=who, reviewed_at=at)
        else:
            _draw(
                new,
                source,
                new_target,
                rel_type,
                who,
                at,
                note or f"re-targeted from {target} by {who}",
            )
        return new

    return _apply(
        store,
        kind="relation",
        action="retarget",
        keys=[relation_key(source, target), relation_key(source, new_target)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=_thread_of(store, claim_id=source),
        change=change,
    )


def add_relation(
    store: Store,
    source: str,
    target: str,
    rel_type: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """A relation the machine missed, drawn by a person."""
    if rel_type not in OTHER:
        raise ReviewError(f"relation type {rel_type!r}: use rebuts or supports")
    if source == target:
        raise ReviewError("a claim cannot rebut or support itself")
    _thread_of(store, claim_id=target)

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        live = _live(new, source, target)
        if live is not None:
            raise ReviewError(
                f"{source} already {live['label'].lower()} {target}: accept, reject or flip it"
            )
        _draw(new, source, target, rel_type, who, at, note or f"drawn by {who}")
        return new

    return _apply(
        store,
        kind="relation",
        action="add",
        keys=[relation_key(source, target)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=_thread_of(store, claim_id=source),
        change=change,
    )


# --- posts -----------------------------------------------------------------------------------


def set_parent(
    store: Store,
    post_id: str,
    parent_id: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """``post_id`` replies to ``parent_id`` (a post of the same thread, not one of its replies)."""
    rows = store.run_read(
        "MATCH (p:Post {id: $pid}), (q:Post {id: $qid}) "
        "OPTIONAL MATCH (q)-[:REPLIES_TO*1..]->(x:Post {id: $pid}) "
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

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        new["posts"][0].update(
            parent_id=parent_id, parent_origin="human", reviewed_by=who, reviewed_at=at
        )
        return new

    return _apply(
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
    thread_id = _thread_of(store, post_id=post_id)
    pairs = (
        store.run_read(
            "MATCH (:Post {id: $pid})-[:MAKES]->(c:Claim)-[e:REBUTS|SUPPORTS]-(d:Claim) "
            "RETURN DISTINCT startNode(e).id AS source, endNode(e).id AS target",
            {"pid": post_id},
        )
        if spam
        else []
    )
    keys = [post_key(post_id)] + sorted({relation_key(r["source"], r["target"]) for r in pairs})

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        new["posts"][0].update(is_spam=spam, spam_origin="human", reviewed_by=who, reviewed_at=at)
        for edge in [e for e in new["edges"] if e["label"] in LIVE]:
            _reject(new, edge, who, at, "spam")
        return new

    return _apply(
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


# --- claims ----------------------------------------------------------------------------------


def ground(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: verbatim, else ignoring case and runs of white space.

    A small matcher of its own: ``graph`` does not import the extractors' grounding.
    """
    quote = quote.strip()
    if not quote:
        return None
    pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    match = re.search(pattern, text, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def edit_claim(
    store: Store,
    claim_id: str,
    reviewer: str | None,
    text: str | None = None,
    quote: str | None = None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """A new paraphrase and/or a quote re-chosen from the post's own words (re-grounded: the
    stored quote is always ``post.text[start:end]``)."""
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) RETURN p.text AS text, p.thread_id AS tid",
        {"id": claim_id},
    )
    if not rows:
        raise ReviewError(f"no claim {claim_id!r} in this store")
    post_text = rows[0]["text"] or ""
    span = None
    if quote is not None:
        span = ground(post_text, quote)
        if span is None:
            raise ReviewError("that quote is not in the post: copy the words from the post's text")
    paraphrase = " ".join(text.split()) if text is not None else None
    if paraphrase is None and span is None:
        raise ReviewError("give a new paraphrase (--text) or quote (--quote)")

    def change(state: State, who: str, at: str) -> State:
        new = _copy(state)
        claim = new["claims"][0]
        if paraphrase:
            claim["text"] = paraphrase
        if span is not None:
            claim.update(quote=post_text[span[0] : span[1]], start=span[0], end=span[1])
        claim.update(text_origin="human", reviewed_by=who, reviewed_at=at)
        return new

    return _apply(
        store,
        kind="claim",
        action="edit",
        keys=[claim_key(claim_id)],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=rows[0]["tid"],
        change=change,
    )
