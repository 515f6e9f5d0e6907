"""Reading an embedded store's append-only log: its parts, its commands, what kind of log it is.

argmap before 2026-12-05 let FalkorDB log every write *query* (``GRAPH.QUERY``) and never had the
log rewritten below 64 MB. Loading such a log re-runs every query, and a loading server runs
them as if it had no index (the log creates the indexes first, yet the 488 queries of a
20,000-comment store were still loading after 10 minutes; on a running server they take 25 s
with the indexes and run at the loader's pace without them): each ``MATCH (p:Post {id: ...})``
scans its label, so the replay grows with the square of the store. ``graph.log_convert`` uses
this module to find such a log and to send its commands again.

The log is Redis's multi-part AOF: ``appendonlydir/`` holds a manifest naming a base file (an RDB
snapshot, or an older AOF) and the incremental files written since, each a series of RESP arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

LOG_DIR = "appendonlydir"
MANIFEST = "appendonly.aof.manifest"
# Logged queries past this many bytes are replayed on a running server, not by the loader: below
# it the loader's replay takes well under a second.
CONVERT_MIN_BYTES = 256 * 1024


@dataclass(frozen=True)
class LogPart:
    name: str
    kind: str  # "b" base, "h" history (already rewritten, not loaded), "i" incremental


def log_parts(data_dir: Path) -> list[LogPart]:
    """The parts the manifest of ``data_dir``'s log names, in load order ([] without a log)."""
    try:
        text = (data_dir / LOG_DIR / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    parts = []
    for line in text.splitlines():
        # "file NAME seq N type T [startoffset ...]": key/value pairs after the name.
        words = line.split()
        if len(words) < 2 or words[0] != "file":
            continue
        fields = dict(zip(words[2::2], words[3::2], strict=False))
        parts.append(LogPart(words[1], fields.get("type", "")))
    return [p for p in parts if p.kind == "b"] + [p for p in parts if p.kind == "i"]


def _read_line(fh: BinaryIO) -> bytes | None:
    line = fh.readline()
    if not line.endswith(b"\r\n"):
        return None  # end of file, or a line cut short by a crash (the loader skips it too)
    return line[:-2]


def _count(line: bytes | None, prefix: bytes) -> int | None:
    if line is None or not line.startswith(prefix):
        return None
    try:
        return int(line[1:])
    except ValueError:
        return None


def _read_command(fh: BinaryIO, skip_args_after: int | None) -> tuple[list[bytes], int] | None:
    n = _count(_read_line(fh), b"*")
    if n is None:
        return None
    args: list[bytes] = []
    size = 0
    for i in range(n):
        length = _count(_read_line(fh), b"$")
        if length is None:
            return None
        size += length
        if skip_args_after is not None and i >= skip_args_after:
            fh.seek(length + 2, 1)
            continue
        value = fh.read(length + 2)
        if len(value) != length + 2:
            return None
        args.append(value[:length])
    return args, size


def commands(path: Path) -> Iterator[list[bytes]]:
    """The commands of one log file, in order; a command cut short at the end is left out, as
    the server's loader leaves it out (``aof-load-truncated``)."""
    with open(path, "rb") as fh:
        while (command := _read_command(fh, None)) is not None:
            yield command[0]


def logged_query_bytes(data_dir: Path) -> int:
    """How many bytes of ``GRAPH.QUERY`` commands the incremental parts of the log hold: the
    queries a loading server would re-run (0 without a log). Only command names are read."""
    total = 0
    for part in log_parts(data_dir):
        path = data_dir / LOG_DIR / part.name
        if part.kind != "i" or not path.is_file():
            continue
        end = path.stat().st_size
        with open(path, "rb") as fh:
            # Arguments past the name are skipped by seeking; one cut short seeks past the end.
            while (command := _read_command(fh, 1)) is not None and fh.tell() <= end:
                args, size = command
                if args and args[0].upper() == b"GRAPH.QUERY":
                    total += size
    return total
