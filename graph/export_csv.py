"""CSV of a subgraph: ``claims.csv``, ``relations.csv`` and ``posts.csv``.

A path ending in ``.zip`` gets one zip archive holding the three files (one file to mail or
attach); any other path is a directory the three files are written into. UTF-8, comma-separated,
a header row, RFC 4180 quoting (``csv`` module defaults): pandas, R and spreadsheets read them.
Text is written as it is in the source; nothing is rewritten.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, Subgraph, select_subgraph

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


def _table(columns: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def csv_tables(sg: Subgraph) -> dict[str, str]:
    """File name -> CSV text for the three tables of ``sg``."""
    claims = [{**n.model_dump(), "grounded": n.label} for n in sg.nodes]
    return {
        "claims.csv": _table(CLAIM_COLUMNS, claims),
        "relations.csv": _table(RELATION_COLUMNS, [e.model_dump() for e in sg.edges]),
        "posts.csv": _table(POST_COLUMNS, [p.model_dump() for p in sg.posts]),
    }


def write_csv(sg: Subgraph, path: Path) -> None:
    """A zip archive if ``path`` ends in ``.zip``, else a directory of three files."""
    path = Path(path)
    tables = csv_tables(sg)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, text in tables.items():
                zf.writestr(name, text.encode("utf-8"))
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (path / name).write_text(text, encoding="utf-8", newline="")


def export_csv(store: Store, selection: Selection, path: Path) -> None:
    """Select ``selection`` and write its claims, relations and posts as CSV to ``path``."""
    write_csv(select_subgraph(store, selection), path)
