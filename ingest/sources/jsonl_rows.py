"""``jsonl``: one comment per line, each a JSON object with the row columns of ``ingest.sources.rows``."""

from __future__ import annotations

import json

from argmap.ingest.sources.rows import (
    REQUIRED,
    build_thread,
    make_row,
    missing_columns,
    normalise_columns,
    warn_unread,
)

from argmap.core.errors import SourceError
from argmap.core.models import Thread

NAME = "jsonl"


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


def detect(text: str) -> bool:
    """The first non-blank line is a whole JSON object with ``id``, ``author`` and ``text``."""
    lines = _lines(text[:65536])
    if not lines or not lines[0][1].lstrip().startswith("{"):
        return False
    try:
        first = json.loads(lines[0][1])
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(first, dict) and not missing_columns(normalise_columns(first))


def parse(text: str, origin: str) -> list[Thread]:
    """The thread in a JSON Lines file: the first object the post, the rest its comments."""
    lines = _lines(text)
    rows = []
    has_parent = False
    seen: set[str] = set()
    for n, line in lines:
        where = f"{origin}: line {n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            cut = n == lines[-1][0]
            hint = "; the file ends mid-way (truncated?)" if cut else ""
            raise SourceError(
                f"{where}: not valid JSON ({exc.msg}, column {exc.colno}){hint}"
            ) from None
        except RecursionError:
            raise SourceError(
                f"{where}: nested too deeply; give one flat {{...}} per line"
            ) from None
        if not isinstance(obj, dict):
            raise SourceError(f"{where}: not a JSON object; give one {{...}} per line")
        values = dict(zip(normalise_columns(obj), obj.values(), strict=True))
        missing = missing_columns(values)
        if missing:
            raise SourceError(
                f"{where}: lacks {', '.join(missing)}; each line needs {', '.join(REQUIRED)}"
            )
        has_parent = has_parent or "parent_id" in values
        seen.update(values)
        rows.append(make_row(values, where))
    warn_unread(seen, origin)
    return [build_thread(rows, origin, NAME, has_parent_column=has_parent)]
