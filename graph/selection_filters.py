"""The filters of a :class:`~argmap.graph.subgraph_models.Selection` as Cypher: which posts'
claims it keeps (``POST_FILTER``, on the post ``p`` that makes the claim) and which relations
(``REL_FILTER``, on the relation ``r``), with the parameters both read (``selection_params``).
``graph.subgraph`` reads them in every query it runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from argmap.graph.scope import thread_scope
from argmap.graph.store import Store
from argmap.graph.subgraph_models import Selection

from argmap.core.ids import person_id
from argmap.core.times import utc_iso

POST_FILTER = (
    "($tids IS NULL OR p.thread_id IN $tids) "
    "AND ($include_spam OR p.is_spam IS NULL OR p.is_spam = false) "
    "AND ($since IS NULL OR (p.posted_at IS NOT NULL AND p.posted_at >= $since)) "
    "AND ($until IS NULL OR (p.posted_at IS NOT NULL AND p.posted_at < $until)) "
    "AND ($authors IS NULL OR p.author IN $authors)"
)
REL_FILTER = "toLower(type(r)) IN $types AND coalesce(r.confidence, 1.0) >= $min_conf"


def _iso_bound(value: datetime | date | None, *, upper: bool) -> str | None:
    """Dates compare as ISO strings (how posts store ``posted_at``); ``until`` is inclusive.

    Posts store UTC ("+00:00"), so a time is moved to UTC first (naive: UTC already): the
    string of a time in another zone orders wrongly against them. ``POST_FILTER`` keeps posts
    before the upper bound, so ``until`` is the next day for a date and the next microsecond for
    a time: "…10:14:00+00:00" sorts before "…10:14:00.000001+00:00" ("+" before ".").
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return utc_iso(value + timedelta(microseconds=1) if upper else value)
    return (value + timedelta(days=1)).isoformat() if upper else value.isoformat()


def _authors(store: Store, people: list[str] | None) -> list[str] | None:
    """Names as posts spell them, for people given by name (any case/spacing) or person id."""
    if not people:
        return None
    pids = [p if p.startswith("u_") else person_id(p) for p in people]
    rows = store.run_read(
        "MATCH (u:Person)-[:WROTE]->(p:Post) WHERE u.id IN $pids RETURN DISTINCT p.author AS author",
        {"pids": pids},
    )
    return [r["author"] for r in rows]


def selection_params(store: Store, sel: Selection) -> dict[str, Any]:
    """The parameters ``POST_FILTER`` and ``REL_FILTER`` read, for ``sel``."""
    return {
        "tids": thread_scope(sel.thread_ids),
        "authors": _authors(store, sel.people),
        "since": _iso_bound(sel.since, upper=False),
        "until": _iso_bound(sel.until, upper=True),
        "include_spam": sel.include_spam,
        "types": list(sel.relation_types),
        "min_conf": sel.min_confidence or 0.0,
    }
