"""Which claim a selection centres on: the most rebutted claim (of a thread, above a confidence
floor), or a claim named by id, checked to exist. ``graph.subgraph`` re-exports these."""

from __future__ import annotations

from argmap.graph.scope import claims_not_spam, spam_claims, thread_scope, where
from argmap.graph.store import Store
from argmap.graph.subgraph_models import MOST_REBUTTED, Selection, SelectionError


def most_rebutted_claims(
    store: Store, limit: int, thread_ids: list[str] | None = None, min_confidence: float = 0.0
) -> list[str]:
    """The ``limit`` claims with the most rebuttals of at least ``min_confidence`` (ties:
    earliest post, then earliest in the post)."""
    # Rebuttals counted first, then their posts: one pass over the rebuttals (a pattern
    # through the posts took 2x as long at 100k; a degree lookup can take 100x after the
    # embedded server reloads a big graph).
    spam = spam_claims(store)  # a rebuttal of a spam post is not drawn, nor counted here
    rows = store.run_read(
        "MATCH (x:Claim)-[r:REBUTS]->(c:Claim) "
        + where("coalesce(r.confidence, 1.0) >= $min_conf", claims_not_spam(spam, "x", "c"))
        + "WITH c, count(r) AS n "
        "MATCH (p:Post)-[:MAKES]->(c) WHERE $tids IS NULL OR p.thread_id IN $tids "
        "RETURN c.id AS id, n, p.position AS pos, c.start AS start "
        "ORDER BY n DESC, pos ASC, start ASC, id ASC LIMIT $limit",
        {
            "tids": thread_scope(thread_ids),
            "min_conf": min_confidence,
            "limit": limit,
            "spam": spam,
        },
    )
    return [r["id"] for r in rows]


def most_rebutted_claim(
    store: Store, thread_ids: list[str] | None = None, min_confidence: float = 0.0
) -> str | None:
    """The claim with the most rebuttals (see ``most_rebutted_claims``)."""
    found = most_rebutted_claims(store, 1, thread_ids, min_confidence)
    return found[0] if found else None


def resolve_focus(store: Store, sel: Selection) -> str | None:
    """The focus claim id (``most-rebutted`` looked up); ``SelectionError`` if there is none."""
    if sel.claim is None:
        return None
    if sel.claim == MOST_REBUTTED:
        found = most_rebutted_claim(store, sel.thread_ids, sel.min_confidence or 0.0)
        if found is None:
            floor = sel.min_confidence or 0.0
            if floor and most_rebutted_claim(store, sel.thread_ids) is not None:
                raise SelectionError(
                    f"no claim has a rebuttal of confidence ≥ {floor:g}: "
                    "lower --min-confidence, or give --claim ID"
                )
            raise SelectionError(
                "no claim has a rebuttal yet: ingest a thread first, or give --claim ID"
            )
        return found
    rows = store.run_read("MATCH (c:Claim {id: $id}) RETURN c.id AS id", {"id": sel.claim})
    if not rows:
        raise SelectionError(
            f"no claim with id {sel.claim!r} in this graph: find one with argmap query search "
            "WORDS (or query contested), or give --claim most-rebutted"
        )
    return sel.claim
