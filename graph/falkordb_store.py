"""The embedded default store: FalkorDB, started on first use in the data directory."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import redis
from argmap.graph.cypher_guard import refuse_load_csv
from argmap.graph.cypher_scope import refuse_outside_graph
from argmap.graph.embedded import REPLY_TIMEOUT, loading_percent
from argmap.graph.embedded_health import ensure_answering
from argmap.graph.embedded_limits import MAX_TIMEOUT_MS
from argmap.graph.store import Closable, Dialect, Statement
from falkordb import FalkorDB, QueryResult
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from argmap.core.errors import QueryError, ReadOnlyViolation, StoreUnavailable

T = TypeVar("T")


def _plain(value: Any) -> Any:
    """Turn FalkorDB result objects into plain Python values (properties dicts, lists)."""
    if isinstance(value, Node | Edge):
        return dict(value.properties)
    if isinstance(value, GraphPath):
        return [dict(n.properties) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _EmptyGraph(Exception):
    """The graph a query names does not exist yet."""


class FalkorDBStore(Closable):
    """A FalkorDB graph reached over the embedded server's unix socket."""

    dialect: Dialect = "falkordb"

    def __init__(
        self, data_dir: Path, graph: str, socket: Path, reply_timeout: float = REPLY_TIMEOUT
    ) -> None:
        self.target = str(data_dir)
        self.data_dir = data_dir
        self.graph_name = graph
        self.reply_timeout = reply_timeout
        # A dropped connection is retried (the server restarts and keeps its data); a reply that
        # never comes is not: past ``reply_timeout`` the server is stuck, and waiting again for a
        # query that may have run would only double the wait.
        retry = Retry(ExponentialWithJitterBackoff(), 3, supported_errors=(redis.ConnectionError,))
        self._db = FalkorDB(unix_socket_path=str(socket), socket_timeout=reply_timeout, retry=retry)
        self._graph = self._db.select_graph(graph)

    def _call(self, fn, query: str, params: dict[str, Any] | None, **kw) -> list[dict[str, Any]]:
        self._check_open()
        # Every path into the store, the console's and argmap's own: see graph.cypher_guard.
        refuse_load_csv(query)
        try:
            return _rows(self._send(lambda: fn(query, params or None, **kw)))
        except _EmptyGraph:
            return []  # the graph does not exist yet: nothing to read

    def _send(self, send: Callable[[], T]) -> T:
        """``send()``'s answer, with the server's and the connection's errors as one line."""
        try:
            return send()
        except redis.BusyLoadingError:
            # A subclass of ConnectionError: the server is up and reading its data back.
            percent = loading_percent(self.data_dir)
            done = f" ({percent:.0f}% done)" if percent is not None else ""
            raise StoreUnavailable(
                f"the embedded FalkorDB in {self.data_dir} is still loading its data{done}; "
                "re-run in a moment"
            ) from None
        except redis.TimeoutError:
            raise StoreUnavailable(
                f"the embedded FalkorDB in {self.data_dir} stopped answering (no reply in "
                f"{self.reply_timeout:.0f}s); argmap db stop ends it, killing it if it must, and "
                "the next command starts it again with its data"
            ) from None
        except (redis.ConnectionError, OSError) as exc:
            raise StoreUnavailable(
                f"lost the embedded FalkorDB in {self.data_dir} ({exc.__class__.__name__}); "
                "re-run the command: argmap restarts the server and keeps its data"
            ) from None
        except redis.ResponseError as exc:
            message = str(exc)
            if "empty key" in message:
                raise _EmptyGraph from None
            if "read-only" in message or "RO_QUERY" in message:
                raise ReadOnlyViolation(
                    "refused: this query writes to the graph, and the console is read-only"
                ) from None
            if "mem consumption exceeded" in message:
                raise QueryError(
                    "query stopped at the server's memory limit for one query; "
                    "return less (aggregate, LIMIT, or size() instead of whole lists)"
                ) from None
            if message.startswith("OOM "):
                raise QueryError(
                    f"the embedded FalkorDB in {self.data_dir} is at its memory limit "
                    "(maxmemory) and refuses writes; free memory or raise it"
                ) from None
            if "cannot exceed the TIMEOUT_MAX" in message:
                raise QueryError(
                    f"the time limit is above the server's maximum ({MAX_TIMEOUT_MS // 1000} s); "
                    "give a shorter one"
                ) from None
            if "timed out" in message.lower() or "timeout" in message.lower():
                raise QueryError(f"query stopped at its time limit: {message}") from None
            raise QueryError(f"query failed: {_readable(message)}") from None
        except UnicodeEncodeError:
            # A lone surrogate in a parameter: the client cannot even encode the command.
            raise QueryError(
                "a query parameter holds a lone surrogate (half of a UTF-16 pair), which is not "
                "text; fix the value"
            ) from None

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self._call(self._graph.query, query, params)

    def run_unit(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        """Run ``statements`` in one MULTI/EXEC block: the server runs them back to back once it
        has the EXEC, and drops them if the connection goes before (``Store.run_unit``)."""
        self._check_open()
        for query, _ in statements:
            refuse_load_csv(query)

        def send() -> list[Any]:
            block = self._db.connection.pipeline(transaction=True)
            for query, params in statements:
                # The client's own parameter header, as ``Graph.query`` builds it.
                text = self._graph._build_params_header(params or None) + query
                block.execute_command("GRAPH.QUERY", self.graph_name, text, "--compact")
            return block.execute()

        return [_rows(QueryResult(self._graph, raw)) for raw in self._send(send)]

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        timeout_ms: int | None = None,
    ) -> list[dict[str, Any]]:
        refuse_outside_graph(query)  # dbms.procedures() and the like (see graph.cypher_scope)
        kw = {"timeout": timeout_ms} if timeout_ms else {}
        return self._call(self._graph.ro_query, query, params, **kw)

    def clear(self) -> None:
        self.run("MATCH (n) DETACH DELETE n")

    def close(self) -> None:
        self.closed = True
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection must not raise
            pass


def _rows(result: Any) -> list[dict[str, Any]]:
    """A FalkorDB ``QueryResult`` as rows of plain values keyed by column."""
    columns = [h[1] if isinstance(h, list | tuple) else h for h in (result.header or [])]
    return [
        {col: _plain(val) for col, val in zip(columns, row, strict=False)}
        for row in (result.result_set or [])
    ]


def open_falkordb(
    data_dir: str | Path, graph: str = "argmap", timeout: float = 10.0
) -> FalkorDBStore:
    """Open (starting the server if needed) the FalkorDB graph ``graph`` under ``data_dir``."""
    path = Path(data_dir).expanduser().resolve()
    if path.exists() and not path.is_dir():
        raise StoreUnavailable(f"ARGMAP_DB={data_dir} is a file; give a directory or a bolt:// URI")
    socket = ensure_answering(path, timeout=max(timeout, 10.0))
    return FalkorDBStore(path, graph, socket)


# FalkorDB's syntax errors: "errMsg: WHAT line: 1, column: 10, offset: 9 errCtx: QUERY errCtxOffset: 9"
_SYNTAX = re.compile(r"errMsg: (?P<what>.*?) line: (?P<line>\d+), column: (?P<col>\d+)", re.S)


def _readable(message: str) -> str:
    """A syntax error as "WHAT (line L, column C)", without the parser's offsets and echoed
    query; any other message as it is."""
    found = _SYNTAX.search(message)
    if found is None:
        return message
    return f"{found['what'].strip()} (line {found['line']}, column {found['col']})"
