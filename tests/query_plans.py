"""Reading a query's plan on either backend, and a store that records what is sent through it.

Tests use these to check a mechanism rather than a time: every query a write or an edit sends
seeks its nodes by index, so its cost does not grow with the graph.
"""

from __future__ import annotations

from typing import Any

from argmap.graph.store import Store

# Plan operators that read every node of a label (or of the graph) instead of seeking by id.
FALKORDB_SCANS = ("Node By Label Scan", "All Node Scan", "Node By Label and ID Scan")
# Neo4j's are matched anywhere in the operator's name, so that the Partitioned (parallel runtime),
# Undirected and label-expression (NodeByLabelsScan) forms count too. NodeIndexScan reads a whole
# index: a seek's cost stays flat as the graph grows, a scan's does not.
NEO4J_SCANS = (
    "NodeByLabelScan",
    "NodeByLabelsScan",
    "AllNodesScan",
    "NodeIndexScan",
    "NodeIndexContainsScan",
    "NodeIndexEndsWithScan",
    "RelationshipTypeScan",
)


class Recording:
    """The real store, noting every query sent through it (to EXPLAIN them afterwards)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.target = store.target
        self.dialect = store.dialect
        self.sent: dict[str, dict[str, Any]] = {}

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        self.sent.setdefault(query, dict(params or {}))
        return self.store.run(query, params)

    def run_read(
        self, query: str, params: dict[str, Any] | None = None, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        self.sent.setdefault(query, dict(params or {}))
        return self.store.run_read(query, params, timeout_ms)

    def run_unit(self, statements: list[tuple[str, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        for query, params in statements:
            self.sent.setdefault(query, dict(params or {}))
        return self.store.run_unit(statements)

    def clear(self) -> None:
        self.store.clear()

    def close(self) -> None:
        self.store.close()


def neo4j_operators(plan: dict[str, Any]) -> list[str]:
    """Every operator of a Neo4j plan (``ResultSummary.plan``), depth first."""
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += neo4j_operators(child)
    return found


def scans(store: Store, query: str, params: dict[str, Any]) -> list[str]:
    """The operators of ``query``'s plan on ``store`` that scan a label or the whole graph."""
    if store.dialect == "neo4j":
        driver = store._driver  # type: ignore[attr-defined]  # EXPLAIN's plan is not a row
        with driver.session(database=store.database) as session:  # type: ignore[attr-defined]
            plan = session.run("EXPLAIN " + query, params).consume().plan
        return [op for op in neo4j_operators(plan) if any(s in op for s in NEO4J_SCANS)]
    plan = store._graph.explain(query, params)  # type: ignore[attr-defined]  # FalkorDB's plan
    return [
        line.strip() for line in str(plan).splitlines() if line.strip().startswith(FALKORDB_SCANS)
    ]
