"""The machine changes a reviewed item too: a re-extraction that redraws a relation, or rewords
a claim, raises its version.

A reviewer decides on what the page (or ``argmap review list``) showed, on the version it showed
(``graph.review_commit``). A re-ingest (``--re-extract``, a changed post) can turn
the relation between two claims from rebuts into supports, change its confidence, or drop it: if
that left the version alone, an Accept clicked on "rebuts" would accept a "supports" nobody saw.
So an extraction write compares what the machine says about each pair before and after, and
every pair it changed gets a new version, marked as the machine's (``MACHINE``), so the stale
decision is a conflict that says what changed. A claim the machine rewords (same span, so same
id, another paraphrase or quote) gets a new version the same way: an edit made on the old words
would otherwise replace, or lock in as the reviewer's, words nobody read.
"""

from __future__ import annotations

from collections.abc import Sequence

from argmap.graph.review_state import claim_key, now, relation_key, versions
from argmap.graph.schema import id_seek
from argmap.graph.store import Store

from argmap.core.errors import ReviewConflict

# Who a re-extraction's version change is by: no person's name can be this (names are words).
MACHINE = "(re-extraction)"
MACHINE_LABELS = ["REBUTS", "SUPPORTS", "CANDIDATE"]


def _says(label: str, rel_type: str | None, confidence: float | None) -> str:
    kind = label.lower() if label != "CANDIDATE" else f"{rel_type} (a hidden guess)"
    return f"{kind} (confidence {float(confidence if confidence is not None else 1.0):.2f})"


def machine_reading(store: Store, post_ids: Sequence[str]) -> dict[str, str]:
    """What the graph says about every claim pair with an end in ``post_ids``' claims, as a
    reviewer reads it: ``{relation key: "supports (confidence 0.90)"}`` (two edges on a pair, as
    a rejection beside a live one, are joined)."""
    # Each post by a seek of its id index (Neo4j's planner may otherwise read the whole index,
    # and this runs twice per extraction write); the edge types in the pattern, so only those
    # edges are expanded. Undirected: a pair with both ends here is met from each end, hence
    # DISTINCT.
    rows = store.run_read(
        f"UNWIND $posts AS pid MATCH (p:Post){id_seek(store, 'p', 'Post')} WHERE p.id = pid "
        f"WITH p MATCH (p)-[:MAKES]->(c:Claim)-[e:{'|'.join(MACHINE_LABELS)}]-(d:Claim) "
        "RETURN DISTINCT startNode(e).id AS source, endNode(e).id AS target, type(e) AS label, "
        "e.type AS type, e.confidence AS confidence",
        {"posts": list(post_ids)},
    )
    found: dict[str, list[str]] = {}
    for r in rows:
        key = relation_key(r["source"], r["target"])
        found.setdefault(key, []).append(_says(r["label"], r["type"], r["confidence"]))
    return {key: "; ".join(sorted(says)) for key, says in found.items()}


def claim_reading(store: Store, post_ids: Sequence[str]) -> dict[str, str]:
    """What the graph says each claim of ``post_ids`` is, as a reviewer reads it: ``{claim key:
    paraphrase and quote}``. A re-extraction can reword a claim of the same span (same id)."""
    rows = store.run_read(
        f"UNWIND $posts AS pid MATCH (p:Post){id_seek(store, 'p', 'Post')} WHERE p.id = pid "
        "WITH p MATCH (p)-[:MAKES]->(c:Claim) RETURN c.id AS id, c.text AS text, c.quote AS quote",
        {"posts": list(post_ids)},
    )
    return {claim_key(r["id"]): f"{r['text']}\n{r['quote']}" for r in rows}


def mark_machine_changes(store: Store, before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Raise the version of every pair whose reading changed from ``before`` to ``after`` (a pair
    nobody could have seen before, new in ``after``, keeps its version). Returns their keys."""
    changed = sorted(k for k, says in before.items() if after.get(k) != says)
    mark_changed(store, changed)
    return changed


def mark_changed(store: Store, keys: Sequence[str]) -> None:
    """Raise the version of the items ``keys``: the machine changed them."""
    if keys:
        store.run(
            "UNWIND $keys AS key MERGE (i:ReviewItem {id: key}) "
            "SET i.version = coalesce(i.version, 0) + 1, i.updated_by = $by, "
            "i.updated_at = $at, i.touched_at = $at",
            {"keys": list(keys), "by": MACHINE, "at": now()},
        )


def current_relation(store: Store, source: str, target: str) -> tuple[str, float, bool] | None:
    """What the graph draws from ``source`` to ``target`` now: ``(type, confidence, hidden)``, the
    live relation, else a hidden guess (``hidden``); ``None`` if neither."""
    rows = store.run_read(
        f"MATCH (a:Claim {{id: $a}})-[e:{'|'.join(MACHINE_LABELS)}]->(b:Claim {{id: $b}})"
        f"{id_seek(store, 'a', 'Claim')}{id_seek(store, 'b', 'Claim')} "
        "RETURN type(e) AS label, e.type AS type, coalesce(e.confidence, 1.0) AS confidence "
        "ORDER BY label DESC",
        {"a": source, "b": target},
    )
    if not rows:
        return None
    r = rows[0]
    hidden = r["label"] == "CANDIDATE"
    return (str(r["type"]) if hidden else r["label"].lower()), float(r["confidence"]), hidden


def changed_by_machine(store: Store, key: str) -> str | None:
    """When the item's latest version is a re-extraction's: its time (else ``None``)."""
    rows = store.run_read(
        f"MATCH (i:ReviewItem {{id: $key}}){id_seek(store, 'i', 'ReviewItem')} "
        "RETURN i.updated_by AS by, i.updated_at AS at",
        {"key": key},
    )
    return rows[0]["at"] if rows and rows[0]["by"] == MACHINE else None


def check_not_re_extracted(store: Store, key: str, expected: int) -> None:
    """Raise ``ReviewConflict`` saying what the machine says now when a re-extraction changed the
    relation ``key`` after its version ``expected`` was read: a decision on it would land on what
    the reviewer never saw."""
    at = changed_by_machine(store, key)
    current = versions(store, [key])[key]
    if at is None or current == expected or not key.startswith("relation:"):
        return
    source, _, target = key.removeprefix("relation:").partition(">")
    now_drawn = current_relation(store, source, target)
    if now_drawn is None:
        says = "draws nothing between them (the relation is gone)"
    else:
        kind, confidence, hidden = now_drawn
        says = f"says {kind}{' (a hidden guess)' if hidden else ''} (confidence {confidence:.2f})"
    raise ReviewConflict(
        f"{key} changed since you read it (version {expected}): a re-extraction at {at[:10]} "
        f"{at[11:16]} UTC redrew it and the machine now {says}: nothing saved; look at it again "
        f"(`argmap review list`), then to decide on what it is now run this again with "
        f"--expect-version {current}"
    )
