"""argmap JSON v1: the export contract other tools rely on (docs/json-v1.md; the models are argmap.core.json_v1).

Field names and meanings change only with a new ``version``.
"""

from __future__ import annotations

from typing import Any

from argmap.graph.review_records import list_reviews
from argmap.graph.store import Store

from argmap.core.json_v1 import FORMAT, VERSION
from argmap.core.times import as_review_time, as_stored_now


def thread_posts(
    store: Store, thread_ids: list[str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The threads (all, or ``thread_ids``) and their posts as JSON v1 rows, posts in thread and
    page order: what ``export_json`` writes of them, and all an extractor reads of a thread."""
    params = {"tids": thread_ids}
    where = "WHERE $tids IS NULL OR t.id IN $tids"
    threads = store.run_read(
        f"MATCH (t:Thread) {where} "
        "RETURN t.id AS id, t.title AS title, t.url AS url, t.source_format AS source_format, "
        "t.published_at AS published_at ORDER BY t.id",
        params,
    )
    ids = [t["id"] for t in threads]
    posts = store.run_read(
        "MATCH (p:Post) WHERE p.thread_id IN $ids "
        "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.id AS id, p.thread_id AS thread_id, p.kind AS kind, p.author AS author, "
        "p.posted_at AS posted_at, p.position AS position, q.id AS parent_id, "
        "p.is_spam AS is_spam, p.text AS text, p.parent_origin AS parent_origin, "
        "p.spam_origin AS spam_origin, p.parent_confidence AS parent_confidence, "
        "p.spam_margin AS spam_margin ORDER BY p.thread_id, p.position",
        {"ids": ids},
    )
    for post in posts:
        post["is_spam"] = bool(post["is_spam"])
        post["posted_at"] = as_stored_now(post["posted_at"])
    for thread in threads:
        thread["published_at"] = as_stored_now(thread["published_at"])
    return threads, posts


def export_json(store: Store, thread_ids: list[str] | None = None) -> dict[str, Any]:
    """The whole store (or the given threads) as one argmap JSON v1 object."""
    threads, posts = thread_posts(store, thread_ids)
    ids = [t["id"] for t in threads]
    claims = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE p.thread_id IN $ids "
        "RETURN c.id AS id, c.post_id AS post_id, c.text AS text, c.quote AS quote, "
        "c.start AS start, c.end AS end, c.extractor AS extractor, c.model AS model, "
        "c.prompt_version AS prompt_version, c.text_origin AS text_origin "
        "ORDER BY p.thread_id, p.position, c.start, c.end",
        {"ids": ids},
    )
    review_fields = (
        "r.extractor AS extractor, r.model AS model, r.prompt_version AS prompt_version, "
        "coalesce(r.origin, 'machine') AS origin, "
        "r.status AS status, r.reviewed_by AS reviewed_by, r.reviewed_at AS reviewed_at "
    )
    relations = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) "
        "WHERE p.thread_id IN $ids "
        "RETURN a.id AS source, b.id AS target, toLower(type(r)) AS type, "
        "r.confidence AS confidence, r.rationale AS rationale, "
        + review_fields
        + "ORDER BY source, target, type",
        {"ids": ids},
    )
    rejected = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(a:Claim)-[r:REJECTED]->(b:Claim) "
        "WHERE p.thread_id IN $ids "
        "RETURN a.id AS source, b.id AS target, r.type AS type, "
        "r.confidence AS confidence, r.rationale AS rationale, "
        + review_fields
        + "ORDER BY source, target, type",
        {"ids": ids},
    )
    candidates = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(a:Claim)-[r:CANDIDATE]->(b:Claim) "
        "WHERE p.thread_id IN $ids "
        "RETURN a.id AS source, b.id AS target, r.type AS type, "
        "r.confidence AS confidence, r.rationale AS rationale "
        "ORDER BY source, target, type",
        {"ids": ids},
    )
    # A relation's extractor and prompt version are written only where they are not its source
    # claim's (a reader of older files assumes that one), so a machine graph stays lean.
    found_by = {c["id"]: (c["extractor"], c["prompt_version"]) for c in claims}
    for rel in (*relations, *rejected):
        rel["reviewed_at"] = as_review_time(rel["reviewed_at"])  # older stores wrote "Z"
        extractor, version = found_by.get(rel["source"], (None, None))
        if rel["extractor"] == extractor:
            rel["extractor"] = None
            if rel["prompt_version"] == version:
                rel["prompt_version"] = None
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "threads": threads,
        "posts": [_compact(p, OPTIONAL_POST) for p in posts],
        "claims": [_compact(c, OPTIONAL_CLAIM) for c in claims],
        "relations": [_compact(r, OPTIONAL_RELATION) for r in relations],
        "candidates": [_compact(r, OPTIONAL_RELATION) for r in candidates],
    }
    # Review data only when there is some: a machine-only graph exports as it always did.
    reviews = list_reviews(store, ids)
    if rejected or reviews:
        doc["rejected_relations"] = [_compact(r, OPTIONAL_RELATION) for r in rejected]
        doc["reviews"] = [r.model_dump() for r in reviews]
    return doc


# Optional v1 fields (review provenance, machine certainty): left out while at their default,
# so files without review data stay byte-for-byte what older argmap wrote.
OPTIONAL_POST = {
    "parent_origin": None,
    "spam_origin": None,
    "parent_confidence": None,
    "spam_margin": None,
}
OPTIONAL_CLAIM = {"model": None, "prompt_version": None, "text_origin": None}
OPTIONAL_RELATION = {
    "extractor": None,
    "model": None,
    "prompt_version": None,
    "origin": "machine",
    "status": None,
    "reviewed_by": None,
    "reviewed_at": None,
}


def _compact(row: dict[str, Any], optional: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in optional or v != optional[k]}
