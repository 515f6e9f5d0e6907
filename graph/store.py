"""The store interface both backends implement, and ``open_store`` which picks one from a target.

A target is a directory (the embedded FalkorDB lives there) or a ``bolt://``/``neo4j://`` URI.
Everything above this module speaks openCypher through ``run`` / ``run_read``; the few dialect
differences live in ``graph.schema``.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

Dialect = Literal["falkordb", "neo4j"]


class Store(Protocol):
    """A graph database argmap can write to and query."""

    target: str
    dialect: Dialect

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a (possibly writing) parameterised query; rows as dicts keyed by column."""
        ...

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        timeout_ms: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a query the store guarantees cannot write (raises ``ReadOnlyViolation``)."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship of this store's graph."""
        ...

    def close(self) -> None: ...


def is_neo4j_target(target: str) -> bool:
    return target.startswith(NEO4J_SCHEMES)


def open_store(target: str | None = None, graph: str | None = None) -> Store:
    """Open the store named by ``target`` (default: the ``ARGMAP_DB`` setting).

    ``graph`` names the graph inside the store (FalkorDB graph key or Neo4j database);
    default: the ``ARGMAP_GRAPH`` setting. The schema (constraints, indexes) is ensured.
    """
    from ingest.settings import get_settings

    settings = get_settings()
    target = target or settings.db
    graph = graph or settings.graph
    if is_neo4j_target(target):
        from graph.neo4j_store import open_neo4j

        store: Store = open_neo4j(target, settings)
    else:
        from graph.falkordb_store import open_falkordb

        store = open_falkordb(target, graph=graph, timeout=settings.connect_timeout)
    from graph.schema import ensure_schema

    ensure_schema(store)
    return store
