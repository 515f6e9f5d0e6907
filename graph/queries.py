"""Named queries for debate analysis: contested claims, unanswered objections, who argues with
whom, full-text search, the article's theses, rebuttal chains and argumentation semantics.

Each is a plain function taking a ``Store`` and returning pydantic rows (``row.model_dump()`` is
the ``--json`` object). The openCypher is the same on both stores except where ``graph.schema``
names the dialect difference (full-text search), every value is a parameter,
and every order is total (ties broken by id), so both stores give the same rows in the same order.
Rows carry the claim's own text; ``thread_ids`` (``None``: the whole store) narrows to threads.
A relation counts as on the Graph page: both its claims' posts in scope and not spam
(``graph.scope``).
"""

from __future__ import annotations

from typing import Any

from argmap.graph import semantics
from argmap.graph.catalog import check_thread_ids, known_thread_params
from argmap.graph.chains import Chain, find_chains
from argmap.graph.schema import id_seek
from argmap.graph.scope import (
    POST_IN_SCOPE,
    POST_NOT_SPAM,
    answer_counts,
    claims_not_spam,
    in_scope,
    spam_claims,
    thread_scope,
    where,
)

# Search has a module of its own; its names stay importable from here, as they always were.
from argmap.graph.search import SearchRow as SearchRow
from argmap.graph.search import search as search
from argmap.graph.store import Store
from pydantic import BaseModel


class ContestedRow(BaseModel):
    claim_id: str
    rebuttals: int
    supports: int
    text: str
    author: str | None
    post_id: str | None


class UnansweredRow(BaseModel):
    """A claim that rebuts others (``targets``) and that no claim rebuts."""

    claim_id: str
    text: str
    author: str | None
    post_id: str | None
    targets: list[str]
    supports: int


class GroundedRow(BaseModel):
    claim_id: str
    label: semantics.Label


class InteractionRow(BaseModel):
    """How many of ``source``'s claims rebut / support claims of ``target`` (people's names)."""

    source: str
    target: str
    rebuts: int
    supports: int


class ThesisRow(BaseModel):
    """One claim of an article, with the direct rebuttals and supports it drew."""

    claim_id: str
    text: str
    author: str | None
    thread_id: str | None
    start: int | None
    rebuttals: int
    supports: int


class ExtensionRow(BaseModel):
    extension: int
    size: int
    claims: list[str]


def _int(value: Any) -> int:
    # FalkorDB returns sum() as a float.
    return int(value or 0)


def contested(
    store: Store, limit: int | None = 20, thread_ids: list[str] | None = None
) -> list[ContestedRow]:
    """Claims by number of direct rebuttals (then supports, then id), rebutted ones only."""
    tids = thread_scope(thread_ids)
    spam = spam_claims(store)
    # Counted by expanding the rebuttals, the early LIMIT before the posts are fetched. Not a
    # degree lookup: on FalkorDB that took 35 s instead of 0.1 s at 100k comments once the
    # server had reloaded the graph from disk; expanding takes 0.5 s either way.
    rows = store.run_read(
        "MATCH (x:Claim)-[r:REBUTS]->(c:Claim) "
        + where(claims_not_spam(spam, "x", "c"))
        + "WITH c, count(r) AS rebuttals "
        + ("" if tids is None else f"MATCH (p:Post)-[:MAKES]->(c) WHERE {POST_IN_SCOPE} ")
        + "OPTIONAL MATCH (y:Claim)-[s:SUPPORTS]->(c) "
        + where(claims_not_spam(spam, "y"))
        + "WITH c, rebuttals, count(s) AS supports "
        "ORDER BY rebuttals DESC, supports DESC, c.id "
        + ("LIMIT $limit " if limit is not None else "")
        + "OPTIONAL MATCH (post:Post)-[:MAKES]->(c) "
        "RETURN c.id AS claim_id, rebuttals, supports, c.text AS text, post.author AS author, "
        "post.id AS post_id",
        {**known_thread_params(store, thread_ids), "limit": limit, "spam": spam},
    )
    out = [
        ContestedRow(**{**r, "rebuttals": _int(r["rebuttals"]), "supports": _int(r["supports"])})
        for r in rows
    ]
    out.sort(key=lambda r: (-r.rebuttals, -r.supports, r.claim_id))
    return out


def _unanswered(spam: list[str]) -> str:
    """Objections nobody answered: claims that rebut something and that nothing rebuts (expanded,
    not degree lookups: see ``contested``), relations of spam posts left out (``$spam``).
    Binds ``c`` and its ``targets``."""
    return (
        "MATCH (c:Claim)-[:REBUTS]->(t:Claim) "
        + where(claims_not_spam(spam, "c", "t"))
        + "WITH c, collect(t.id) AS targets "
        "OPTIONAL MATCH (y:Claim)-[x:REBUTS]->(c) "
        + where(claims_not_spam(spam, "y"))
        + "WITH c, targets, count(x) AS rebutted WHERE rebutted = 0 "
    )


def unanswered(
    store: Store, limit: int | None = None, thread_ids: list[str] | None = None
) -> list[UnansweredRow]:
    """Objections still standing: claims that rebut another claim and that nothing rebuts.

    Threads oldest first, as ``argmap threads`` lists them (``catalog.thread_summaries``:
    by the day published, threads without one last, then by id); in a thread by post
    position, then place in the post.
    """
    spam = spam_claims(store)
    rows = store.run_read(
        _unanswered(spam)
        + "MATCH (p:Post)-[:MAKES]->(c) "
        + (f"WHERE {POST_IN_SCOPE} " if thread_scope(thread_ids) is not None else "")
        + "OPTIONAL MATCH (y:Claim)-[s:SUPPORTS]->(c) "
        + where(claims_not_spam(spam, "y"))
        + "WITH p, c, targets, count(s) AS supports "
        f"OPTIONAL MATCH (th:Thread {{id: p.thread_id}}){id_seek(store, 'th', 'Thread')} "
        "WITH p, c, targets, supports, th.published_at AS published_at "
        # Nulls sort last on both stores, as in thread_summaries.
        "ORDER BY published_at, p.thread_id, p.position, c.start, c.id "
        + ("LIMIT $limit " if limit is not None else "")
        + "RETURN c.id AS claim_id, c.text AS text, p.author AS author, p.id AS post_id, "
        "targets, supports, p.thread_id AS thread_id, p.position AS position, c.start AS start, "
        "published_at",
        {**known_thread_params(store, thread_ids), "limit": limit, "spam": spam},
    )
    rows.sort(
        key=lambda r: (
            r["published_at"] is None,
            r["published_at"] or "",
            r["thread_id"] or "",
            r["position"] or 0,
            r["start"] or 0,
            r["claim_id"],
        )
    )
    return [
        UnansweredRow(
            claim_id=r["claim_id"],
            text=r["text"],
            author=r["author"],
            post_id=r["post_id"],
            targets=sorted(r["targets"]),
            supports=_int(r["supports"]),
        )
        for r in rows
    ]


def unanswered_count(store: Store, thread_ids: list[str] | None = None) -> int:
    """How many objections ``unanswered`` would list (without fetching them)."""
    scoped = thread_scope(thread_ids) is not None
    spam = spam_claims(store)
    rows = store.run_read(
        _unanswered(spam)
        + (f"MATCH (p:Post)-[:MAKES]->(c) WHERE {POST_IN_SCOPE} " if scoped else "")
        + "RETURN count(c) AS n",
        {**known_thread_params(store, thread_ids), "spam": spam},
    )
    return _int(rows[0]["n"]) if rows else 0


def grounded(
    store: Store, label: semantics.Label | None = None, thread_ids: list[str] | None = None
) -> list[GroundedRow]:
    """Dung's grounded labelling of every claim (IN, OUT, UNDEC; in that order, then by id).

    With ``thread_ids``, computed on those threads' claims alone: relations never cross
    threads, so each thread's labels are what the whole store's would be.
    """
    fw = semantics.framework(store, check_thread_ids(store, thread_ids))
    labels = semantics.grounded_labelling(fw.arguments, fw.attacks)
    rows = [
        GroundedRow.model_construct(claim_id=cid, label=lab)  # trusted: ids from the store
        for cid, lab in labels.items()
        if label is None or lab == label
    ]
    rows.sort(key=lambda r: (semantics.LABEL_ORDER[r.label], r.claim_id))
    return rows


def preferred(
    store: Store,
    max_claims: int = semantics.MAX_PREFERRED_ARGUMENTS,
    max_extensions: int = semantics.MAX_PREFERRED_EXTENSIONS,
    thread_ids: list[str] | None = None,
) -> semantics.PreferredResult:
    """Preferred extensions of the rebuttal graph (pygarg), refused above ``max_claims``
    undecided claims; ``truncated`` if there were more than ``max_extensions``. With
    ``thread_ids``, of those threads' claims: over the whole store, every thread's choices
    multiply (two threads of two extensions each gave four)."""
    fw = semantics.framework(store, check_thread_ids(store, thread_ids))
    return semantics.preferred_extensions(fw.arguments, fw.attacks, max_claims, max_extensions)


def extension_rows(result: semantics.PreferredResult) -> list[ExtensionRow]:
    """Preferred extensions as rows, numbered from 1."""
    return [
        ExtensionRow(extension=i, size=len(ext), claims=ext)
        for i, ext in enumerate(result.extensions, start=1)
    ]


def interactions(
    store: Store,
    include_self: bool = False,
    thread_ids: list[str] | None = None,
    limit: int | None = None,
) -> list[InteractionRow]:
    """Who rebuts and supports whom: one row per (source, target) pair of people, the most
    rebuttals first (then supports, then names); at most ``limit`` rows."""
    spam = spam_claims(store)
    # The spam list, not the posts' flags: reading two flags per relation cost a quarter more.
    conditions = [claims_not_spam(spam, "a", "b")]
    if not include_self:
        conditions.append("u.id <> v.id")
    if thread_scope(thread_ids) is not None:
        conditions += [POST_IN_SCOPE, in_scope("q")]
    # Three MATCH clauses, not one pattern: Neo4j never uses a relationship twice within one
    # pattern, so a claim answering itself (or a post answering itself) would drop out there.
    rows = store.run_read(
        "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) "
        "MATCH (u:Person)-[:WROTE]->(p:Post)-[:MAKES]->(a) "
        "MATCH (v:Person)-[:WROTE]->(q:Post)-[:MAKES]->(b) "
        + where(*conditions)
        + "RETURN u.name AS source, v.name AS target, "
        "sum(CASE WHEN type(r) = 'REBUTS' THEN 1 ELSE 0 END) AS rebuts, "
        "sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END) AS supports "
        "ORDER BY rebuts DESC, supports DESC, source, target"
        + (" LIMIT $limit" if limit is not None else ""),
        {**known_thread_params(store, thread_ids), "limit": limit, "spam": spam},
    )
    out = [
        InteractionRow(
            source=r["source"],
            target=r["target"],
            rebuts=_int(r["rebuts"]),
            supports=_int(r["supports"]),
        )
        for r in rows
    ]
    out.sort(key=lambda r: (-r.rebuts, -r.supports, r.source, r.target))
    return out


def theses(store: Store, thread_ids: list[str] | None = None) -> list[ThesisRow]:
    """The articles' claims, most rebutted first (then most supported, then article order)."""
    spam = spam_claims(store)
    rows = store.run_read(
        f"MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE p.kind = $kind AND {POST_IN_SCOPE} "
        f"AND {POST_NOT_SPAM} "
        + answer_counts(spam)
        + "RETURN c.id AS claim_id, c.text AS text, p.author AS author, p.thread_id AS thread_id, "
        "c.start AS start, rebuttals, supports",
        {**known_thread_params(store, thread_ids), "kind": "article", "spam": spam},
    )
    out = [
        ThesisRow(**{**r, "rebuttals": _int(r["rebuttals"]), "supports": _int(r["supports"])})
        for r in rows
    ]
    out.sort(key=lambda r: (-r.rebuttals, -r.supports, r.thread_id or "", r.start or 0, r.claim_id))
    return out


def chains(
    store: Store,
    from_claim: str | None = None,
    to_claim: str | None = None,
    min_length: int = 1,
    limit: int | None = 20,
    thread_ids: list[str] | None = None,
) -> list[Chain]:
    """Rebuttal chains, longest first (see ``graph.chains``; ``find_chains`` also says whether
    the search stopped at its budget); with ``thread_ids``, those whose every claim is in them."""
    return find_chains(store, from_claim, to_claim, min_length, limit, thread_ids=thread_ids).chains


class ClaimInfo(BaseModel):
    claim_id: str
    text: str
    author: str | None
    post_id: str | None


def claim_info(store: Store, claim_ids: list[str]) -> dict[str, ClaimInfo]:
    """Text and author of the given claims (for showing chains and labels to people)."""
    if not claim_ids:
        return {}
    rows = store.run_read(
        "UNWIND $ids AS id MATCH (c:Claim {id: id}) OPTIONAL MATCH (p:Post)-[:MAKES]->(c) "
        "RETURN c.id AS claim_id, c.text AS text, p.author AS author, p.id AS post_id",
        {"ids": sorted(set(claim_ids))},
    )
    return {r["claim_id"]: ClaimInfo(**r) for r in rows}
