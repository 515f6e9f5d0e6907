"""Schema and the few places where FalkorDB's and Neo4j's Cypher dialects differ.

Everything else in argmap is the same openCypher text on both stores.
"""

from __future__ import annotations

from graph.store import Store

ID_LABELS = ("Thread", "Post", "Person", "Claim")


def _falkordb_schema(store: Store) -> None:
    existing = {
        (row["label"], prop)
        # run, not run_read: on a graph that does not exist yet this creates it.
        for row in store.run("CALL db.indexes() YIELD label, properties RETURN label, properties")
        for prop in row["properties"] or ()
    }
    for label in ID_LABELS:
        if (label, "id") not in existing:
            store.run(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
    for label in ("Claim", "Post"):
        if (label, "text") not in existing:
            store.run(f"CALL db.idx.fulltext.createNodeIndex('{label}', 'text')")


def _neo4j_schema(store: Store) -> None:
    for label in ID_LABELS:
        store.run(
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        )
    store.run(
        "CREATE FULLTEXT INDEX claim_text IF NOT EXISTS FOR (n:Claim) ON EACH [n.text, n.quote]"
    )
    store.run("CREATE FULLTEXT INDEX post_text IF NOT EXISTS FOR (n:Post) ON EACH [n.text]")


def ensure_schema(store: Store) -> None:
    """Create id indexes/constraints and full-text indexes if missing (idempotent)."""
    if store.dialect == "neo4j":
        _neo4j_schema(store)
    else:
        _falkordb_schema(store)


def fulltext_claims_query(store: Store) -> str:
    """A query over ``$q`` (and ``$limit``) yielding ``node`` and ``score``, best first."""
    if store.dialect == "neo4j":
        return (
            "CALL db.index.fulltext.queryNodes('claim_text', $q) YIELD node, score "
            "RETURN node, score ORDER BY score DESC LIMIT $limit"
        )
    return (
        "CALL db.idx.fulltext.queryNodes('Claim', $q) YIELD node, score "
        "RETURN node, score ORDER BY score DESC LIMIT $limit"
    )
