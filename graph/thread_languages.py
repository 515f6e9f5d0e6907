"""The language each thread is written in (``Thread.language``), as search and HTML pages read it.

It is told from the thread's own text when the thread is written (``argmap.core.languages``):
an ISO 639-1 code, or ``UNKNOWN`` ("und", BCP 47's "undetermined") when the text does not say,
so that a thread already looked at is told from one never looked at (``language IS NULL``: a
thread an older argmap wrote, given one when its store is opened).
"""

from __future__ import annotations

from collections.abc import Iterable

from argmap.graph.store import Store

from argmap.core.languages import detect_language
from argmap.core.models import Thread

UNKNOWN = "und"
# Posts read to tell a stored thread's language: more than detection reads (20,000 characters).
_SAMPLE_POSTS = 1000


def language_of(title: str | None, texts: Iterable[str | None]) -> str:
    """The language code of a thread with this title and these post texts (document order)."""
    return detect_language([title, *texts]) or UNKNOWN


def thread_language(thread: Thread) -> str:
    """The language code of ``thread``, told from its title and posts."""
    return language_of(thread.title, (p.text for p in thread.posts))


def known(language: str | None) -> str | None:
    """``language`` as a code to use (stemming, ``lang=``), or ``None`` when undetermined."""
    return None if language in (None, UNKNOWN) else language


def thread_languages(store: Store, thread_ids: list[str] | None = None) -> dict[str, str | None]:
    """Thread id -> its language code (``None``: unknown) for ``thread_ids`` (all when None)."""
    rows = store.run_read(
        "MATCH (t:Thread) WHERE $ids IS NULL OR t.id IN $ids RETURN t.id AS id, t.language AS lang",
        {"ids": thread_ids},
    )
    return {r["id"]: known(r["lang"]) for r in rows}


def told_language(store: Store, thread_id: str) -> str | None:
    """The language stored for ``thread_id`` as its first ingest told it (a code, or ``UNKNOWN``),
    ``None`` if none was told: what a re-extraction reads the thread in."""
    rows = store.run_read("MATCH (t:Thread {id: $id}) RETURN t.language AS lang", {"id": thread_id})
    return rows[0]["lang"] if rows else None


def post_languages(store: Store, post_ids: Iterable[str]) -> dict[str, str | None]:
    """Post id -> the language code of its thread (``None``: unknown)."""
    rows = store.run_read(
        "UNWIND $ids AS pid MATCH (p:Post {id: pid}) OPTIONAL MATCH (t:Thread {id: p.thread_id}) "
        "RETURN p.id AS id, t.language AS lang",
        {"ids": sorted(set(post_ids))},
    )
    return {r["id"]: known(r["lang"]) for r in rows}


def backfill_thread_languages(store: Store) -> list[str]:
    """Tell the language of every thread without one (an older argmap wrote it); return their
    ids. Idempotent."""
    todo = store.run_read(
        "MATCH (t:Thread) WHERE t.language IS NULL RETURN t.id AS id, t.title AS title"
    )
    for row in todo:
        posts = store.run_read(
            "MATCH (t:Thread {id: $id})-[:CONTAINS]->(p:Post) "
            "RETURN p.text AS text ORDER BY p.position LIMIT $n",
            {"id": row["id"], "n": _SAMPLE_POSTS},
        )
        store.run(
            "MATCH (t:Thread {id: $id}) SET t.language = $lang",
            {"id": row["id"], "lang": language_of(row["title"], (p["text"] for p in posts))},
        )
    return [r["id"] for r in todo]
