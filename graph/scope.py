"""One meaning for "only these threads", shared by every query, page and export.

``None`` or an empty list means the whole store; a non-empty list means exactly those threads.
Queries take the filter as ``$tids`` in Cypher (null: no filter), before any LIMIT.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def in_scope(post: str = "p") -> str:
    """The condition "the post bound to ``post`` is in scope"; the query passes
    ``thread_params(...)``."""
    return f"($tids IS NULL OR {post}.thread_id IN $tids)"


def not_spam(post: str = "p") -> str:
    """The condition "the post bound to ``post`` is part of the debate": not marked spam (by
    the heuristics or a reviewer)."""
    return f"({post}.is_spam IS NULL OR {post}.is_spam = false)"


# The two conditions on a post bound to ``p``, as most queries name it.
POST_IN_SCOPE = in_scope("p")
POST_NOT_SPAM = not_spam("p")


def thread_scope(thread_ids: Iterable[str] | None) -> list[str] | None:
    """The threads to keep, or ``None`` for all of them (an empty choice means all)."""
    chosen = list(thread_ids) if thread_ids is not None else []
    return chosen or None


def thread_params(thread_ids: Iterable[str] | None) -> dict[str, Any]:
    """``{"tids": ...}`` for a query that uses ``POST_IN_SCOPE``."""
    return {"tids": thread_scope(thread_ids)}
