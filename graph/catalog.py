"""What a store holds: its threads with their counts, and checks on what a user asks for.

Reading commands use these to say "this store holds no thread" instead of printing empty
tables, and to refuse a ``--thread`` id the store does not have instead of answering nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argmap.graph.scope import not_spam, thread_params, thread_scope
from argmap.graph.store import Store
from pydantic import BaseModel, field_validator

from argmap.core.errors import ArgmapError
from argmap.core.times import as_stored_now

EMPTY_STORE = "this store holds no thread — ingest one first (argmap ingest FILE, or argmap demo)"


class EmptyStore(ArgmapError):
    """The store (or graph) holds no thread."""


class UnknownThread(ArgmapError):
    """A thread id the store does not hold."""


class ThreadSummary(BaseModel):
    """One thread of a store, as ``argmap threads`` lists it."""

    id: str
    title: str | None = None
    source_format: str | None = None
    url: str | None = None
    published_at: str | None = None
    posts: int = 0  # every post: the article, the comments and the spam
    comments: int = 0  # comments not marked spam, as the Overview counts them
    spam: int = 0
    claims: int = 0
    relations: int = 0
    deleting: bool = False  # a deletion started and has not finished (graph.thread_delete)

    @field_validator("published_at")
    @classmethod
    def _one_convention(cls, value: str | None) -> str | None:
        return as_stored_now(value)  # an old store's naive text gets "+00:00"


def thread_ids(store: Store) -> list[str]:
    """Every thread id in the store, sorted."""
    rows = store.run_read("MATCH (t:Thread) RETURN t.id AS id ORDER BY id")
    return [r["id"] for r in rows]


def holds_a_thread(store: Store) -> bool:
    """Whether the store holds at least one thread."""
    return bool(store.run_read("MATCH (t:Thread) RETURN t.id AS id LIMIT 1"))


def require_thread(store: Store) -> None:
    """Raise ``EmptyStore`` when the store holds no thread."""
    if not holds_a_thread(store):
        raise EmptyStore(EMPTY_STORE)


def check_thread_ids(store: Store, wanted: Iterable[str] | None) -> list[str] | None:
    """``wanted`` back (``None`` for none), or ``UnknownThread`` naming the ids the store lacks."""
    chosen = thread_scope(wanted)  # refuses one id given bare, which would be read as letters
    if chosen is None:
        return None
    have = set(thread_ids(store))
    missing = [t for t in chosen if t not in have]
    if missing:
        listed = ", ".join(sorted(have)[:5]) + (" …" if len(have) > 5 else "")
        raise UnknownThread(
            f"no thread {', '.join(repr(m) for m in missing)} in this store"
            + (f" (it holds {listed}; `argmap threads` lists them)" if have else f"; {EMPTY_STORE}")
        )
    return chosen


def known_thread_params(store: Store, thread_ids: Iterable[str] | None) -> dict[str, Any]:
    """``scope.thread_params`` of ``thread_ids`` once ``check_thread_ids`` found each: a
    misspelt id from a script raises ``UnknownThread`` instead of matching nothing."""
    return thread_params(check_thread_ids(store, thread_ids))


def thread_summaries(store: Store) -> list[ThreadSummary]:
    """Every thread with its posts (and of them the comments not marked spam, and the spam),
    claims and relations, counted as ``graph.counts`` counts one thread, oldest first."""
    # count() skips the nulls the CASEs give for the article and the spam (and for no post).
    rows = store.run_read(
        "MATCH (t:Thread) "
        "OPTIONAL MATCH (p:Post) WHERE p.thread_id = t.id "
        f"WITH t, p, NOT {not_spam('p')} AS junk "
        "WITH t, count(p) AS posts, "
        "count(CASE WHEN coalesce(p.kind, '') <> 'article' AND NOT junk THEN p.id END) AS comments, "
        "count(CASE WHEN junk THEN p.id END) AS spam "
        # A post a reviewer marked spam keeps its claims for an undo, out of the debate.
        "OPTIONAL MATCH (q:Post)-[:MAKES]->(c:Claim) "
        f"WHERE q.thread_id = t.id AND {not_spam('q')} "
        "WITH t, posts, comments, spam, count(c) AS claims "
        # A relation counts in a thread when both its claims' posts are in it and not spam.
        "OPTIONAL MATCH (r:Post)-[:MAKES]->(:Claim)-[e:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(s:Post) "
        f"WHERE r.thread_id = t.id AND s.thread_id = t.id AND {not_spam('r')} AND {not_spam('s')} "
        "RETURN t.id AS id, t.title AS title, t.source_format AS source_format, t.url AS url, "
        "t.published_at AS published_at, posts, comments, spam, claims, count(e) AS relations, "
        "coalesce(t.deleting, false) AS deleting "
        "ORDER BY published_at, id"
    )
    return [ThreadSummary(**r) for r in rows]


def threads_being_deleted(store: Store) -> dict[str, str | None]:
    """Threads whose deletion started and has not finished (killed midway, or running now):
    id -> title. What is left of them is still listed, so readers say it is not whole."""
    rows = store.run_read(
        "MATCH (t:Thread) WHERE t.deleting = true RETURN t.id AS id, t.title AS title ORDER BY id"
    )
    return {r["id"]: r["title"] for r in rows}


def authors_like(store: Store, text: str, limit: int = 5) -> list[str]:
    """Authors whose name contains ``text`` (case-insensitive), the one named so first, then most
    posts first: what a person filter that matched nobody may have meant ("Pham Binh")."""
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.author IS NOT NULL AND toLower(p.author) CONTAINS toLower($q) "
        "WITH p.author AS author, count(p) AS n "
        "RETURN author, CASE WHEN toLower(author) = toLower($q) THEN 0 ELSE 1 END AS exact, n "
        "ORDER BY exact, n DESC, author LIMIT $limit",
        {"q": text.strip(), "limit": limit},
    )
    return [r["author"] for r in rows]
