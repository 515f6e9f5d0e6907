"""The store interface both backends implement, and ``open_store`` which picks one from a target.

A target is a directory (the embedded FalkorDB lives there) or a ``bolt://``/``neo4j://`` URI.
Everything above this module speaks openCypher through ``run`` / ``run_read``; the few dialect
differences live in ``graph.schema``.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from argmap.core.config import DEFAULT_GRAPH, NEO4J_SCHEMES, StoreConfig
from argmap.core.errors import StoreClosed, StoreUnavailable

Dialect = Literal["falkordb", "neo4j"]
# One parameterised query of a ``run_unit``: (query, parameters).
Statement = tuple[str, dict[str, Any]]


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

    def run_unit(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        """Run writing ``statements`` as one unit: applied all together or not at all when the
        process dies or the connection drops before the end; the rows of each, in order.

        Neo4j runs them in one transaction. FalkorDB has none across queries: they go in one
        MULTI/EXEC block, which the server runs whole once it has the EXEC (and discards if the
        client goes before sending it); a statement the server refuses while running does not
        undo the ones before it there, so a statement that may refuse the rest must make them
        do nothing (``graph.review_commit`` guards its statements on a lock the first one takes).
        """
        ...

    def clear(self) -> None:
        """Delete every node and relationship of this store's graph."""
        ...

    def close(self) -> None:
        """Let go of the connection; any later query raises ``StoreClosed``."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Closable:
    """What both backends share about closing: ``with open_store(...) as store:`` closes the store
    at the end of the block, and a query after ``close()`` raises ``StoreClosed``. Without it the
    embedded client reconnects silently and a notebook cell that closed a store by mistake goes
    on as if nothing happened; a Neo4j driver says only "Driver closed"."""

    target: str
    closed: bool = False

    def _check_open(self) -> None:
        if self.closed:
            raise StoreClosed(
                f"this store ({self.target}) was closed; open it again: open_store({self.target!r})"
            )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()  # type: ignore[attr-defined]  # each backend has its own close


def open_store(target: str, graph: str = DEFAULT_GRAPH, **login: Any) -> Store:
    """``connect`` to ``target`` (a directory or a Neo4j URI); ``login`` holds any other
    ``StoreConfig`` field (``neo4j_password``, ``connect_timeout``, ...)."""
    return connect(StoreConfig(target=target, graph=graph, **login))


def is_neo4j_target(target: str) -> bool:
    return target.startswith(NEO4J_SCHEMES)


def connect(config: StoreConfig) -> Store:
    """Open the store ``config`` names and ensure its schema (constraints, indexes).

    ``config.graph`` names the graph inside an embedded store; on Neo4j the database is
    ``config.neo4j_database`` (default: the server's home database), and a graph other than
    the default is refused (``StoreUnavailable``).
    """
    if is_neo4j_target(config.target):
        from argmap.graph.neo4j_store import open_neo4j

        if config.graph != DEFAULT_GRAPH:
            # A Neo4j database holds one argmap graph. Ignoring the name would mix threads a
            # user kept apart in the embedded store, and `db reset` would empty the database.
            raise StoreUnavailable(
                f"graph {config.graph!r} (ARGMAP_GRAPH / --graph) names a graph of the embedded "
                "store, and a Neo4j database holds one graph: unset ARGMAP_GRAPH, and pick the "
                "database with NEO4J_DATABASE"
            )

        store: Store = open_neo4j(config)
    else:
        from argmap.graph.falkordb_store import open_falkordb

        store = open_falkordb(config.target, graph=config.graph, timeout=config.connect_timeout)
    from argmap.graph.schema import ensure_schema

    ensure_schema(store)
    return store
