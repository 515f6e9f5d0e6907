"""CSV of a subgraph: ``claims.csv``, ``relations.csv`` and ``posts.csv``.

A path ending in ``.zip`` gets one zip archive holding the three files (one file to mail or
attach); any other path is a directory the three files are written into. UTF-8, comma-separated,
a header row, CRLF line endings and RFC 4180 quoting (``csv`` module defaults): pandas, R and spreadsheets read them.
Text is written as it is in the source; nothing is rewritten, unless ``spreadsheet_safe`` asks for
a file for a spreadsheet: cells it cannot run (:func:`defuse`) and a UTF-8 byte-order mark
(:func:`encoding`).
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import signal
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph, select_subgraph

# What the renames hold back (Ctrl-C, SIGTERM, SIGHUP): a few microseconds.
_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}

CLAIM_COLUMNS = [
    "id",
    "text",
    "quote",
    "start",
    "end",
    "post_id",
    "author",
    "posted_at",
    "thread_id",
    "thread_title",
    "hop",
    "grounded",
]
RELATION_COLUMNS = ["source", "target", "type", "confidence", "rationale"]
POST_COLUMNS = [
    "id",
    "thread_id",
    "kind",
    "author",
    "posted_at",
    "position",
    "parent_id",
    "is_spam",
    "text",
]

# What Excel and LibreOffice read as the start of a formula (OWASP, "CSV injection"): a cell
# "=HYPERLINK(...)" in a comment would otherwise run when a journalist opens the file.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """``value`` as a spreadsheet shows it without running it: text that starts like a formula
    gets a ``'`` in front (OWASP's advice); numbers, booleans and empty cells are left alone (a
    negative confidence or offset is a number, not text a spreadsheet would run)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def encoding(spreadsheet_safe: bool) -> str:
    """The files' encoding: ``utf-8-sig`` (UTF-8 after a byte-order mark) for a spreadsheet,
    plain ``utf-8`` otherwise."""
    # Excel reads a CSV without a BOM in the machine's code page (Windows-1252 in Western
    # Europe): "Ça va" opens as "Ã‡a va". The BOM tells it UTF-8. A data tool that reads with
    # plain "utf-8" (Python's csv, R's read.csv) would see it in the first column's name, so
    # only the file asked for a spreadsheet carries it.
    return "utf-8-sig" if spreadsheet_safe else "utf-8"


def _table(columns: list[str], rows: list[dict], spreadsheet_safe: bool = False) -> str:
    buf = io.StringIO()
    # CRLF, as RFC 4180 has it: the writer quotes a cell holding any character of the line
    # ending, so a bare carriage return in a comment stays inside its cell (with "\n" it did
    # not, and the reader split the row there).
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: defuse(v) for k, v in row.items()} if spreadsheet_safe else row)
    return buf.getvalue()


def csv_tables(sg: Subgraph, spreadsheet_safe: bool = False) -> dict[str, str]:
    """File name -> CSV text for the three tables of ``sg``; ``spreadsheet_safe`` defuses every
    text cell that a spreadsheet would run as a formula (:func:`defuse`)."""
    claims = [{**n.model_dump(), "grounded": n.label} for n in sg.nodes]
    return {
        "claims.csv": _table(CLAIM_COLUMNS, claims, spreadsheet_safe),
        "relations.csv": _table(
            RELATION_COLUMNS, [e.model_dump() for e in sg.edges], spreadsheet_safe
        ),
        "posts.csv": _table(POST_COLUMNS, [p.model_dump() for p in sg.posts], spreadsheet_safe),
    }


def write_csv(sg: Subgraph, path: Path, spreadsheet_safe: bool = False) -> None:
    """A zip archive if ``path`` ends in ``.zip``, else a directory of three files;
    ``spreadsheet_safe``: cells defused and a UTF-8 byte-order mark first (:func:`encoding`)."""
    path = Path(path)
    tables = csv_tables(sg, spreadsheet_safe)
    charset = encoding(spreadsheet_safe)
    if path.suffix.lower() == ".zip":
        # Each file dated the export day at midnight, not the clock's second (zipfile's
        # default): the same selection exported the same day is the same archive, byte for
        # byte, as the pictures are, and the dashboard's download equals `argmap export`'s.
        day = date.today()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in tables.items():
                info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16  # what writestr(name, ...) gave
                zf.writestr(info, text.encode(charset))
        return
    path.mkdir(parents=True, exist_ok=True)
    _write_folder(path, {name: text.encode(charset) for name, text in tables.items()})


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into ``folder`` all at once: each to a temporary ``.argmap-*`` name first,
    then the renames together with signals held back, so a Ctrl-C, SIGTERM or SIGHUP (or a
    full disk) leaves the previous export or this one, never a mix or a file cut short."""
    # Written in place, a stopped export left an empty claims.csv, or a new claims.csv beside
    # the previous export's relations.csv and posts.csv: a folder that looked complete.
    temps = {name: folder / f".argmap-{secrets.token_hex(6)}-{name}" for name in files}
    try:
        for name, data in files.items():
            temps[name].write_bytes(data)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:  # a signal sent meanwhile is delivered, and ends the command, once all are in place
            for name, tmp in temps.items():
                os.replace(tmp, folder / name)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)


def export_csv(
    store: Store, selection: Selection, path: Path, spreadsheet_safe: bool = False
) -> None:
    """Select ``selection`` and write its claims, relations and posts as CSV to ``path``;
    ``spreadsheet_safe``: for Excel and LibreOffice, cells defused (not verbatim) and a UTF-8
    byte-order mark first."""
    write_csv(select_subgraph(store, selection), path, spreadsheet_safe)
