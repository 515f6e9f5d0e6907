"""What was sent through the Batch API, kept in a SQLite file so a later run can collect it.

Each batch is recorded with its thread, round and the requests it carries (the post, the
messages and the ids they offered), so its answers can be grounded without the source. The round
is recorded as soon as its requests file is uploaded, before the batch is asked for (status
``submitting``, under the upload's file id): a run stopped while the API accepted the batch
(Ctrl-C, SIGTERM while ``batches.create`` was answered) had not kept the batch id, and the next
run submitted, and paid for, the same requests again. Now the next run finds the batch made on
that file, or makes it, before anything else (``llm_batch_resume``). The round is recorded even
before its upload (status ``uploading``, under the file's name): a run stopped during the upload
left an unused file on the account, and uploaded the same requests again; now the next run
finds that file by its name and submits the round from it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argmap.ingest.extract.llm_context import PostRequest

from argmap.core.errors import ExtractionError
from argmap.core.models import Post

OPEN = ("validating", "in_progress", "finalizing", "cancelling", "submitted")
SUBMITTING = "submitting"  # uploaded, the batch asked for: its id not known yet
UPLOADING = "uploading"  # its requests file being uploaded: the file's id not known yet
_UPLOAD = "upload:"  # the id such a round is kept under until its batch's id is known
_NAMED = "file-named:"  # the id a round is kept under until its file's id is known


def upload_name(thread_id: str, number: int) -> str:
    """The file name round ``number`` of the thread uploads its requests under."""
    return f"argmap-{thread_id[:40]}-round{number}.jsonl"


def name_key(name: str) -> str:
    """The id a round is recorded under while its requests file ``name`` is uploaded."""
    return _NAMED + name


def uploading_file(record: BatchRecord) -> str:
    """The file name of a round recorded under ``name_key``."""
    return record.id.removeprefix(_NAMED)


def upload_key(file_id: str) -> str:
    """The id a round is recorded under while its batch is being made from ``file_id``."""
    return _UPLOAD + file_id


def uploaded_file(record: BatchRecord) -> str:
    """The requests file of a round recorded under ``upload_key``."""
    return record.id.removeprefix(_UPLOAD)


@dataclass
class BatchRecord:
    """One submitted batch."""

    id: str
    thread_id: str
    source: str
    round: int
    status: str
    model: str


def request_json(request: PostRequest) -> str:
    """``request`` as stored (everything grounding its answer needs)."""
    return json.dumps(
        {
            "post": request.post.model_dump(mode="json"),
            "messages": request.messages,
            "candidates": request.candidates,
            "parents": request.parents,
            "heuristic_parent": request.heuristic_parent,
        }
    )


def request_from_json(text: str) -> PostRequest:
    data: dict[str, Any] = json.loads(text)
    return PostRequest(
        Post.model_validate(data["post"]),
        data["messages"],
        data["candidates"],
        data["parents"],
        data["heuristic_parent"],
    )


class BatchState:
    """The batches file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.executescript(
                "CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, thread_id TEXT, "
                "source TEXT, round INTEGER, status TEXT, model TEXT, "
                "created_at TEXT DEFAULT CURRENT_TIMESTAMP);"
                "CREATE TABLE IF NOT EXISTS requests (batch_id TEXT, custom_id TEXT, "
                "post_id TEXT, cache_key TEXT, request TEXT, PRIMARY KEY (batch_id, custom_id));"
            )
        except (OSError, sqlite3.Error) as exc:
            raise ExtractionError(f"cannot open the batch file {self.path}: {exc}") from None

    def record(self, batch: BatchRecord, requests: list[tuple[str, PostRequest, str]]) -> None:
        """Record ``batch`` and its (custom id, request, cache key) rows, all or nothing."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO batches (id, thread_id, source, round, status, model) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (batch.id, batch.thread_id, batch.source, batch.round, batch.status, batch.model),
            )
            self._db.executemany(
                "INSERT INTO requests VALUES (?, ?, ?, ?, ?)",
                [(batch.id, cid, r.post.id, key, request_json(r)) for cid, r, key in requests],
            )

    def submitted(self, pending_id: str, batch_id: str, status: str) -> None:
        """The batch made for the round recorded as ``pending_id``: its rows move to ``batch_id``."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE batches SET id = ?, status = ? WHERE id = ?", (batch_id, status, pending_id)
            )
            self._db.execute(
                "UPDATE requests SET batch_id = ? WHERE batch_id = ?", (batch_id, pending_id)
            )

    def forget(self, pending_id: str) -> None:
        """Drop a round whose batch could not be made (its posts go into the next round)."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM requests WHERE batch_id = ?", (pending_id,))
            self._db.execute("DELETE FROM batches WHERE id = ?", (pending_id,))

    def submitting(self, thread_id: str, status: str = SUBMITTING) -> list[BatchRecord]:
        """The thread's rounds uploaded whose batch a stopped run may or may not have made
        (``status=UPLOADING``: whose requests file it may or may not have uploaded)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, thread_id, source, round, status, model FROM batches "
                "WHERE thread_id = ? AND status = ? ORDER BY rowid",
                (thread_id, status),
            ).fetchall()
        return [BatchRecord(*r) for r in rows]

    def get(self, batch_id: str) -> BatchRecord | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, thread_id, source, round, status, model FROM batches WHERE id = ?",
                (batch_id,),
            ).fetchone()
        return BatchRecord(*row) if row else None

    def open_batches(self, thread_id: str) -> list[BatchRecord]:
        """The thread's batches not collected yet, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, thread_id, source, round, status, model FROM batches "
                "WHERE thread_id = ? ORDER BY rowid",
                (thread_id,),
            ).fetchall()
        return [BatchRecord(*r) for r in rows if r[4] in OPEN]

    def last_round(self, thread_id: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT max(round) FROM batches WHERE thread_id = ?", (thread_id,)
            ).fetchone()
        return row[0] or 0

    def requests(self, batch_id: str) -> list[tuple[str, PostRequest, str]]:
        """The batch's (custom id, request, cache key) rows."""
        with self._lock:
            rows = self._db.execute(
                "SELECT custom_id, request, cache_key FROM requests WHERE batch_id = ? "
                "ORDER BY rowid",
                (batch_id,),
            ).fetchall()
        return [(cid, request_from_json(text), key) for cid, text, key in rows]

    def set_status(self, batch_id: str, status: str) -> None:
        with self._lock, self._db:
            self._db.execute("UPDATE batches SET status = ? WHERE id = ?", (status, batch_id))

    def close(self) -> None:
        with self._lock:
            self._db.close()
