"""An on-disk cache of model answers, so the same request is never paid for twice.

The key is sha256 over the model, the prompt version and the rendered input (the messages, the
response schema and, on a flattened page, the posts offered as parents and the heuristic's pick),
so a changed prompt, post, context, candidate set or model is a new key. How the schema is asked
for (``json_schema`` or ``json_object``) is not part of it: the answer means the same either way. Only answers
that parsed are stored. The cache is one SQLite file, safe to share between threads of a run
and between runs.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argmap.core.errors import ExtractionError


def cache_key(
    model: str,
    prompt_version: str,
    messages: list[dict[str, str]],
    schema: dict[str, Any],
    candidates: dict[str, Any] | None = None,
) -> str:
    """The cache key of one request; ``candidates``: the ids it offers (claims, parents)."""
    payload = json.dumps(
        {
            "model": model,
            "prompt_version": prompt_version,
            "messages": messages,
            "schema": schema,
            "candidates": candidates or {},
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class CachedAnswer:
    """The raw answer text and the usage of the request that produced it."""

    content: str
    prompt_tokens: int
    completion_tokens: int


class AnswerCache:
    """A SQLite file of answers by key."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self._lock = threading.Lock()
        fix = "; move it aside, or set ARGMAP_LLM_CACHE to another file or to off"
        if read_only:  # ``--dry-run`` looks up answers and must not create or change the file
            try:
                uri = self.path.resolve().as_uri() + "?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
                self._db.execute("SELECT count(*) FROM answers").fetchone()
            except sqlite3.Error as exc:
                raise ExtractionError(
                    f"cannot read the LLM answer cache {self.path}: {exc}{fix}"
                ) from None
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, model TEXT, "
                "prompt_version TEXT, content TEXT NOT NULL, prompt_tokens INTEGER, "
                "completion_tokens INTEGER, created_at TEXT DEFAULT CURRENT_TIMESTAMP)"
            )
        except (OSError, sqlite3.Error) as exc:
            raise ExtractionError(
                f"cannot open the LLM answer cache {self.path}: {exc}{fix}"
            ) from None

    def get(self, key: str) -> CachedAnswer | None:
        """The answer stored under ``key``, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT content, prompt_tokens, completion_tokens FROM answers WHERE key = ?",
                (key,),
            ).fetchone()
        return CachedAnswer(*row) if row else None

    def put(self, key: str, model: str, prompt_version: str, answer: CachedAnswer) -> None:
        """Store ``answer`` under ``key`` (replacing any earlier one)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, model, prompt_version, content, prompt_tokens, "
                "completion_tokens) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    key,
                    model,
                    prompt_version,
                    answer.content,
                    answer.prompt_tokens,
                    answer.completion_tokens,
                ),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
