"""What a reviewed item is: its key, its state as plain data, and its version.

An item is a relation pair (``relation:SOURCE>TARGET``: every rebuts/supports/rejected/candidate
edge from one claim to another), a post (``post:ID``: its parent and spam flag) or a claim
(``claim:ID``: its paraphrase and quote). A review reads the state of its items, changes it, and keeps both
states as JSON, so an undo writes the old state back whatever the action was.

Rejected relations are not ``REBUTS``/``SUPPORTS`` edges: they become ``REJECTED`` edges (with
their ``type``), so every query, semantics, chain and picture reads the corrected graph with no
filter of its own, and a machine write can see what not to bring back (``graph.writes``).

Each item has a version (a ``ReviewItem`` node), bumped by every decision; a reviewer who saves
with an older version than the stored one is told the item changed (``ReviewConflict``). A
decision is written as one unit with its version and its record (``graph.review_commit``).
"""

from __future__ import annotations

import json
from typing import Any

from argmap.graph.schema import id_seek
from argmap.graph.search_words import SEARCH_PROPERTY, search_text
from argmap.graph.store import Statement, Store
from argmap.graph.thread_languages import known

from argmap.core.times import utc_now

LIVE = ("REBUTS", "SUPPORTS")
# A hidden guess (``graph.writes``): reviewing it turns it into a live or a rejected edge.
CANDIDATE = "CANDIDATE"
EDGE_LABELS = (*LIVE, "REJECTED", CANDIDATE)
POST_FIELDS = ("parent_id", "parent_origin", "is_spam", "spam_origin", "reviewed_by", "reviewed_at")
CLAIM_FIELDS = ("text", "quote", "start", "end", "text_origin", "reviewed_by", "reviewed_at")

State = dict[str, list[dict[str, Any]]]


def now() -> str:
    """UTC now, ISO 8601 with microseconds (reviews sort by it), as every time argmap stores."""
    return utc_now()


def relation_key(source: str, target: str) -> str:
    return f"relation:{source}>{target}"


def post_key(post_id: str) -> str:
    return f"post:{post_id}"


def claim_key(claim_id: str) -> str:
    return f"claim:{claim_id}"


def split_keys(keys: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """``(relation pairs, post ids, claim ids)`` named by item keys."""
    pairs, posts, claims = [], [], []
    for key in keys:
        kind, _, rest = key.partition(":")
        if kind == "relation":
            source, _, target = rest.partition(">")
            pairs.append((source, target))
        elif kind == "post":
            posts.append(rest)
        elif kind == "claim":
            claims.append(rest)
    return pairs, posts, claims


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(props.items()) if v is not None}


def read_state(store: Store, keys: list[str]) -> State:
    """The current state of the items ``keys`` name."""
    pairs, posts, claims = split_keys(keys)
    edges = store.run(
        "UNWIND $pairs AS pr MATCH (a:Claim {id: pr[0]})-[e]->(b:Claim {id: pr[1]})"
        f"{id_seek(store, 'a', 'Claim')}{id_seek(store, 'b', 'Claim')} "
        "WHERE type(e) IN $labels RETURN a.id AS source, b.id AS target, type(e) AS label, "
        "e AS props",
        {"pairs": [list(p) for p in pairs], "labels": list(EDGE_LABELS)},
    )
    post_rows = store.run(
        f"UNWIND $ids AS pid MATCH (p:Post {{id: pid}}){id_seek(store, 'p', 'Post')} "
        "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
        "RETURN p.id AS id, q.id AS parent_id, p.parent_origin AS parent_origin, "
        "coalesce(p.is_spam, false) AS is_spam, p.spam_origin AS spam_origin, "
        "p.reviewed_by AS reviewed_by, p.reviewed_at AS reviewed_at",
        {"ids": posts},
    )
    claim_rows = store.run(
        f"UNWIND $ids AS cid MATCH (c:Claim {{id: cid}}){id_seek(store, 'c', 'Claim')} "
        "RETURN c.id AS id, c.text AS text, "
        "c.quote AS quote, c.start AS start, c.end AS end, c.text_origin AS text_origin, "
        "c.reviewed_by AS reviewed_by, c.reviewed_at AS reviewed_at",
        {"ids": claims},
    )
    out_edges = [{**e, "props": _clean(e["props"])} for e in edges]
    out_edges.sort(key=lambda e: (e["source"], e["target"], e["label"], e["props"].get("type", "")))
    return {
        "edges": out_edges,
        "posts": sorted(post_rows, key=lambda r: r["id"]),
        "claims": sorted(claim_rows, key=lambda r: r["id"]),
    }


def normal(state: State) -> State:
    """``state`` as ``read_state`` reads it back once written: edge properties without empty
    values, every list in key order (a decision records its after-state before writing it)."""
    edges = [{**e, "props": _clean(e["props"])} for e in state.get("edges", [])]
    edges.sort(key=lambda e: (e["source"], e["target"], e["label"], e["props"].get("type", "")))
    return {
        "edges": edges,
        "posts": sorted(state.get("posts", []), key=lambda r: r["id"]),
        "claims": sorted(state.get("claims", []), key=lambda r: r["id"]),
    }


def state_statements(store: Store, keys: list[str], state: State) -> list[Statement]:
    """The statements that make the items ``keys`` name exactly ``state`` (edges of the pairs
    replaced whole); run again, they give the same graph. ``graph.review_commit`` runs them with
    the decision's record as one unit."""
    pairs, _, _ = split_keys(keys)
    out: list[Statement] = [
        (
            "UNWIND $pairs AS pr MATCH (a:Claim {id: pr[0]})-[e]->(b:Claim {id: pr[1]})"
            f"{id_seek(store, 'a', 'Claim')}{id_seek(store, 'b', 'Claim')} "
            "WHERE type(e) IN $labels DELETE e",
            {"pairs": [list(p) for p in pairs], "labels": list(EDGE_LABELS)},
        )
    ]
    for label in EDGE_LABELS:  # labels come from this tuple, never from a user
        rows = [e for e in state.get("edges", []) if e["label"] == label]
        if rows:
            out.append(
                (
                    "UNWIND $rows AS r MATCH (a:Claim {id: r.source}), (b:Claim {id: r.target})"
                    f"{id_seek(store, 'a', 'Claim')}{id_seek(store, 'b', 'Claim')} "
                    f"CREATE (a)-[e:{label}]->(b) SET e += r.props",
                    {"rows": rows},
                )
            )
    for post in state.get("posts", []):
        # A reply moved to another parent answers other claims now: its relations are stale,
        # so the post goes back to pending and the next extraction (``argmap review extract``,
        # an ingest) redoes it, keeping what people decided. An undo moves it back the same way.
        out.append(
            (
                f"MATCH (p:Post {{id: $id}}){id_seek(store, 'p', 'Post')} "
                "OPTIONAL MATCH (p)-[:REPLIES_TO]->(q:Post) "
                "WITH p, q WHERE coalesce(q.id, '') <> coalesce($parent_id, '') REMOVE p.extracted",
                {"id": post["id"], "parent_id": post.get("parent_id")},
            )
        )
        out.append(
            (
                f"MATCH (p:Post {{id: $id}}){id_seek(store, 'p', 'Post')} "
                "OPTIONAL MATCH (p)-[e:REPLIES_TO]->(:Post) DELETE e",
                {"id": post["id"]},
            )
        )
        out.append(
            (
                f"MATCH (p:Post {{id: $id}}){id_seek(store, 'p', 'Post')} "
                "SET p.parent_origin = $parent_origin, "
                "p.is_spam = $is_spam, p.spam_origin = $spam_origin, "
                "p.reviewed_by = $reviewed_by, p.reviewed_at = $reviewed_at "
                f"WITH p MATCH (q:Post {{id: $parent_id}}){id_seek(store, 'q', 'Post')} "
                "MERGE (p)-[:REPLIES_TO]->(q)",
                {f: post.get(f) for f in ("id", *POST_FIELDS)},
            )
        )
    for claim in state.get("claims", []):
        out.append(
            (
                f"MATCH (c:Claim {{id: $id}}){id_seek(store, 'c', 'Claim')} "
                f"SET c.text = $text, c.{SEARCH_PROPERTY} = $search_text, c.quote = $quote, "
                "c.start = $start, c.end = $end, c.text_origin = $text_origin, "
                "c.reviewed_by = $reviewed_by, c.reviewed_at = $reviewed_at",
                {
                    **{f: claim.get(f) for f in ("id", *CLAIM_FIELDS)},
                    # An edited paraphrase is found by its new words at once.
                    "search_text": search_text(
                        claim.get("text"), claim_language(store, claim["id"])
                    ),
                },
            )
        )
    return out


def claim_language(store: Store, claim_id: str) -> str | None:
    """The language code of the thread a claim was made in (``None``: unknown)."""
    rows = store.run_read(
        # Seeks by id on each label (Neo4j's planner may otherwise scan: tests/test_review_plans).
        f"MATCH (c:Claim {{id: $id}}){id_seek(store, 'c', 'Claim')} "
        f"OPTIONAL MATCH (p:Post {{id: c.post_id}}){id_seek(store, 'p', 'Post')} "
        f"OPTIONAL MATCH (t:Thread {{id: p.thread_id}}){id_seek(store, 't', 'Thread')} "
        "RETURN t.language AS lang",
        {"id": claim_id},
    )
    return known(rows[0]["lang"]) if rows else None


def dump(state: State) -> str:
    return json.dumps(state, sort_keys=True, ensure_ascii=False)


def versions(store: Store, keys: list[str]) -> dict[str, int]:
    """The current version of each item (0 if never reviewed)."""
    rows = store.run_read(
        f"UNWIND $keys AS k OPTIONAL MATCH (i:ReviewItem {{id: k}}){id_seek(store, 'i', 'ReviewItem')} "
        "RETURN k AS key, coalesce(i.version, 0) AS version",
        {"keys": keys},
    )
    return {r["key"]: r["version"] for r in rows}
