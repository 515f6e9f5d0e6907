"""The Neo4j 5 store, through the official ``neo4j`` driver; chosen by a ``bolt://``/``neo4j://`` target.

Writes run in managed write transactions, reads in managed *read* transactions: the server
refuses a write in a read transaction, which is what makes the Cypher console read-only here
(the same guarantee FalkorDB's ``GRAPH.RO_QUERY`` gives). Driver errors become ``graph.errors``
with one line naming the target and what to check.
"""

from __future__ import annotations

import logging
import re
import ssl
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from argmap.graph.cypher_guard import refuse_load_csv
from argmap.graph.cypher_scope import refuse_outside_graph
from argmap.graph.store import Closable, Dialect, Statement
from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Forbidden,
    ForbiddenOnReadOnlyDatabase,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from argmap.core.config import StoreConfig
from argmap.core.errors import QueryError, ReadOnlyViolation, StoreUnavailable

# The driver logs connection failures at WARNING/ERROR; with no logging configured Python would
# print them on stderr next to argmap's one-line error. A NullHandler keeps them quiet unless the
# user configures logging (records still propagate to the root logger's handlers).
logging.getLogger("neo4j").addHandler(logging.NullHandler())

# Batch size for ``clear``: deleting a large graph in one transaction can exhaust the heap.
_CLEAR_BATCH = 10_000


def display_target(uri: str) -> str:
    """The URI without any ``user:password@`` part, for messages."""
    parts = urlsplit(uri)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def _reason(exc: BaseException) -> str:
    """The OS-level reason buried in a driver error ("Connection refused"), else its class name."""
    seen: list[BaseException] = [exc]
    while seen:
        e = seen.pop()
        if isinstance(e, ssl.SSLCertVerificationError):
            return (
                f"its TLS certificate is not trusted: {e.verify_message}; a self-signed one "
                "needs bolt+ssc:// or neo4j+ssc://"
            )
        if isinstance(e, ssl.SSLError):
            # bolt+s:// to a server without TLS: the server answers the TLS hello with nothing.
            return (
                "no TLS on that port: use bolt:// or neo4j:// for a server without TLS, "
                "or turn TLS on for its Bolt connector"
            )
        found = re.search(r"\[Errno -?\d+\] ([^)\n]+)", str(e))
        if found:
            return found.group(1).strip()
        if "handshake" in str(e):
            return (
                "no Bolt handshake answer: is this the Bolt port of a Neo4j server? "
                "(one that requires TLS needs bolt+s:// or neo4j+s://)"
            )
        seen.extend(getattr(e, "exceptions", ()))  # ExceptionGroup of routing attempts
        for linked in (e.__context__, e.__cause__):  # the cause is looked at first
            if linked is not None:
                seen.append(linked)
    return exc.__class__.__name__


def _plain(value: Any) -> Any:
    """Turn driver result objects into plain Python values, as the FalkorDB store does."""
    if isinstance(value, Node | Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date/DateTime/Time/Duration
        return value.iso_format()
    return value


# Transient errors the driver would retry for max_transaction_retry_time, re-running a query
# that will only exhaust the memory again (a console query ran 3-4 times in 27 s).
_NO_RETRY = frozenset(
    {
        "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
        "Neo.TransientError.General.OutOfMemoryError",
    }
)


# How long argmap re-runs a transaction the server refused as transient (a deadlock between two
# ingests writing the same Person, a lock wait), backing off from 0.25 s to 4 s between tries.
_TRANSIENT_RETRY_S = 30.0


class _Final(Exception):
    """Carries a driver error out of a managed transaction without the driver retrying it."""

    def __init__(self, error: Neo4jError) -> None:
        super().__init__(error.code)
        self.error = error


def _first_line(message: str | None) -> str:
    """Neo4j messages can span lines (a syntax error points at the query); keep the first."""
    lines = (message or "").strip().splitlines()
    return lines[0] if lines else "no message"


class Neo4jStore(Closable):
    """A Neo4j database reached with the official driver."""

    dialect: Dialect = "neo4j"

    def __init__(self, driver, target: str, database: str | None) -> None:
        self._driver = driver
        self.target = target
        self.database = database

    # -- error mapping ---------------------------------------------------------------------

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"lost Neo4j at {self.target} ({_reason(exc)}); "
            "check the server is up and re-run: writes are idempotent"
        )

    def _map(self, exc: Neo4jError, read_only: bool) -> Exception:
        code = exc.code or ""
        message = _first_line(exc.message)
        login = _login_error(exc, self.target, self.database)
        if login is not None:
            return login
        # A write inside a read transaction: "Neo.ClientError.Statement.AccessMode" ("Writing in
        # read access mode not allowed") on a single server; a read-only database, a read replica
        # or a schema change ("Schema operations are not allowed ...") come as Forbidden.
        if read_only and (
            code.endswith(".AccessMode")
            or "read access mode" in message.lower()
            or isinstance(exc, ForbiddenOnReadOnlyDatabase | Forbidden)
        ):
            return ReadOnlyViolation(
                "refused: this query writes to the graph, and the console is read-only"
            )
        if "TransactionTimedOut" in code or "Transaction.Terminated" in code:
            return QueryError(f"query stopped at its time limit: {message}")
        # db.memory.transaction.total.max / dbms.memory.transaction.total.max and the pool
        # limits: the server refuses the transaction instead of running out of heap.
        if "MemoryPoolOutOfMemoryError" in code or "OutOfMemory" in code:
            return QueryError(
                "query stopped at the server's memory limit for one transaction; "
                "return less (aggregate, LIMIT, or size() instead of whole lists)"
            )
        if exc.is_retryable():
            return StoreUnavailable(
                f"Neo4j at {self.target} kept refusing the transaction as transient for "
                f"{_TRANSIENT_RETRY_S:g}s ({message} [{code}]); another writer may hold the same "
                "nodes: re-run when it is done, writes are idempotent"
            )
        return QueryError(f"query failed: {message} [{code}]")

    # -- the Store interface ---------------------------------------------------------------

    def _execute(
        self,
        statements: Sequence[Statement],
        mode: str,
        timeout_ms: int | None = None,
    ) -> list[list[dict[str, Any]]]:
        """Run ``statements`` in one transaction (committed together or rolled back together);
        the rows of each."""
        self._check_open()
        for query, _ in statements:
            refuse_load_csv(query)  # every path into the store (see graph.cypher_guard)

        # Rows are read inside the transaction function: a result cannot outlive its transaction,
        # and a managed transaction may run the function again after a transient failure.
        @unit_of_work(timeout=timeout_ms / 1000 if timeout_ms else None)
        def work(tx) -> list[list[dict[str, Any]]]:
            out = []
            try:
                for query, params in statements:
                    result = tx.run(query, params or {})
                    out.append([{k: _plain(v) for k, v in record.items()} for record in result])
            except Neo4jError as exc:
                if exc.code in _NO_RETRY:
                    raise _Final(exc) from None
                raise
            return out

        read_only = mode == READ_ACCESS
        deadline = time.monotonic() + _TRANSIENT_RETRY_S
        delay = 0.25
        while True:
            try:
                with self._driver.session(
                    database=self.database, default_access_mode=mode
                ) as session:
                    if read_only:
                        return session.execute_read(work)
                    return session.execute_write(work)
            except _Final as final:
                raise self._map(final.error, read_only) from None
            except Neo4jError as exc:
                # The driver itself retries only briefly (see open_neo4j): what the server calls
                # transient (a deadlock) is re-run here, for longer, while a lost server fails
                # at once.
                if (
                    not exc.is_retryable()
                    or exc.code in _NO_RETRY
                    or time.monotonic() + delay > deadline
                ):
                    raise self._map(exc, read_only) from None
                time.sleep(delay)
                delay = min(2 * delay, 4.0)
            except (ServiceUnavailable, SessionExpired, OSError) as exc:
                raise self._unavailable(exc) from None
            except DriverError as exc:
                raise StoreUnavailable(f"Neo4j at {self.target}: {_first_line(str(exc))}") from None

    def run(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a (possibly writing) parameterised query in a write transaction."""
        return self._execute([(query, params or {})], WRITE_ACCESS)[0]

    def run_unit(self, statements: Sequence[Statement]) -> list[list[dict[str, Any]]]:
        """Run ``statements`` in one write transaction: all committed, or none."""
        return self._execute(statements, WRITE_ACCESS)

    def run_read(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        timeout_ms: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run a query in a read transaction; the server refuses writes (``ReadOnlyViolation``)."""
        refuse_outside_graph(query)  # SHOW USERS, TERMINATE, dbms.listConfig() (graph.cypher_scope)
        return self._execute([(query, params or {})], READ_ACCESS, timeout_ms)[0]

    def clear(self) -> None:
        """Delete every node and relationship (in batches); constraints and indexes stay."""
        while True:
            rows = self.run(
                "MATCH (n) WITH n LIMIT $batch DETACH DELETE n RETURN count(*) AS deleted",
                {"batch": _CLEAR_BATCH},
            )
            if not rows or rows[0]["deleted"] < _CLEAR_BATCH:
                return

    def close(self) -> None:
        self.closed = True
        try:
            self._driver.close()
        except Exception:  # noqa: BLE001 - closing a dead connection must not raise
            pass


# Codes a Neo4j 5 server sends for a target argmap cannot use, each with its one line.
_DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
_DATABASE_UNAVAILABLE = "Neo.TransientError.General.DatabaseUnavailable"
_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"


def _login_error(exc: Neo4jError, shown: str, database: str | None) -> StoreUnavailable | None:
    """The one-line error for a login or a database argmap cannot use, else None."""
    code = exc.code or ""
    named = f"database {database!r}" if database else "its home database"
    if isinstance(exc, AuthError):
        return StoreUnavailable(
            f"Neo4j at {shown} refused the credentials; check NEO4J_USER and NEO4J_PASSWORD"
        )
    if code == _RATE_LIMIT:
        # Neo4j locks a user out for 5 s after repeated wrong passwords, the right one included.
        return StoreUnavailable(
            f"Neo4j at {shown} refused the login after too many wrong passwords in a row; "
            "check NEO4J_USER and NEO4J_PASSWORD, then retry in a few seconds"
        )
    if code == _DATABASE_NOT_FOUND:
        return StoreUnavailable(
            f"Neo4j at {shown} has no {named}; check NEO4J_DATABASE "
            "(SHOW DATABASES lists them; Community has one, usually 'neo4j')"
        )
    if code == _DATABASE_UNAVAILABLE:
        return StoreUnavailable(
            f"Neo4j at {shown}: {named} is not available (starting, stopped or offline); "
            "retry when the server is ready: writes are idempotent"
        )
    return None


def _connect_error(
    exc: BaseException, shown: str, timeout: float, database: str | None, password: bool
) -> BaseException:
    """The one-line error for a failed first contact (anything not an argmap error passes)."""
    if isinstance(exc, AuthError) and not password:
        return StoreUnavailable(
            f"Neo4j at {shown} asks for a login and NEO4J_PASSWORD is not set; "
            "set NEO4J_PASSWORD (and NEO4J_USER, default neo4j)"
        )
    if isinstance(exc, Neo4jError):
        return _login_error(exc, shown, database) or StoreUnavailable(
            f"Neo4j at {shown} refused the connection: {_first_line(exc.message)} [{exc.code}]"
        )
    if isinstance(exc, DriverError | OSError | ValueError):
        return StoreUnavailable(
            f"cannot reach Neo4j at {shown} within {timeout:g}s ({_reason(exc)}); "
            "check the server is running and the URI, host and port are right"
        )
    return exc


def open_neo4j(config: StoreConfig) -> Neo4jStore:
    """Connect to the Neo4j at ``config.target`` and check it answers within ``connect_timeout``.

    No password means no auth; the database is ``neo4j_database`` (default: the server's home
    database). An unreachable server or refused login raises ``StoreUnavailable`` with one line.
    """
    target = config.target
    shown = display_target(target)
    if (config.neo4j_database or "").lower() == "system":
        raise StoreUnavailable(
            "NEO4J_DATABASE=system is Neo4j's own catalogue, not a graph; "
            "pick a user database (default: the server's home database)"
        )
    password = config.neo4j_password.get_secret_value() if config.neo4j_password else None
    auth = (config.neo4j_user, password) if password is not None else None
    timeout = float(config.connect_timeout)
    try:
        driver = GraphDatabase.driver(
            target,
            auth=auth,
            connection_timeout=timeout,
            # The Bolt handshake after the TCP connect is bounded by the acquisition deadline, not
            # by connection_timeout: the same figure caps the whole first contact.
            connection_acquisition_timeout=timeout,
            # The driver's own retries back off 1, 2, 4, 8, 16 s: a server gone kept a dashboard
            # page blank for 31 s per query before it said so. With 0 it tries twice, a second
            # apart (a blip, a cluster's leader switch); Neo4jStore._execute re-runs transient
            # refusals (deadlocks) itself.
            max_transaction_retry_time=0.0,
            user_agent="argmap",
        )
    except (ConfigurationError, ValueError):
        # The driver's message would repeat the URI, credentials included: name the rule instead.
        raise StoreUnavailable(
            f"cannot use {shown} as a Neo4j URI; expected bolt://HOST:7687 or neo4j://HOST:7687, "
            "with the login in NEO4J_USER/NEO4J_PASSWORD rather than in the URI"
        ) from None
    try:
        driver.verify_connectivity()
    except BaseException as exc:
        driver.close()
        raise _connect_error(
            exc, shown, timeout, config.neo4j_database, password is not None
        ) from None
    return Neo4jStore(driver, shown, config.neo4j_database)
