"""The graph's revision: a number every write raises, so readers can cache until it changes.

It lives on one node, ``(:Meta {id: 'revision', value})``, in the graph itself, so every
process sharing the store (an ingest, a review edit, the dashboard) sees the same number. The
dashboard keys its cache on (store, graph, revision): any write through ``graph.writes`` (or a
caller of ``bump_revision``) makes the next page run recompute.

A bump sets the value to the current time in microseconds, or one more than before if that is
not larger: the number only grows, and a graph that is emptied and rebuilt never hands out a
number a cache has already seen.
"""

from __future__ import annotations

import time

from argmap.graph.store import Statement, Store

META_LABEL = "Meta"
REVISION_ID = "revision"


def current_revision(store: Store) -> int:
    """The graph's revision (0 for a graph nothing has been written to through argmap)."""
    rows = store.run_read(
        "MATCH (m:Meta {id: $id}) RETURN m.value AS value LIMIT 1", {"id": REVISION_ID}
    )
    return int(rows[0]["value"] or 0) if rows else 0


def revision_statement() -> Statement:
    """The statement that raises the graph's revision, returning the new value as ``value``."""
    return (
        "MERGE (m:Meta {id: $id}) "
        "SET m.value = CASE WHEN coalesce(m.value, 0) < $now THEN $now ELSE m.value + 1 END "
        "RETURN m.value AS value",
        {"id": REVISION_ID, "now": time.time_ns() // 1000},
    )


def bump_revision(store: Store) -> int:
    """Raise the graph's revision (after a write); returns the new value."""
    rows = store.run(*revision_statement())
    return int(rows[0]["value"])
