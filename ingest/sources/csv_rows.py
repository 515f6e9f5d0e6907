"""``csv``: one comment per row, with a header naming the columns (see ``ingest.sources.rows``).

Commas are the usual separator; semicolons and tabs (spreadsheet exports) are read too, and so is
Excel's ``sep=;`` line before the header. Cells may hold line breaks inside double quotes.
"""

from __future__ import annotations

import csv
import io
import re

from argmap.ingest.sources.rows import (
    COLUMNS,
    REQUIRED,
    build_thread,
    make_row,
    missing_columns,
    normalise_columns,
    warn_unread,
)

from argmap.core.errors import SourceError
from argmap.core.models import Thread

NAME = "csv"
DELIMITERS = (",", ";", "\t")
# A comment can be megabytes long; the csv module refuses cells over 128 KB unless told.
MAX_CELL = 256 * 2**20
if csv.field_size_limit() < MAX_CELL:
    csv.field_size_limit(MAX_CELL)


# Excel's separator hint, a line of its own before the header ("sep=;").
_SEP_LINE = re.compile(r"sep=.\r?\n", re.I)


def _body(text: str) -> str:
    """The rows, header first: without the byte-order mark or Excel's ``sep=`` line."""
    text = text.lstrip("\ufeff")
    hint = _SEP_LINE.match(text)
    return text[hint.end() :] if hint else text


def _header(text: str) -> str:
    return _body(text).split("\n", 1)[0].rstrip("\r")


def _columns(line: str, delimiter: str) -> list[str]:
    try:
        return normalise_columns(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return []  # not a header line at all


def _delimiter(line: str) -> str | None:
    """The separator under which the header line names the required columns."""
    for d in DELIMITERS:
        if not missing_columns(_columns(line, d)):
            return d
    return None


def detect(text: str) -> bool:
    """A first line that is a header naming ``id``, ``author`` and ``text``."""
    return _delimiter(_header(text)) is not None


def parse(text: str, origin: str) -> list[Thread]:
    """The thread in a CSV file: the first row the post, the rest its comments."""
    line = _header(text)
    delimiter = _delimiter(line)
    if delimiter is None:
        missing = missing_columns(_columns(line, ","))
        raise SourceError(
            f"{origin}: the CSV header lacks the column(s) {', '.join(missing)}; "
            f"the first line must name {', '.join(REQUIRED)} (and optionally {', '.join(COLUMNS[3:])})"
        )
    skipped = 1 if _SEP_LINE.match(text.lstrip("\ufeff")) else 0  # line numbers are the file's
    reader = csv.reader(io.StringIO(_body(text), newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        columns = normalise_columns(next(reader))
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank line
            where = f"{origin}: line {reader.line_num + skipped}"
            if len(values) != len(columns):
                hint = " (truncated?)" if len(values) < len(columns) else ""
                raise SourceError(
                    f"{where}: {len(values)} cells where the header names {len(columns)}{hint}"
                )
            rows.append(make_row(dict(zip(columns, values, strict=True)), where))
    except csv.Error as exc:
        hint = (
            "; the file ends inside a quoted cell (truncated?)" if "end of data" in str(exc) else ""
        )
        raise SourceError(
            f"{origin}: line {reader.line_num + skipped}: not valid CSV ({exc}){hint}"
        ) from None
    warn_unread(columns, origin)
    return [build_thread(rows, origin, NAME, has_parent_column="parent_id" in columns)]
