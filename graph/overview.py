"""Aggregates for the dashboard's Overview and its pickers (not debate analysis: see queries;
the headline counts: see counts).

Activity over time, the most active debaters, which extractor and model built the
graph, how far a rebuilt reply tree holds, and the lists the dashboard's filters offer (threads,
people, claims, date span).
Every function takes an optional list of thread ids (``None``: the whole store), runs
parameterised openCypher that is the same on FalkorDB and Neo4j, and returns plain values.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from argmap.graph.persons import fold, per_author, person_names
from argmap.graph.scope import (
    POST_IN_SCOPE,
    POST_NOT_SPAM,
    answer_counts,
    claims_not_spam,
    spam_claims,
    thread_params,
    where,
)
from argmap.graph.store import Store
from argmap.graph.thread_languages import known
from pydantic import BaseModel

Granularity = Literal["hour", "day", "month", "year"]
# ISO 8601 timestamps ("2013-06-24T10:14:00...") group by a prefix of this many characters.
_PREFIX = {"year": 4, "month": 7, "day": 10, "hour": 13}

# ``p`` is a post; the thread filter and the spam filter every aggregate shares.
_IN_THREADS = POST_IN_SCOPE
_NOT_SPAM = POST_NOT_SPAM


class Debater(BaseModel):
    """One person's part in the debate."""

    name: str
    posts: int = 0
    claims: int = 0
    rebuts: int = 0
    rebutted: int = 0
    supports: int = 0

    @property
    def exchanges(self) -> int:
        """Rebuttals made plus rebuttals received: how much this person argued."""
        return self.rebuts + self.rebutted


class Extraction(BaseModel):
    """Which extractor (and model, prompt version) produced how many claims."""

    extractor: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    claims: int = 0


class ClaimChoice(BaseModel):
    """A claim as a picker lists it."""

    id: str
    text: str
    author: str | None = None
    position: int | None = None
    rebuttals: int = 0
    supports: int = 0


def _tids(thread_ids: list[str] | None) -> dict[str, Any]:
    return thread_params(thread_ids)


class TreeTrust(BaseModel):
    """How far to trust a reply tree argmap rebuilt (from a flattened page)."""

    rebuilt: int = 0  # non-spam comments whose parent was rebuilt
    reviewed: int = 0  # of those, parents a person has since set or confirmed
    expected_right: float | None = None  # the share of rebuilt parents expected to be right
    unsure: int = 0  # unreviewed rebuilt parents under ``UNSURE_BELOW``


UNSURE_BELOW = 0.7


def tree_trust(store: Store, thread_ids: list[str] | None = None) -> TreeTrust:
    """Rebuilt parents and the share expected right: the mean of their ``parent_confidence``
    (the probability each is right, ``ingest.parent_confidence``), a reviewed one counting as
    right."""
    rows = store.run_read(
        f"MATCH (p:Post) WHERE {_IN_THREADS} AND {_NOT_SPAM} AND p.kind = 'comment' "
        "AND p.parent_confidence IS NOT NULL "
        "WITH p, p.parent_origin IS NOT NULL AS reviewed "
        "RETURN count(p) AS n, sum(CASE WHEN reviewed THEN 1 ELSE 0 END) AS reviewed, "
        "sum(CASE WHEN reviewed THEN 1.0 ELSE p.parent_confidence END) AS right, "
        "sum(CASE WHEN NOT reviewed AND p.parent_confidence < $below THEN 1 ELSE 0 END) "
        "AS unsure",
        {**_tids(thread_ids), "below": UNSURE_BELOW},
    )
    n = int(rows[0]["n"] or 0) if rows else 0
    if not n:
        return TreeTrust()
    return TreeTrust(
        rebuilt=n,
        reviewed=int(rows[0]["reviewed"] or 0),
        expected_right=round(float(rows[0]["right"]) / n, 4),
        unsure=int(rows[0]["unsure"] or 0),
    )


def date_span(store: Store, thread_ids: list[str] | None = None) -> tuple[str | None, str | None]:
    """The first and last ``posted_at`` (ISO strings) of non-spam posts, or ``(None, None)``."""
    rows = store.run_read(
        f"MATCH (p:Post) WHERE {_IN_THREADS} AND {_NOT_SPAM} AND p.posted_at IS NOT NULL "
        "RETURN min(p.posted_at) AS first, max(p.posted_at) AS last",
        _tids(thread_ids),
    )
    return (rows[0]["first"], rows[0]["last"]) if rows else (None, None)


def auto_granularity(first: str | None, last: str | None) -> Granularity:
    """Hours for a thread that lasted a couple of days, days up to a season, months beyond."""
    if not first or not last:
        return "day"
    from argmap.core.times import parse_utc

    try:
        # Stores written before times were all UTC-aware mix naive and aware strings.
        span = parse_utc(last) - parse_utc(first)
    except ValueError:
        return "day"
    if span.days <= 2:
        return "hour"
    if span.days <= 120:
        return "day"
    return "month"


def activity(
    store: Store, thread_ids: list[str] | None = None, granularity: Granularity = "day"
) -> list[dict[str, Any]]:
    """Non-spam posts per period, oldest first: ``[{"period": "2013-06-24", "posts": 43}, ...]``.

    Periods are prefixes of the stored ISO timestamps, which are UTC (``core.times``; a store
    written before that convention holds the time as the source gave it); posts without a
    timestamp are left out.
    """
    if granularity not in _PREFIX:
        raise ValueError(f"granularity must be one of {', '.join(_PREFIX)}")
    rows = store.run_read(
        f"MATCH (p:Post) WHERE {_IN_THREADS} AND {_NOT_SPAM} AND p.posted_at IS NOT NULL "
        "WITH substring(p.posted_at, 0, $width) AS period "
        "RETURN period, count(*) AS posts ORDER BY period",
        {**_tids(thread_ids), "width": _PREFIX[granularity]},
    )
    return [{"period": r["period"], "posts": int(r["posts"])} for r in rows]


def active_debaters(
    store: Store, thread_ids: list[str] | None = None, limit: int = 10
) -> list[Debater]:
    """People ranked by rebuttals made plus received, then by posts; at most ``limit``."""
    spam = spam_claims(store)  # a relation of a spam post counts for nobody
    params = {**_tids(thread_ids), "spam": spam}
    # Each count names what it counts: FalkorDB's count(*) over a path with unnamed edges
    # undercounted (12 of one author's 14 rebuttals on the sample; Neo4j said 14).
    posts = per_author(store, "(p:Post)", params, "p")
    claims = per_author(store, "(p:Post)-[:MAKES]->(c:Claim)", params, "c")
    rebutted = per_author(
        store,
        "(p:Post)-[:MAKES]->(:Claim)<-[r:REBUTS]-(x:Claim)",
        params,
        "r",
        claims_not_spam(spam, "x"),
    )
    # Rebuttals and supports made, in one pass over the relations instead of two.
    out = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(:Claim)-[r:REBUTS|SUPPORTS]->(x:Claim) "
        + where(_IN_THREADS, _NOT_SPAM, claims_not_spam(spam, "x"))
        + "RETURN p.author AS name, type(r) AS type, count(r) AS n",
        params,
    )
    made = {
        kind: Counter({r["name"]: int(r["n"]) for r in out if r["type"] == kind and r["name"]})
        for kind in ("REBUTS", "SUPPORTS")
    }
    names = person_names(store, posts)
    posts, claims, rebutted = fold(posts, names), fold(claims, names), fold(rebutted, names)
    rebuts, supports = fold(made["REBUTS"], names), fold(made["SUPPORTS"], names)
    people = [
        Debater(
            name=name,
            posts=n,
            claims=claims[name],
            rebuts=rebuts[name],
            rebutted=rebutted[name],
            supports=supports[name],
        )
        for name, n in posts.items()
    ]
    people.sort(key=lambda d: (-d.exchanges, -d.posts, -d.claims, d.name.casefold()))
    return people[:limit]


def extraction_info(store: Store, thread_ids: list[str] | None = None) -> list[Extraction]:
    """The extractors and models that produced the claims, most claims first."""
    rows = store.run_read(
        f"MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE {_IN_THREADS} "
        "RETURN c.extractor AS extractor, c.model AS model, c.prompt_version AS prompt_version, "
        "count(c) AS claims ORDER BY claims DESC",
        _tids(thread_ids),
    )
    return [Extraction(**r) for r in rows]


def thread_list(store: Store) -> list[dict[str, Any]]:
    """Every thread: id, title, url, source format, published date and post count."""
    rows = store.run_read(
        "MATCH (t:Thread) OPTIONAL MATCH (t)-[:CONTAINS]->(p:Post) "
        "RETURN t.id AS id, t.title AS title, t.url AS url, t.source_format AS source_format, "
        "t.published_at AS published_at, count(p) AS posts ORDER BY published_at, id"
    )
    return rows


def people(store: Store, thread_ids: list[str] | None = None) -> list[str]:
    """Names of everyone who wrote a non-spam post, alphabetically: one per person."""
    rows = store.run_read(
        f"MATCH (p:Post) WHERE {_IN_THREADS} AND {_NOT_SPAM} AND p.author IS NOT NULL "
        "RETURN DISTINCT p.author AS name",
        _tids(thread_ids),
    )
    return sorted(set(person_names(store, (r["name"] for r in rows)).values()), key=str.casefold)


def claim_choices(
    store: Store,
    thread_ids: list[str] | None = None,
    limit: int = 1000,
    only_rebutted: bool = False,
) -> list[ClaimChoice]:
    """Claims for a picker: the most rebutted first, then in document order; at most ``limit``."""
    spam = spam_claims(store)
    rows = store.run_read(
        f"MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE {_IN_THREADS} AND {_NOT_SPAM} "
        + answer_counts(spam)
        + ("WHERE rebuttals > 0 " if only_rebutted else "")
        + "RETURN c.id AS id, c.text AS text, p.author AS author, p.position AS position, "
        "rebuttals, supports, c.start AS start "
        # Then by id: claims of two threads tie on everything else, and Neo4j and FalkorDB
        # would each break the tie by their own internal ids.
        "ORDER BY rebuttals DESC, supports DESC, position ASC, start ASC, id ASC LIMIT $limit",
        {**_tids(thread_ids), "limit": int(limit), "spam": spam},
    )
    return [ClaimChoice(**{**r, "text": r["text"] or ""}) for r in rows]


def source_of(store: Store, claim_id: str) -> dict[str, Any] | None:
    """A claim with the full text of its post (for click-through): None if it is not there."""
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim {id: $id}) "
        "OPTIONAL MATCH (t:Thread)-[:CONTAINS]->(p) "
        "RETURN c.id AS id, c.text AS text, c.quote AS quote, c.start AS start, c.end AS end, "
        "p.id AS post_id, p.author AS author, p.posted_at AS posted_at, p.position AS position, "
        "p.kind AS kind, p.text AS post_text, t.title AS thread_title, t.url AS thread_url",
        {"id": claim_id},
    )
    return rows[0] if rows else None


class ClaimDetail(BaseModel):
    """A claim with who made it, where and when (for chains and search results)."""

    id: str
    text: str = ""
    quote: str = ""
    start: int | None = None
    end: int | None = None
    post_id: str | None = None
    kind: str | None = None
    position: int | None = None
    author: str | None = None
    posted_at: str | None = None
    thread_id: str | None = None
    language: str | None = None  # its thread's (``None``: unknown), for ``lang=`` on a page


def claim_details(store: Store, claim_ids: list[str]) -> dict[str, ClaimDetail]:
    """The claims ``claim_ids`` (those that exist), by id."""
    if not claim_ids:
        return {}
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE c.id IN $ids "
        "OPTIONAL MATCH (t:Thread {id: p.thread_id}) "
        "RETURN c.id AS id, c.text AS text, c.quote AS quote, c.start AS start, c.end AS end, "
        "p.id AS post_id, p.kind AS kind, p.position AS position, p.author AS author, "
        "p.posted_at AS posted_at, p.thread_id AS thread_id, t.language AS language",
        {"ids": list(claim_ids)},
    )
    return {
        r["id"]: ClaimDetail(
            **{
                **r,
                "text": r["text"] or "",
                "quote": r["quote"] or "",
                "language": known(r["language"]),
            }
        )
        for r in rows
    }


def rebuttal_choices(
    store: Store, thread_ids: list[str] | None = None, limit: int = 1000
) -> list[ClaimChoice]:
    """Claims that take part in a rebuttal (made or received), the most rebutted first."""
    spam = spam_claims(store)
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim)-[:REBUTS]-(x:Claim) "
        + where(_IN_THREADS, _NOT_SPAM, claims_not_spam(spam, "x"))
        + "WITH DISTINCT p, c "
        "OPTIONAL MATCH (c)<-[r:REBUTS]-(y:Claim) "
        + where(claims_not_spam(spam, "y"))
        + "WITH p, c, count(r) AS n_rebuts "
        "RETURN c.id AS id, c.text AS text, p.author AS author, p.position AS position, "
        "n_rebuts AS rebuttals, c.start AS start "
        "ORDER BY rebuttals DESC, position ASC, start ASC, id ASC LIMIT $limit",  # id: as above
        {**_tids(thread_ids), "limit": int(limit), "spam": spam},
    )
    return [ClaimChoice(**{**r, "text": r["text"] or ""}) for r in rows]
