"""Review actions on relations: accept, reject, flip, re-target, add.

A relation a person rejects becomes a ``REJECTED`` edge (no longer part of the graph); one a
person draws (add, flip, re-target) is a live edge with ``origin: "human"``.

The same actions decide a hidden candidate (a ``CANDIDATE`` edge: the extractor's guess where
the text shows no stance): accepting it draws its guessed type as a live relation, flipping
draws the other type, rejecting keeps it as a ``REJECTED`` edge so no re-ingest guesses it again.
"""

from __future__ import annotations

from typing import Any

from argmap.graph.review_apply import Change, apply_review, thread_of
from argmap.graph.review_state import CANDIDATE, LIVE, State, relation_key
from argmap.graph.store import Store

from argmap.core.errors import ReviewError
from argmap.core.json_v1 import ReviewRow

OTHER = {"rebuts": "supports", "supports": "rebuts"}


def live_edge(state: State, source: str, target: str) -> dict[str, Any] | None:
    """The live (rebuts/supports) edge from ``source`` to ``target`` in ``state``, if any."""
    for e in state["edges"]:
        if e["source"] == source and e["target"] == target and e["label"] in LIVE:
            return e
    return None


def _candidate(state: State, source: str, target: str) -> dict[str, Any] | None:
    for e in state["edges"]:
        if e["source"] == source and e["target"] == target and e["label"] == CANDIDATE:
            return e
    return None


def edge_type(edge: dict[str, Any]) -> str:
    """``rebuts`` or ``supports``: a live edge's label, a candidate's or rejection's ``type``."""
    return edge["label"].lower() if edge["label"] in LIVE else str(edge["props"].get("type"))


def _need_live(state: State, source: str, target: str) -> dict[str, Any]:
    """The relation to decide: the live edge, else a hidden candidate between the two."""
    edge = live_edge(state, source, target) or _candidate(state, source, target)
    if edge is None:
        raise ReviewError(
            f"no rebuts/supports relation from {source} to {target}: "
            "`argmap review list` shows the open items"
        )
    return edge


def _mark_accepted(state: State, edge: dict[str, Any], who: str, at: str) -> None:
    if edge["label"] == CANDIDATE:  # a confirmed guess becomes a relation a person vouches for
        why = f"a hidden guess confirmed by {who} (the machine: {edge['props'].get('rationale')})"
        _draw(state, edge["source"], edge["target"], edge_type(edge), who, at, why)
        return
    edge["props"].update(status="accepted", reviewed_by=who, reviewed_at=at)


def reject_edge(state: State, edge: dict[str, Any], who: str, at: str, reason: str | None) -> None:
    """Turn ``edge`` (live or a candidate) into a ``REJECTED`` one (replacing an older
    rejection of its type)."""
    rel_type = edge_type(edge)
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
    """A live relation a person made (any rejection of the same type, and any hidden guess,
    between them is lifted)."""
    state["edges"] = [
        e
        for e in state["edges"]
        if not (
            (e["source"], e["target"]) == (source, target)
            and (
                e["label"] in LIVE or e["label"] == CANDIDATE or e["props"].get("type") == rel_type
            )
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


def _on_relation(
    store: Store,
    action: str,
    pairs: list[tuple[str, str]],
    reviewer: str | None,
    expected: int | None,
    note: str | None,
    change: Change,
) -> ReviewRow:
    """Apply ``change`` as one review of the relations ``pairs`` (source, target) name; the
    thread is the first source's."""
    source = pairs[0][0]
    return apply_review(
        store,
        kind="relation",
        action=action,
        keys=[relation_key(s, t) for s, t in pairs],
        reviewer=reviewer,
        expected=expected,
        note=note,
        thread_id=thread_of(store, claim_id=source),
        change=change,
    )


def accept(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """The relation from ``source`` to ``target`` is right as the machine drew it."""

    def change(state: State, who: str, at: str) -> None:
        _mark_accepted(state, _need_live(state, source, target), who, at)

    return _on_relation(store, "accept", [(source, target)], reviewer, expected, note, change)


def reject(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """The relation is wrong: it leaves the graph (kept as a ``REJECTED`` edge) for good."""

    def change(state: State, who: str, at: str) -> None:
        reject_edge(state, _need_live(state, source, target), who, at, note)

    return _on_relation(store, "reject", [(source, target)], reviewer, expected, note, change)


def flip(
    store: Store,
    source: str,
    target: str,
    reviewer: str | None,
    expected: int | None = None,
    note: str | None = None,
) -> ReviewRow:
    """Rebuts becomes supports (or the other way): the machine's type is rejected."""

    def change(state: State, who: str, at: str) -> None:
        edge = _need_live(state, source, target)
        old = edge_type(edge)
        reject_edge(state, edge, who, at, note)
        _draw(state, source, target, OTHER[old], who, at, note or f"flipped from {old} by {who}")

    return _on_relation(store, "flip", [(source, target)], reviewer, expected, note, change)


def _same_thread(store: Store, source: str, target: str) -> None:
    """A claim answers claims of its own thread: the per-thread queries and the thread filter
    (``graph.scope``) rely on no relation crossing threads, as extraction never draws one."""
    here, there = thread_of(store, claim_id=source), thread_of(store, claim_id=target)
    if here != there:
        raise ReviewError(
            f"{target} is in thread {there} and {source} in {here}: a claim can only answer "
            "a claim of its own thread"
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
    _same_thread(store, source, new_target)

    def change(state: State, who: str, at: str) -> None:
        edge = _need_live(state, source, target)
        rel_type = edge_type(edge)
        reject_edge(state, edge, who, at, note or f"re-targeted to {new_target}")
        there = live_edge(state, source, new_target)
        if there is not None and there["label"].lower() == rel_type:
            _mark_accepted(state, there, who, at)
        else:
            why = note or f"re-targeted from {target} by {who}"
            _draw(state, source, new_target, rel_type, who, at, why)

    pairs = [(source, target), (source, new_target)]
    return _on_relation(store, "retarget", pairs, reviewer, expected, note, change)


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
    _same_thread(store, source, target)

    def change(state: State, who: str, at: str) -> None:
        live = live_edge(state, source, target)
        if live is not None:
            raise ReviewError(
                f"{source} already {live['label'].lower()} {target}: accept, reject or flip it"
            )
        _draw(state, source, target, rel_type, who, at, note or f"drawn by {who}")

    return _on_relation(store, "add", [(source, target)], reviewer, expected, note, change)
