"""Review decisions as facts in the graph: ``(:Review)-[:TOUCHES]->(Claim|Post)``.

A ``Review`` node holds who decided what, when, and the state it replaced (``before``/``after``
as JSON strings, ``graph.review_state``); it links to every claim and post it touched, which
also keeps a machine re-extraction from deleting them (``graph.writes``). The same rows are
argmap JSON's ``reviews`` (``argmap.core.json_v1.ReviewRow``) and are restored from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argmap.graph.review_state import split_keys
from argmap.graph.revision import revision_statement
from argmap.graph.schema import id_seek
from argmap.graph.store import Statement, Store

from argmap.core.json_v1 import ReviewRow
from argmap.core.models import Relation

FIELDS = tuple(ReviewRow.model_fields)


def record_statements(store: Store, review: ReviewRow) -> list[Statement]:
    """The statements that store ``review`` (idempotent on its id) and link it to the claims and
    posts it touched."""
    pairs, posts, claims = split_keys(review.items)
    claim_ids = sorted({c for pair in pairs for c in pair} | set(claims))
    return [
        (
            "MERGE (r:Review {id: $row.id}) SET r += $row "
            f"WITH r UNWIND $claims AS cid MATCH (c:Claim {{id: cid}}){id_seek(store, 'c', 'Claim')} "
            "MERGE (r)-[:TOUCHES]->(c)",
            {"row": review.model_dump(), "claims": claim_ids},
        ),
        (
            f"MATCH (r:Review {{id: $id}}){id_seek(store, 'r', 'Review')} "
            f"WITH r UNWIND $posts AS pid MATCH (p:Post {{id: pid}}){id_seek(store, 'p', 'Post')} "
            "MERGE (r)-[:TOUCHES]->(p)",
            {"id": review.id, "posts": posts},
        ),
    ]


def _row(props: dict[str, Any]) -> ReviewRow:
    return ReviewRow(**{k: props.get(k) for k in FIELDS if props.get(k) is not None})


def list_reviews(
    store: Store, thread_ids: list[str] | None = None, key: str | None = None
) -> list[ReviewRow]:
    """Review decisions, oldest first; of some threads, or of one item ``key``."""
    rows = store.run_read(
        "MATCH (r:Review) WHERE ($tids IS NULL OR r.thread_id IN $tids) "
        "AND ($key IS NULL OR $key IN r.items) RETURN r AS review ORDER BY r.at, r.id",
        {"tids": thread_ids, "key": key},
    )
    return [_row(r["review"]) for r in rows]


def get_review(store: Store, review_id: str) -> ReviewRow | None:
    rows = store.run_read("MATCH (r:Review {id: $id}) RETURN r AS review", {"id": review_id})
    return _row(rows[0]["review"]) if rows else None


def undone_statement(review_id: str, reviewer: str, at: str) -> Statement:
    """The statement that marks the review ``review_id`` undone by ``reviewer`` at ``at``."""
    return (
        "MATCH (r:Review {id: $id}) SET r.undone = true, r.undone_by = $by, r.undone_at = $at",
        {"id": review_id, "by": reviewer, "at": at},
    )


def _rejection(relation: Relation) -> list[Statement]:
    """The statements that restore ``relation`` rejected: its ``REJECTED`` edge, and no live
    edge of its type beside it (the file wins)."""
    props = {**relation.model_dump(exclude={"type", "source", "target"}), "type": relation.type}
    end = {"source": relation.source, "target": relation.target}
    return [
        (
            "MATCH (a:Claim {id: $source}), (b:Claim {id: $target}) "
            "OPTIONAL MATCH (a)-[x:REJECTED]->(b) WHERE x.type = $props.type DELETE x "
            "WITH DISTINCT a, b CREATE (a)-[e:REJECTED]->(b) SET e += $props",
            {**end, "props": {k: v for k, v in props.items() if v is not None}},
        ),
        # The label comes from the validated type ("rebuts"/"supports"), never from free text.
        (
            f"MATCH (a:Claim {{id: $source}})-[e:{relation.type.upper()}]->(b:Claim {{id: $target}}) "
            "DELETE e",
            end,
        ),
    ]


def _versions(rows: list[dict[str, Any]]) -> Statement:
    return (
        "UNWIND $rows AS r MERGE (i:ReviewItem {id: r.key}) "
        "SET i.version = r.n, i.updated_at = r.at, i.updated_by = r.by",
        {"rows": rows},
    )


def write_review_records(
    store: Store, rejected: Sequence[Relation], reviews: Sequence[dict[str, Any]]
) -> None:
    """Restore what an argmap JSON file says people decided: rejected relations as
    ``REJECTED`` edges, and the review log (with each item's version: one per decision).

    Each rejection, and each decision with its links and its items' versions, is one
    ``run_unit``: an import cut short leaves every decision whole or absent, and running it
    again writes the same (the versions are counts, set, never added to)."""
    for relation in rejected:
        store.run_unit(_rejection(relation))
    counts: dict[str, int] = {}
    # Who changed each item last, and when: a stale save in the new store is told who saved in
    # between (it said "None saved it at None" after a move).
    last: dict[str, tuple[str, str]] = {}
    for review in (ReviewRow(**r) for r in reviews):
        events = [(review.at, review.reviewer)]
        if review.undone:
            events.append((review.undone_at or review.at, review.undone_by or review.reviewer))
        for key in review.items:
            counts[key] = counts.get(key, 0) + 1 + int(review.undone)
            last[key] = max([last.get(key, ("", "")), *events])
        rows = [
            {"key": k, "n": counts[k], "at": last[k][0], "by": last[k][1]}
            for k in dict.fromkeys(review.items)
        ]
        unit = [*record_statements(store, review), _versions(rows), revision_statement()]
        store.run_unit(unit)
