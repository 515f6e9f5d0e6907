"""Checks on query text that the stores cannot make themselves.

- ``LOAD CSV`` is refused on every path into a store (FalkorDB's read-only mode still runs
  ``LOAD CSV FROM 'https://...'`` and opens an outbound connection; argmap never needs it).
- ``range()`` in a console query must have bounds argmap can see are small: FalkorDB allocates the
  whole list in one piece before its per-query memory cap or its time limit can act, so
  ``range(1, 600000000)`` aborts the server (a 9.6 GB allocation) before any limit applies.

Both work on the query with string literals, quoted names and comments blanked out, so words
inside text are never taken for clauses.
"""

from __future__ import annotations

import re

from argmap.core.errors import QueryError

# String literals, quoted identifiers and comments: their words are not clauses.
_INERT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)
_LOAD_CSV = re.compile(r"(?<![\w.$])LOAD\s+CSV(?!\w)", re.IGNORECASE)
_RANGE = re.compile(r"(?<![\w.$])range\s*\(", re.IGNORECASE)
_INT = re.compile(r"^[+-]?\d+$")
# A bound may also be the size of something the query already holds (``range(0, size(xs) - 1)``):
# that list exists, so the range is no bigger than it.
_SIZE_BOUND = re.compile(r"^size\s*\(.*\)\s*([+-]\s*\d{1,3})?$", re.IGNORECASE | re.DOTALL)

MAX_RANGE = 1_000_000


def code_of(query: str) -> str:
    """The query with string literals, quoted names and comments blanked out."""
    return _INERT.sub(" ", query)


def refuse_load_csv(query: str) -> None:
    """Raise ``QueryError`` when ``query`` uses ``LOAD CSV`` (it reads files and URLs)."""
    if _LOAD_CSV.search(code_of(query)):
        raise QueryError(
            "refused: LOAD CSV reads files and URLs, and argmap's stores only run graph queries"
        )


def _arguments(code: str, open_paren: int) -> list[str] | None:
    """The top-level comma-separated arguments of the call whose ``(`` is at ``open_paren``."""
    depth, start, args = 0, open_paren + 1, []
    for i in range(open_paren, len(code)):
        ch = code[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                args.append(code[start:i].strip())
                return args
        elif ch == "," and depth == 1:
            args.append(code[start:i].strip())
            start = i + 1
    return None


def check_ranges(query: str, limit: int = MAX_RANGE) -> None:
    """Refuse a ``range()`` whose length argmap cannot see is at most ``limit``."""
    code = code_of(query)
    for found in _RANGE.finditer(code):
        args = _arguments(code, found.end() - 1)
        if not args or len(args) not in (2, 3):
            continue  # not a call argmap can read; the store reports the syntax error
        lo, hi = args[0], args[1]
        step = args[2] if len(args) == 3 else "1"
        if all(_INT.match(a) for a in (lo, hi, step)):
            if int(step) != 0 and (int(hi) - int(lo)) // int(step) < limit:
                continue
        elif _INT.match(lo) and _SIZE_BOUND.match(hi) and _INT.match(step):
            continue
        raise QueryError(
            f"refused: range({', '.join(args)}) may build a list too big for the server; in the "
            f"console, range() takes integer bounds at most {limit:,} apart (or size(list) as "
            "its upper bound)"
        )
