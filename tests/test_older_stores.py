"""Stores an older argmap wrote: the current argmap resumes their threads, never copies them.

argmap before 2026-12-05 keyed a CSV/JSONL thread by its title (or URL) and first-row id only;
these tests write a thread the way it stored it (the older ids, from the same formula) and
ingest the same file with today's argmap.
"""

from __future__ import annotations

from pathlib import Path

from argmap.graph.catalog import thread_ids
from argmap.graph.store import Store
from argmap.graph.writes import write_thread
from argmap.ingest.pipeline import ingest
from argmap.ingest.sources import csv_rows

from argmap.core.ids import stable_id
from argmap.core.models import Thread

BIKES = (
    "id,author,text,posted_at,parent_id,title\n"
    'a,Editor,"Cities should build protected bike lanes on every main road.",'
    "2024-03-01T09:00:00Z,,Bike lanes\n"
    'c1,Ana,"I disagree: bike lanes take parking away from shops.",2024-03-01T10:00:00Z,a,\n'
    'c2,Ben,"That is not true, Ana. The shops reported higher sales.",2024-03-01T11:00:00Z,c1,\n'
)


def _as_older_argmap_stored(text: str, origin: str, author: str | None = None) -> Thread:
    """The thread of ``text`` under the ids argmap gave it before 2026-12-05."""
    thread = csv_rows.parse(text, origin)[0]
    old_tid = stable_id("t", "rows", thread.title, "a")
    keys = {p.id: key for p, key in zip(thread.posts, ("a", "c1", "c2"), strict=True)}
    old_pid = {pid: stable_id("p", old_tid, key) for pid, key in keys.items()}
    posts = [
        p.model_copy(
            update={
                "id": old_pid[p.id],
                "thread_id": old_tid,
                "parent_id": old_pid.get(p.parent_id) if p.parent_id else None,
                "author": author if author and p.kind == "article" else p.author,
            }
        )
        for p in thread.posts
    ]
    return thread.model_copy(update={"id": old_tid, "posts": posts})


def test_a_csv_thread_an_older_argmap_stored_is_resumed_not_copied(
    store: Store, tmp_path: Path
) -> None:
    older = _as_older_argmap_stored(BIKES, "bikes.csv")
    write_thread(store, older)
    path = tmp_path / "bikes.csv"
    path.write_text(BIKES, encoding="utf-8")

    ingest(path, store, extractor="offline")
    ingest(path, store, extractor="offline")

    assert thread_ids(store) == [older.id]
    posts = store.run_read("MATCH (p:Post) RETURN p.id AS id, p.thread_id AS tid")
    assert sorted(r["id"] for r in posts) == sorted(p.id for p in older.posts)
    assert {r["tid"] for r in posts} == {older.id}
    claims = store.run_read("MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN DISTINCT p.thread_id AS t")
    assert [r["t"] for r in claims] == [older.id]


def test_another_file_that_shared_only_the_older_key_stays_a_thread_of_its_own(
    store: Store, tmp_path: Path
) -> None:
    # Same title and first-row id, another article author: two threads, as for a new store.
    older = _as_older_argmap_stored(BIKES, "bikes.csv", author="Someone else")
    write_thread(store, older)
    path = tmp_path / "bikes.csv"
    path.write_text(BIKES, encoding="utf-8")

    ingest(path, store, extractor="offline")

    new_id = csv_rows.parse(BIKES, "bikes.csv")[0].id
    assert sorted(thread_ids(store)) == sorted([older.id, new_id])


def test_a_new_store_keys_the_thread_by_todays_ids(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bikes.csv"
    path.write_text(BIKES, encoding="utf-8")

    ingest(path, store, extractor="offline")

    assert thread_ids(store) == [csv_rows.parse(BIKES, "bikes.csv")[0].id]
