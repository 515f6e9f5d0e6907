"""A review decision (or its undo) written as one unit: the items' versions, their new state, the
decision's record and the graph's revision are all there, or none of them.

They used to be separate queries, and a process that died between them (SIGKILL, the OOM killer,
a dropped connection) left half a decision: a pair's edges deleted and not drawn again, or the
graph changed with no ``Review`` that ``argmap review history`` or undo could see. Now they reach
the store as one ``Store.run_unit`` (a Neo4j transaction, a FalkorDB MULTI/EXEC block).

The first statement takes the item's next version if it is still the one the reviewer saw, and
marks the item with the decision's id; every later statement starts by matching that mark, so
after a conflict the rest writes nothing (FalkorDB runs the whole block whatever a statement
returns). The mark also makes the unit safe to run twice (the client re-sends a block whose
answer the connection lost): the version is taken once.
"""

from __future__ import annotations

from argmap.graph.review_state import State, state_statements
from argmap.graph.revision import revision_statement
from argmap.graph.schema import id_seek
from argmap.graph.store import Statement, Store
from argmap.graph.summary_refresh import AfterEdit, refresh_after_edit

from argmap.core.errors import ReviewConflict


def _take_version(key: str, expected: int | None, who: str, at: str, mark: str) -> Statement:
    # One statement: its SET takes the item's write lock (Neo4j serialises on it; FalkorDB runs
    # one block at a time), so two saves cannot both see the same version.
    return (
        "MERGE (i:ReviewItem {id: $key}) SET i.touched_at = $at "
        "WITH i, coalesce(i.version, 0) AS v, coalesce(i.last_review = $mark, false) AS again "
        "WITH i, v, again, (again OR $expected IS NULL OR v = $expected) AS ok "
        "SET i.version = CASE WHEN ok AND NOT again THEN v + 1 ELSE v END, "
        "i.updated_by = CASE WHEN ok THEN $who ELSE i.updated_by END, "
        "i.updated_at = CASE WHEN ok THEN $at ELSE i.updated_at END, "
        "i.last_review = CASE WHEN ok THEN $mark ELSE i.last_review END "
        "RETURN v AS old, i.version AS new, i.updated_by AS by, i.updated_at AS at, ok",
        {"key": key, "expected": expected, "who": who, "at": at, "mark": mark},
    )


def _take_others(keys: list[str], who: str, at: str, mark: str) -> Statement:
    return (
        "UNWIND $keys AS k MERGE (i:ReviewItem {id: k}) "
        "WITH i, coalesce(i.version, 0) AS v, coalesce(i.last_review = $mark, false) AS again "
        "SET i.touched_at = $at, i.version = CASE WHEN again THEN v ELSE v + 1 END, "
        "i.updated_by = $who, i.updated_at = $at, i.last_review = $mark",
        {"keys": keys, "who": who, "at": at, "mark": mark},
    )


def _guarded(store: Store, statement: Statement, key: str, mark: str) -> Statement:
    """``statement``, run only when the first statement took the version for this decision."""
    query, params = statement
    return (
        f"MATCH (held:ReviewItem {{id: $held_key}}){id_seek(store, 'held', 'ReviewItem')} "
        f"WHERE held.last_review = $held_mark WITH held {query}",
        {**params, "held_key": key, "held_mark": mark},
    )


def commit_decision(
    store: Store,
    *,
    keys: list[str],
    expected: int | None,
    who: str,
    at: str,
    mark: str,
    state: State,
    record: list[Statement],
) -> AfterEdit:
    """Write the items ``keys`` name as ``state`` with the statements ``record`` (the decision's
    record), as one unit under the decision id ``mark``; the first key is the item whose version
    must still be ``expected`` (``None``: any), else ``ReviewConflict`` and nothing is written.

    The derived data is refreshed after (``graph.summary_refresh``): a refresh cut short leaves
    it stale, which the revision the unit raised already tells readers.
    """
    rest = [_take_others(keys[1:], who, at, mark)] if keys[1:] else []
    rest += [*state_statements(store, keys, state), *record, revision_statement()]
    unit = [_take_version(keys[0], expected, who, at, mark)]
    unit += [_guarded(store, s, keys[0], mark) for s in rest]
    row = store.run_unit(unit)[0][0]
    if not row["ok"]:
        raise ReviewConflict(
            f"{keys[0]} changed since you loaded it: {row['by']} saved it at {row['at']} "
            f"(version {row['old']}, you had {expected}); look at its history, then decide again"
        )
    return refresh_after_edit(store)
