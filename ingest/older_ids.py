"""Threads an older argmap stored under other ids: a re-ingest lands on them, not beside them.

argmap 2026-12-05 added the article's author and time to a CSV/JSONL thread's id (two files
sharing a title and a first-row id are two threads). A store written before holds the same file
under the older ids; without this step, ingesting the file again would add a second copy of the
thread beside the first instead of resuming it.
"""

from __future__ import annotations

from argmap.graph.catalog import thread_ids
from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store

from argmap.core.models import Thread


def keep_older_ids(store: Store | None, thread: Thread) -> Thread:
    """``thread`` under the ids an older argmap gave it, when ``store`` holds it only under
    those (``Thread.older_ids``); else ``thread`` as it is."""
    older = thread.older_ids or {}
    old_id = older.get(thread.id)
    if store is None or not old_id or old_id == thread.id:
        return thread
    stored = set(thread_ids(store))
    if thread.id in stored or old_id not in stored:
        return thread  # a new thread, or one this argmap already stores under its own ids
    article = thread.article
    stored_article = [p for p in thread_posts(store, [old_id])[1] if p["kind"] == "article"]
    if not stored_article or stored_article[0]["author"] != article.author:
        # Another file's thread that shared the older key (title and first-row id) only: the
        # new key tells them apart, as it does for a store this argmap wrote.
        return thread
    posts = [
        p.model_copy(
            update={
                "id": older.get(p.id, p.id),
                "thread_id": old_id,
                "parent_id": older.get(p.parent_id, p.parent_id) if p.parent_id else None,
            }
        )
        for p in thread.posts
    ]
    return thread.model_copy(update={"id": old_id, "posts": posts, "older_ids": None})
