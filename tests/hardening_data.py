"""Issue 18's shared test data (``tests/test_hardening_*.py``): a three-post CSV thread, writers
for it as CSV and JSON lines, a node counter and the CLI runner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from argmap.graph.store import Store
from typer.testing import CliRunner

runner = CliRunner()


def _count(store: Store, what: str) -> int:
    return store.run_read(f"MATCH (n:{what}) RETURN count(n) AS n")[0]["n"]


def _write_rows(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    {"id": "p1", "author": "Council", "posted_at": "2024-05-02T09:00:00Z", "parent_id": "",
     "text": "The library will close on Sundays. Staff costs have doubled since 2019."},
    {"id": "c1", "author": "Ines", "posted_at": "2024-05-02T09:30:00Z", "parent_id": "p1",
     "text": "I disagree. Closing on Sunday hurts working parents most."},
    {"id": "c2", "author": "Tomas", "posted_at": "2024-05-02T09:50:00Z", "parent_id": "c1",
     "text": "That's not true. Weekday evenings would serve working parents as well."},
]  # fmt: skip


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path
