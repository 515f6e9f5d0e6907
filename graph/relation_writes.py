"""Relation writes: the machine's rebuts/supports (and hidden guesses), never over a person's.

A relation a person accepted, drew or re-typed keeps its properties; one a person rejected (a
``REJECTED`` edge with its ``type``) is never written again; and where a person settled a pair
the other way, the machine does not contradict it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from argmap.graph.revision import bump_revision
from argmap.graph.store import Store

from argmap.core.models import Relation

BATCH = 500
# A live relation ``e`` a person checked or drew: a machine write leaves its properties alone.
REVIEWED_EDGE = "(e.status IS NOT NULL OR e.origin = 'human')"


def batches(rows: Sequence[dict[str, Any]], size: int = BATCH) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


def relation_row(rel: Relation) -> dict[str, Any]:
    return rel.model_dump()


def write_relations(store: Store, relations: Sequence[Relation]) -> None:
    """Add (or update) live relations, skipping any a person rejected and keeping reviewed ones."""
    for rel_type in ("rebuts", "supports"):
        rows = [relation_row(r) for r in relations if r.type == rel_type and not r.candidate]
        label = rel_type.upper()
        other = "SUPPORTS" if label == "REBUTS" else "REBUTS"
        for batch in batches(rows):
            store.run(
                "UNWIND $rows AS r "
                "MATCH (a:Claim {id: r.source}), (b:Claim {id: r.target}) "
                # A rejected relation does not come back, whoever extracts it again; and where
                # a person settled the pair the other way, the machine does not contradict it.
                "OPTIONAL MATCH (a)-[x:REJECTED]->(b) WHERE x.type = $type "
                f"OPTIONAL MATCH (a)-[y:{other}]->(b) WHERE y.status IS NOT NULL OR y.origin = 'human' "
                "WITH a, b, r, count(x) + count(y) AS settled WHERE settled = 0 "
                f"MERGE (a)-[e:{label}]->(b) "
                f"WITH e, r, coalesce({REVIEWED_EDGE}, false) AS held "
                "SET e.confidence = CASE WHEN held THEN e.confidence ELSE r.confidence END, "
                "e.rationale = CASE WHEN held THEN e.rationale ELSE r.rationale END, "
                "e.extractor = CASE WHEN held THEN e.extractor ELSE r.extractor END, "
                "e.model = CASE WHEN held THEN e.model ELSE r.model END, "
                "e.prompt_version = CASE WHEN held THEN e.prompt_version ELSE r.prompt_version END, "
                "e.origin = CASE WHEN held THEN e.origin ELSE r.origin END, "
                "e.status = CASE WHEN held THEN e.status ELSE r.status END, "
                "e.reviewed_by = CASE WHEN held THEN e.reviewed_by ELSE r.reviewed_by END, "
                "e.reviewed_at = CASE WHEN held THEN e.reviewed_at ELSE r.reviewed_at END",
                {"rows": batch, "type": rel_type},
            )
    # Candidates (hidden low-confidence guesses) get their own edge type, so no query that asks
    # for REBUTS or SUPPORTS ever meets one; ``type`` keeps the guessed stance. A pair a person
    # decided (a rejection of that type, or a relation a person checked or drew) is not guessed
    # again.
    for batch in batches([relation_row(r) for r in relations if r.candidate]):
        store.run(
            "UNWIND $rows AS r "
            "MATCH (a:Claim {id: r.source}), (b:Claim {id: r.target}) "
            "OPTIONAL MATCH (a)-[x:REJECTED]->(b) WHERE x.type = r.type "
            f"OPTIONAL MATCH (a)-[e:REBUTS|SUPPORTS]->(b) WHERE {REVIEWED_EDGE} "
            "WITH a, b, r, count(x) + count(e) AS settled WHERE settled = 0 "
            "MERGE (a)-[e:CANDIDATE]->(b) "
            "SET e.type = r.type, e.confidence = r.confidence, e.rationale = r.rationale, "
            "e.extractor = r.extractor, e.model = r.model, e.prompt_version = r.prompt_version",
            {"rows": batch},
        )
    bump_revision(store)
