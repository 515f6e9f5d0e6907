"""The headline counts of a store or of some threads: one definition of what counts.

Threads, posts and comments (spam apart), participants, claims and relations, as the Overview,
the ingest summary and ``argmap threads`` show them. Every function takes an optional list of
thread ids (``None``: the whole store) and runs parameterised openCypher that is the same on
FalkorDB and Neo4j.
"""

from __future__ import annotations

from typing import Any

from argmap.graph.scope import POST_IN_SCOPE, POST_NOT_SPAM, in_scope, not_spam, thread_params
from argmap.graph.store import Store
from pydantic import BaseModel


class Counts(BaseModel):
    """The headline numbers of a store or of some threads."""

    threads: int = 0
    posts: int = 0
    comments: int = 0
    participants: int = 0
    claims: int = 0
    rebuttals: int = 0
    supports: int = 0
    spam: int = 0


def _one(store: Store, query: str, params: dict[str, Any]) -> int:
    rows = store.run_read(query, params)
    return int(rows[0]["n"] or 0) if rows else 0


def _claims(store: Store, params: dict[str, Any]) -> int:
    """Claims, leaving out those of posts a reviewer marked spam (as the Graph page does)."""
    if params["tids"] is None:  # from the store's statistics, less the few spam claims
        return _one(store, "MATCH (c:Claim) RETURN count(c) AS n", params) - _one(
            store,
            f"MATCH (p:Post) WHERE {POST_IN_SCOPE} AND p.is_spam = true "
            "MATCH (p)-[:MAKES]->(c:Claim) RETURN count(c) AS n",
            params,
        )
    return _one(
        store,
        f"MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE {POST_IN_SCOPE} AND {POST_NOT_SPAM} "
        "RETURN count(c) AS n",
        params,
    )


def _relations(store: Store, params: dict[str, Any]) -> dict[str, int]:
    """Relations by type (``rebuts``, ``supports``) as the Graph page draws them: both claims'
    posts in scope and not spam (a relation of a spam post, as an imported file may hold, is out
    of the debate with its claims)."""
    if params["tids"] is None:
        # The stores answer a count of one type from their statistics (the path through the
        # posts took a second at 100k); the relations of the few spam posts are taken off.
        return {
            rel.lower(): _one(store, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n", params)
            - _one(
                store,
                "MATCH (p:Post) WHERE p.is_spam = true "
                f"MATCH (p)-[:MAKES]->(:Claim)-[r:{rel}]-(:Claim) RETURN count(DISTINCT r) AS n",
                params,
            )
            for rel in ("REBUTS", "SUPPORTS")
        }
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(q:Post) "
        f"WHERE {POST_IN_SCOPE} AND {POST_NOT_SPAM} AND {in_scope('q')} AND {not_spam('q')} "
        "RETURN type(r) AS type, count(r) AS n",
        params,
    )
    found = {r["type"].lower(): int(r["n"]) for r in rows}
    return {rel: found.get(rel, 0) for rel in ("rebuts", "supports")}


def claims_and_relations(store: Store, thread_ids: list[str] | None = None) -> tuple[int, int]:
    """(claims, relations) as the Overview counts them: a post marked spam (by the heuristics
    or a reviewer) adds no claim and no relation; the ingest summary reports these."""
    params = thread_params(thread_ids)
    return _claims(store, params), sum(_relations(store, params).values())


def counts(store: Store, thread_ids: list[str] | None = None) -> Counts:
    """Threads, posts and comments (spam not counted in either), participants, claims,
    rebuttals, supports, and the spam left out. The Overview shows comments, as a picture's
    credit line and the ingest summary count them."""
    params = thread_params(thread_ids)
    posts = store.run_read(
        f"MATCH (p:Post) WHERE {POST_IN_SCOPE} "
        "RETURN p.kind AS kind, coalesce(p.is_spam, false) AS spam, count(p) AS n",
        params,
    )
    by_type = _relations(store, params)
    return Counts(
        threads=_one(
            store,
            "MATCH (t:Thread) WHERE $tids IS NULL OR t.id IN $tids RETURN count(t) AS n",
            params,
        ),
        posts=sum(int(r["n"]) for r in posts if not r["spam"]),
        comments=sum(int(r["n"]) for r in posts if not r["spam"] and r["kind"] == "comment"),
        spam=sum(int(r["n"]) for r in posts if r["spam"]),
        participants=_one(
            store,
            f"MATCH (u:Person)-[:WROTE]->(p:Post) WHERE {POST_IN_SCOPE} AND {POST_NOT_SPAM} "
            "RETURN count(DISTINCT u) AS n",
            params,
        ),
        claims=_claims(store, params),
        rebuttals=by_type.get("rebuts", 0),
        supports=by_type.get("supports", 0),
    )
