"""Removing one thread from a store: its posts, claims, relations, reviews and lone authors.

Everything a thread owns goes, in batches of posts (a 20k-comment thread is not one giant
transaction), and nothing another thread owns is touched, with one exception: a relation between
a claim of this thread and a claim of another (a Kialo debate's cross-links between theses) needs
both ends, so it goes with this thread's claim. A person keeps their node while they wrote in
another thread. The thread is marked ``deleting`` first and its node goes last, so a run killed
midway still lists the thread as partly deleted (``catalog.threads_being_deleted``) and running
it again finishes the job; a run over a thread that is already gone says so (``UnknownThread``).
"""

from __future__ import annotations

from collections.abc import Callable

from argmap.graph.catalog import UnknownThread, thread_ids
from argmap.graph.revision import bump_revision
from argmap.graph.schema import id_seek
from argmap.graph.store import Store
from argmap.graph.summary import refresh_summary
from pydantic import BaseModel

BATCH = 500  # posts a transaction deletes, with their claims and relations (bench/thread_delete.py)


class ThreadDeletion(BaseModel):
    """What deleting one thread removes (counted before anything goes)."""

    thread_id: str
    title: str | None = None
    posts: int = 0  # the article, the comments and the spam
    claims: int = 0
    relations: int = 0  # rebuts/supports with this thread's claim at one end or both
    cross_thread: int = 0  # of those, the ones whose other end is another thread's claim
    reviews: int = 0  # review decisions recorded on this thread
    persons: int = 0  # authors who wrote in no other thread
    batches: int = 0  # transactions the posts went in (0 for a dry run)


def _thread_match(store: Store) -> str:
    return f"MATCH (t:Thread {{id: $tid}}){id_seek(store, 't', 'Thread')} "


def plan_thread_deletion(store: Store, thread_id: str) -> ThreadDeletion:
    """What ``delete_thread`` would remove; ``UnknownThread`` if the store has no such thread."""
    found = store.run_read(_thread_match(store) + "RETURN t.title AS title", {"tid": thread_id})
    if not found:
        have = thread_ids(store)
        listed = ", ".join(have[:5]) + (" …" if len(have) > 5 else "")
        raise UnknownThread(
            f"no thread {thread_id!r} in this store"
            + (f" (it holds {listed}; `argmap threads` lists them)" if have else "")
            + "; nothing was deleted"
        )
    tid = {"tid": thread_id}
    posts = store.run_read(
        _thread_match(store) + "MATCH (t)-[:CONTAINS]->(p:Post) "
        "OPTIONAL MATCH (p)-[:MAKES]->(c:Claim) RETURN count(DISTINCT p) AS posts, count(c) AS claims",
        tid,
    )[0]
    out = store.run_read(
        _thread_match(store) + "MATCH (t)-[:CONTAINS]->(:Post)-[:MAKES]->(:Claim)"
        "-[e:REBUTS|SUPPORTS]->(:Claim)<-[:MAKES]-(q:Post) "
        "RETURN count(e) AS n, count(CASE WHEN q.thread_id <> $tid THEN 1 END) AS cross",
        tid,
    )[0]
    into = store.run_read(
        _thread_match(store) + "MATCH (t)-[:CONTAINS]->(:Post)-[:MAKES]->(:Claim)"
        "<-[e:REBUTS|SUPPORTS]-(:Claim)<-[:MAKES]-(q:Post) WHERE q.thread_id <> $tid "
        "RETURN count(e) AS n",
        tid,
    )[0]
    reviews = store.run_read("MATCH (r:Review) WHERE r.thread_id = $tid RETURN count(r) AS n", tid)[
        0
    ]
    persons = store.run_read(
        _thread_match(store) + "MATCH (t)-[:CONTAINS]->(:Post)<-[:WROTE]-(u:Person) "
        "WITH DISTINCT u OPTIONAL MATCH (u)-[:WROTE]->(q:Post) WHERE q.thread_id <> $tid "
        "WITH u, count(q) AS elsewhere WHERE elsewhere = 0 RETURN count(u) AS n",
        tid,
    )[0]
    return ThreadDeletion(
        thread_id=thread_id,
        title=found[0]["title"],
        posts=posts["posts"],
        claims=posts["claims"],
        relations=out["n"] + into["n"],
        cross_thread=out["cross"] + into["n"],
        reviews=reviews["n"],
        persons=persons["n"],
    )


def _delete_posts(store: Store, post_ids: list[str], thread_id: str) -> None:
    """One batch: the posts' lone authors, their claims (and so every relation at a claim),
    then the posts; each step is idempotent, so a batch cut short is finished by the next run."""
    params = {"ids": post_ids, "tid": thread_id}
    # Authors first, while their posts still say who they are: one who wrote in no other thread
    # goes (all of their posts here are going anyway); one who did stays.
    store.run(
        f"UNWIND $ids AS pid MATCH (u:Person)-[:WROTE]->(p:Post {{id: pid}}){id_seek(store, 'p', 'Post')} "
        "WITH DISTINCT u OPTIONAL MATCH (u)-[:WROTE]->(q:Post) WHERE q.thread_id <> $tid "
        "WITH u, count(q) AS elsewhere WHERE elsewhere = 0 DETACH DELETE u",
        params,
    )
    store.run(
        f"UNWIND $ids AS pid MATCH (p:Post {{id: pid}}){id_seek(store, 'p', 'Post')} "
        "MATCH (p)-[:MAKES]->(c:Claim) DETACH DELETE c",
        params,
    )
    store.run(
        f"UNWIND $ids AS pid MATCH (p:Post {{id: pid}}){id_seek(store, 'p', 'Post')} "
        "DETACH DELETE p",
        params,
    )


def _delete_reviews(store: Store, thread_id: str) -> None:
    """The thread's review decisions and the per-item version counters they kept."""
    rows = store.run_read(
        "MATCH (r:Review) WHERE r.thread_id = $tid RETURN r.items AS items", {"tid": thread_id}
    )
    keys = sorted({k for r in rows for k in (r["items"] or [])})
    # Counters before the reviews: a run cut short between the two still finds the keys.
    for i in range(0, len(keys), BATCH):
        store.run(
            f"UNWIND $keys AS k MATCH (i:ReviewItem {{id: k}}){id_seek(store, 'i', 'ReviewItem')} "
            "DELETE i",
            {"keys": keys[i : i + BATCH]},
        )
    store.run("MATCH (r:Review) WHERE r.thread_id = $tid DETACH DELETE r", {"tid": thread_id})


def delete_thread(
    store: Store,
    thread_id: str,
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
    refresh: bool = True,
) -> ThreadDeletion:
    """Delete thread ``thread_id`` and all it owns (see the module's docstring); returns what went.

    ``progress`` is called with the number of posts deleted so far after each batch; with
    ``refresh`` the graph's summary is recomputed at the end, as an ingest does (the Overview of
    a big graph would otherwise be computed live until the next write). Raises
    ``UnknownThread`` (nothing deleted) for a thread the store does not hold.
    """
    plan = plan_thread_deletion(store, thread_id)
    # Marked first: a run cut short leaves a thread that readers say is partly deleted, not one
    # that passes for whole (argmap threads, the dashboard's sidebar); re-ingesting it unmarks it.
    store.run(_thread_match(store) + "SET t.deleting = true", {"tid": thread_id})
    bump_revision(store)
    done = batches = 0
    while True:
        rows = store.run_read(
            _thread_match(store) + "MATCH (t)-[:CONTAINS]->(p:Post) RETURN p.id AS id LIMIT $n",
            {"tid": thread_id, "n": batch},
        )
        if not rows:
            break
        _delete_posts(store, [r["id"] for r in rows], thread_id)
        # Each batch raises the revision: a dashboard open meanwhile does not serve its cache.
        bump_revision(store)
        done += len(rows)
        batches += 1
        if progress is not None:
            progress(done)
    _delete_reviews(store, thread_id)
    store.run(_thread_match(store) + "DETACH DELETE t", {"tid": thread_id})
    bump_revision(store)
    if refresh:
        refresh_summary(store)
    return plan.model_copy(update={"batches": batches})
