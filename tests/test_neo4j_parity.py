"""The bundled sample on the real Neo4j 5.26 server gives what it gives on FalkorDB, exactly.

``sample_store`` is the sample ingested into FalkorDB, ``neo4j_sample`` the same file ingested
into the session's Neo4j (both offline, both read-only here). Every comparison is whole: the
argmap JSON export, and every named query, the grounded and preferred labels and the
Overview's aggregates, compared row by row, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argmap.graph import counts, overview, queries
from argmap.graph.chains import find_chains
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from test_robustness import assert_no_duplicates, assert_same_export, shape

pytestmark = pytest.mark.neo4j


def test_the_sample_exports_the_same_argmap_json_from_both_stores(
    sample_store: Store, neo4j_sample: Store
) -> None:
    falkordb = export_json(sample_store)
    assert len(falkordb["posts"]) == 188 and falkordb["claims"] and falkordb["relations"]
    assert_same_export(export_json(neo4j_sample), falkordb)


def test_re_ingesting_the_sample_into_neo4j_changes_nothing(
    neo4j_sample: Store, sample_path: Path
) -> None:
    from argmap.ingest.pipeline import ingest

    before, counts = export_json(neo4j_sample), shape(neo4j_sample)
    assert_no_duplicates(counts)
    summary = ingest(sample_path, neo4j_sample, extractor="offline")
    assert summary.claims == len(before["claims"])
    assert shape(neo4j_sample) == counts
    assert_same_export(export_json(neo4j_sample), before)


def _dump(rows: Any) -> Any:
    if isinstance(rows, list):
        return [_dump(r) for r in rows]
    return rows.model_dump() if hasattr(rows, "model_dump") else rows


def _top_thesis(s: Store) -> str:
    return queries.theses(s)[0].claim_id


def _longest_head(s: Store) -> str:
    return queries.chains(s, limit=1)[0].claims[0]


# Each named query as the CLI and the dashboard call it, with its options varied.
QUERIES: dict[str, Callable[[Store], Any]] = {
    "theses": lambda s: queries.theses(s),
    "contested": lambda s: queries.contested(s, limit=None),
    "contested_top5": lambda s: queries.contested(s, limit=5),
    "unanswered": lambda s: queries.unanswered(s),
    "chains_whole_graph": lambda s: queries.chains(s, limit=None),
    "chains_from_longest_head": lambda s: queries.chains(s, from_claim=_longest_head(s)),
    "chains_to_top_thesis": lambda s: find_chains(s, to_claim=_top_thesis(s), limit=None),
    "chains_min_length_3": lambda s: queries.chains(s, min_length=3, limit=None),
    "grounded": lambda s: queries.grounded(s),
    "grounded_out": lambda s: queries.grounded(s, label="OUT"),
    "preferred": lambda s: queries.extension_rows(queries.preferred(s)),
    "interactions": lambda s: queries.interactions(s),
    "interactions_with_self": lambda s: queries.interactions(s, include_self=True),
    "search_party": lambda s: queries.search(s, "party", limit=None),
    "search_two_words": lambda s: queries.search(s, "ISO members", limit=None),
    "counts": lambda s: counts.counts(s),
    "activity_by_day": lambda s: overview.activity(s, granularity="day"),
    "active_debaters": lambda s: overview.active_debaters(s, limit=1000),
    "extraction_info": lambda s: overview.extraction_info(s),
    "subgraph_most_rebutted": lambda s: select_subgraph(
        s, Selection(claim="most-rebutted", hops=2)
    ),
    "subgraph_whole_capped": lambda s: select_subgraph(s, Selection(max_nodes=40)),
}


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_gives_the_same_answer_on_both_stores(
    name: str, sample_store: Store, neo4j_sample: Store
) -> None:
    query = QUERIES[name]
    want = _dump(query(sample_store))
    assert want, f"{name} is empty on the sample: the comparison would prove nothing"
    assert _dump(query(neo4j_sample)) == want


def test_grounded_labels_cover_every_claim_and_agree(
    sample_store: Store, neo4j_sample: Store
) -> None:
    falkordb = {r.claim_id: r.label for r in queries.grounded(sample_store)}
    neo4j = {r.claim_id: r.label for r in queries.grounded(neo4j_sample)}
    claims = {r["id"] for r in neo4j_sample.run_read("MATCH (c:Claim) RETURN c.id AS id")}
    assert set(neo4j) == claims
    assert neo4j == falkordb
    assert {"IN", "OUT"} <= set(neo4j.values())
