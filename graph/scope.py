"""One meaning for "only these threads", shared by every query, page and export.

``None`` or an empty list means the whole store; a non-empty list means exactly those threads.
Queries take the filter as ``$tids`` in Cypher (null: no filter), before any LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# A post ``p`` in scope; the query binds ``p`` and passes ``thread_params(...)``.
POST_IN_SCOPE = "($tids IS NULL OR p.thread_id IN $tids)"
# A post ``p`` that is part of the debate: not marked spam (by the heuristics or a reviewer).
POST_NOT_SPAM = "(p.is_spam IS NULL OR p.is_spam = false)"


def thread_scope(thread_ids: Iterable[str] | None) -> list[str] | None:
    """The threads to keep, or ``None`` for all of them (an empty choice means all)."""
    chosen = list(thread_ids) if thread_ids is not None else []
    return chosen or None


def thread_params(thread_ids: Iterable[str] | None) -> dict[str, Any]:
    """``{"tids": ...}`` for a query that uses ``POST_IN_SCOPE``."""
    return {"tids": thread_scope(thread_ids)}
