"""Relations a source draws itself (Kialo's Pro/Con): a re-ingested file is the whole word on them.

An extractor's relations only grow (a re-run merges what it finds), but a source that states
its relations, as a Kialo export does, may take one back: a claim moved under another parent is
no longer Pro/Con to the old one. So before such a file is written again, the machine relations
of that extractor out of the file's claims that the file no longer gives are dropped. A relation
a person checked or drew stays (``graph.writes``: a machine write never overwrites a human
decision), and so do relations out of claims the file no longer has: posts missing from a
re-ingested source stay in the store, with what they said.
"""

from __future__ import annotations

from collections.abc import Sequence

from argmap.graph.relation_writes import REVIEWED_EDGE
from argmap.graph.review_machine import mark_changed
from argmap.graph.review_state import relation_key
from argmap.graph.revision import bump_revision
from argmap.graph.store import Store

from argmap.core.models import Relation


def drop_relations_not_given(
    store: Store, claim_ids: Sequence[str], relations: Sequence[Relation], extractor: str
) -> int:
    """Delete live ``extractor`` relations out of ``claim_ids`` that ``relations`` no longer
    hold, unless a person reviewed or drew them; returns how many were deleted."""
    given = {(r.source, r.type.upper(), r.target) for r in relations if not r.candidate}
    rows = store.run_read(
        "UNWIND $ids AS cid MATCH (a:Claim {id: cid})-[e:REBUTS|SUPPORTS]->(b:Claim) "
        f"WHERE e.extractor = $extractor AND NOT coalesce({REVIEWED_EDGE}, false) "
        "RETURN a.id AS source, type(e) AS type, b.id AS target",
        {"ids": list(claim_ids), "extractor": extractor},
    )
    stale = [r for r in rows if (r["source"], r["type"], r["target"]) not in given]
    for label in ("REBUTS", "SUPPORTS"):
        pairs = [{"a": r["source"], "b": r["target"]} for r in stale if r["type"] == label]
        if pairs:
            store.run(
                f"UNWIND $rows AS r MATCH (a:Claim {{id: r.a}})-[e:{label}]->(b:Claim {{id: r.b}}) "
                f"WHERE e.extractor = $extractor AND NOT coalesce({REVIEWED_EDGE}, false) "
                "DELETE e",
                {"rows": pairs, "extractor": extractor},
            )
    if stale:
        # A page or `review list` showing one of them must not decide what comes in its place.
        mark_changed(store, sorted({relation_key(r["source"], r["target"]) for r in stale}))
        bump_revision(store)
    return len(stale)
