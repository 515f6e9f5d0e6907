"""The read-only Cypher console: any read query, with parameters, a row limit and a time limit.

The guarantee that nothing is written is the store's: queries go through ``run_read``
(FalkorDB's ``GRAPH.RO_QUERY``, a Neo4j read transaction), which refuses writes. Obvious writes
are also refused here before anything is sent, so the message can say which clause was refused.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from argmap.graph.cypher_guard import check_ranges, code_of
from argmap.graph.store import Store
from pydantic import BaseModel

from argmap.core.errors import ArgmapError, QueryError, ReadOnlyViolation

DEFAULT_ROW_LIMIT = 1000
DEFAULT_TIMEOUT_MS = 10_000
# What a console result may hold (JSON-encoded): a page or a terminal has no use for more, and
# parsing more is what left Streamlit at 3 GB.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024

# A keyword word after ``.``/``$``/``:`` is a property, parameter or label; before ``:`` it is a
# map key (``{set: 1}``).
_WRITE_CLAUSE = re.compile(
    r"(?<![\w.$:])(DETACH\s+DELETE|CREATE|MERGE|DELETE|SET|REMOVE|DROP|FOREACH|LOAD\s+CSV)"
    r"(?![\w])(?!\s*:)",
    re.IGNORECASE,
)
# ``RETURN 1 AS set``: a name given with AS is an alias, whatever word it is.
_ALIAS = re.compile(r"\bAS\s+\w+", re.IGNORECASE)
# Procedures that write or administer (index DDL, apoc writes, dbms.* management, ...).
_WRITE_PROCEDURE = re.compile(
    r"\bCALL\s+([\w.]*(?:create|drop|delete|merge|remove|set|write|load|import|clear|kill|"
    r"terminate|refresh|flush)[\w.]*)",
    re.IGNORECASE,
)
_TRAILING_RETURN = re.compile(r"\bRETURN\b(?![\s\S]*\b(?:RETURN|LIMIT)\b)", re.IGNORECASE)
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConsoleResult(BaseModel):
    """Rows (at most ``row_limit``), whether more were there, and how long the query took."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    row_limit: int
    elapsed_ms: float


def _code(query: str) -> str:
    """The query with string literals, quoted names and comments blanked out."""
    return code_of(query)


def write_clause(query: str) -> str | None:
    """The first writing clause or procedure in ``query`` ("CREATE", "CALL db.idx...."), if any."""
    code = _ALIAS.sub(" AS _", _code(query))
    found = _WRITE_CLAUSE.search(code)
    if found:
        return " ".join(found.group(1).upper().split())
    proc = _WRITE_PROCEDURE.search(code)
    return f"CALL {proc.group(1)}" if proc else None


def parse_params(pairs: list[str] | None) -> dict[str, Any]:
    """``key=value`` pairs to query parameters; values are JSON if they parse, else strings.

    ``n=3`` is a number, ``ids=["a","b"]`` a list, ``name=Alice`` (not JSON) the string "Alice";
    ``name='"3"'`` forces the string "3".
    """
    params: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not _PARAM_NAME.match(key):
            raise ArgmapError(
                f"bad parameter {pair!r}: write it as name=value (value in JSON or plain text)"
            )
        try:
            value = json.loads(raw, parse_constant=_no_constant)
        except json.JSONDecodeError:
            value = raw
        except ValueError as exc:
            raise ArgmapError(f"bad parameter {key}: {exc}") from None
        if _has_surrogate(value):
            raise ArgmapError(
                f"bad parameter {key}: it holds a lone surrogate (half of a UTF-16 pair), "
                "which is not text; fix how the value is produced"
            )
        params[key] = value
    return params


def _no_constant(name: str) -> Any:
    # json.loads reads NaN/Infinity, which no Cypher parser accepts as a parameter value.
    raise ValueError(f"{name} is not a number Cypher can take; give a finite number or text")


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    return False


def _with_limit(query: str, fetch: int) -> str:
    """Append ``LIMIT fetch`` when the query ends in a RETURN with no LIMIT of its own, so the
    store stops after the rows we can show; otherwise rows are cut here after the fact."""
    stripped = query.rstrip().rstrip(";")
    code = _code(stripped)
    # After a UNION the LIMIT would bind to the last part only.
    if _TRAILING_RETURN.search(code) and not re.search(
        r"\bUNION\b|^\s*(EXPLAIN|PROFILE)\b", code, re.IGNORECASE
    ):
        # A newline, in case the query ends in a // comment.
        return f"{stripped}\nLIMIT {int(fetch)}"
    return query


def run_console(
    store: Store,
    query: str,
    params: dict[str, Any] | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    check_writes: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ConsoleResult:
    """Run ``query`` read-only with ``params``; at most ``row_limit`` rows, ``timeout_ms`` long.

    A write is refused (``ReadOnlyViolation``) before it is sent when it is visible in the text
    (``check_writes``), and by the store in any case. A ``range()`` that could build a list too
    big for the server is refused before it is sent (``graph.cypher_guard``); rows past
    ``max_bytes`` (JSON-encoded) are cut like rows past ``row_limit``.
    """
    if not query.strip():
        raise ArgmapError(
            "empty query: give a Cypher query, e.g. 'MATCH (c:Claim) RETURN c.text LIMIT 5'"
        )
    if row_limit < 1:
        raise ArgmapError("the row limit must be at least 1")
    if check_writes:
        clause = write_clause(query)
        if clause == "LOAD CSV":  # it reads, but files and URLs: outside the graph
            raise ReadOnlyViolation(
                "refused: LOAD CSV reads files or URLs outside the graph, and the console "
                "only reads the graph"
            )
        if clause:
            raise ReadOnlyViolation(
                f"refused: {clause} writes to the graph, and the console is read-only"
            )
    check_ranges(query)
    started = time.perf_counter()
    limited = _with_limit(query, row_limit + 1)
    try:
        rows = store.run_read(limited, params or {}, timeout_ms=timeout_ms)
    except QueryError as exc:
        if limited == query or str(row_limit + 1) not in str(exc):
            raise
        # The store's message points into the LIMIT appended here ("MATCH (a) RETURN" parses
        # on into it): run the text as written, for an error about what the user typed.
        rows = store.run_read(query, params or {}, timeout_ms=timeout_ms)
    elapsed = (time.perf_counter() - started) * 1000
    columns = list(rows[0]) if rows else []
    rows = [{c: _keys_in_order(v) for c, v in row.items()} for row in rows]
    kept = _within_bytes(rows[:row_limit], max_bytes)
    return ConsoleResult(
        columns=columns,
        rows=kept,
        truncated=len(rows) > len(kept),
        row_limit=row_limit,
        elapsed_ms=round(elapsed, 1),
    )


def _keys_in_order(value: Any) -> Any:
    """``value`` with every map's keys in name order, however deep. A node's properties come in
    the order they were written on FalkorDB and in the server's own order on Neo4j: the same
    node printed two ways, so two stores' (or two ingests') ``--json`` did not compare."""
    if isinstance(value, dict):
        return {k: _keys_in_order(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_keys_in_order(v) for v in value]
    return value


def _within_bytes(rows: list[dict[str, Any]], max_bytes: int) -> list[dict[str, Any]]:
    """The leading rows whose JSON fits in ``max_bytes``; a first row bigger than that is an error."""
    total = 0
    for n, row in enumerate(rows):
        total += len(json.dumps(row, ensure_ascii=False, default=str).encode("utf-8", "replace"))
        if total > max_bytes:
            if n == 0:
                raise QueryError(
                    f"the first row alone is over {max_bytes // (1024 * 1024)} MB; return less "
                    "(e.g. size(list) or a slice list[0..100] instead of the whole list)"
                )
            return rows[:n]
    return rows
