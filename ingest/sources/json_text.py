"""JSON sources' shared reading: parse with a one-line error, epoch seconds to UTC datetimes."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from argmap.core.errors import SourceError

log = logging.getLogger(__name__)

# Reply trees nest: a Reddit thread 500 replies deep is 2,000 JSON levels, past Python's default
# recursion limit of 1,000. Parsing (and walking) allows this many; deeper is a one-line error.
MAX_NESTING = 8000

# What is left after the parser stops when a file is cut inside a literal or a number.
_NUMBER_TAIL = re.compile(r"[-+.eE\d]+")


def load_json(text: str, origin: str) -> Any:
    """Parsed JSON, or a one-line ``SourceError`` saying where it broke (and if it looks cut off)."""
    try:
        with deep_nesting(origin):
            return json.loads(text)
    except json.JSONDecodeError as exc:
        # Cut off: nothing after the error, or a string, literal or number that runs to the end.
        rest = text[exc.pos :].strip()
        cut = (
            not rest
            or exc.msg.startswith("Unterminated string")
            or any(word.startswith(rest) for word in ("null", "true", "false"))
            or _NUMBER_TAIL.fullmatch(rest) is not None
        )
        hint = (
            "the file ends mid-way (truncated?); save it again"
            if cut
            else "fix or re-save the file"
        )
        raise SourceError(
            f"{origin}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); {hint}"
        ) from None


@contextmanager
def deep_nesting(origin: str) -> Iterator[None]:
    """Allow ``MAX_NESTING`` levels of recursion inside; a ``SourceError`` past that."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, MAX_NESTING))
    try:
        yield
    except RecursionError:
        raise SourceError(
            f"{origin}: nested too deeply (more than {MAX_NESTING} levels of JSON or replies); "
            "split the thread or save a shallower copy"
        ) from None
    finally:
        sys.setrecursionlimit(limit)


def utc_from_epoch(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from Unix seconds; ``None`` for anything else.

    Seconds no calendar can hold (``1e300``) give ``None`` and a warning, not an OverflowError.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            log.warning("a time of %r Unix seconds is out of range; stored without a time", value)
    return None
