"""One meaning for "only these threads", shared by every query, page and export.

``None`` or an empty list means the whole store; a non-empty list means exactly those threads.
Queries take the filter as ``$tids`` in Cypher (null: no filter), before any LIMIT.

A relation counts when the posts of both its claims are in scope and not spam, as the Graph page
draws it. A reviewer's spam mark rejects the post's relations, but an imported file (or an older
store) may hold relations of a spam post: queries that walk every relation leave out those whose
end is one of ``spam_claims`` (``$spam``), a short list read once, instead of visiting both
ends' posts for every relation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argmap.graph.store import Store

from argmap.core.errors import ArgmapError


def in_scope(post: str = "p") -> str:
    """The condition "the post bound to ``post`` is in scope"; the query passes
    ``thread_params(...)``."""
    return f"($tids IS NULL OR {post}.thread_id IN $tids)"


def not_spam(post: str = "p") -> str:
    """The condition "the post bound to ``post`` is part of the debate": not marked spam (by
    the heuristics or a reviewer)."""
    return f"({post}.is_spam IS NULL OR {post}.is_spam = false)"


# The two conditions on a post bound to ``p``, as most queries name it.
POST_IN_SCOPE = in_scope("p")
POST_NOT_SPAM = not_spam("p")


def thread_scope(thread_ids: Iterable[str] | None) -> list[str] | None:
    """The threads to keep, or ``None`` for all of them (an empty choice means all)."""
    if isinstance(thread_ids, str):
        # One id where a list belongs would be read as its letters, matching nothing.
        raise ArgmapError(
            f"thread_ids is a list of thread ids: thread_ids=[{thread_ids!r}], not one string"
        )
    chosen = list(thread_ids) if thread_ids is not None else []
    return chosen or None


def thread_params(thread_ids: Iterable[str] | None) -> dict[str, Any]:
    """``{"tids": ...}`` for a query that uses ``POST_IN_SCOPE``."""
    return {"tids": thread_scope(thread_ids)}


def spam_claims(store: Store) -> list[str]:
    """The claims of posts marked spam that are an end of some relation (usually none)."""
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.is_spam = true "
        "MATCH (p)-[:MAKES]->(c:Claim)-[:REBUTS|SUPPORTS]-(:Claim) "
        "RETURN collect(DISTINCT c.id) AS ids"
    )
    return sorted(rows[0]["ids"]) if rows else []


def claims_not_spam(spam: list[str], *claims: str) -> str:
    """The condition "none of the claims bound to ``claims`` is in ``$spam``" (``spam``:
    ``spam_claims``), or "" when there are none: the common case costs the query nothing."""
    return " AND ".join(f"NOT {c}.id IN $spam" for c in claims) if spam else ""


def where(*conditions: str) -> str:
    """``WHERE`` and the non-empty ``conditions`` joined by ``AND``, or "" if none is left."""
    kept = [c for c in conditions if c]
    return f"WHERE {' AND '.join(kept)} " if kept else ""


def answer_counts(spam: list[str], keep: str = "p, c") -> str:
    """Cypher that counts the rebuttals and supports claim ``c`` draws from claims not in
    ``$spam``, as ``rebuttals`` and ``supports``, carrying the variables ``keep`` along."""
    return (
        "OPTIONAL MATCH (x:Claim)-[r:REBUTS]->(c) "
        + where(claims_not_spam(spam, "x"))
        + f"WITH {keep}, count(r) AS rebuttals "
        "OPTIONAL MATCH (y:Claim)-[s:SUPPORTS]->(c) "
        + where(claims_not_spam(spam, "y"))
        + f"WITH {keep}, rebuttals, count(s) AS supports "
    )
