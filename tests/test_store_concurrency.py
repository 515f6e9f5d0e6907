"""Two programs on one store at once: a dashboard open while an ingest writes, two ingests, and
an ingest while ``argmap db stop`` runs."""

from __future__ import annotations

from pathlib import Path

from argmap.graph.catalog import thread_ids
from argmap.graph.store import Store
from argmap.graph.thread_delete import delete_thread
from argmap.graph.writes import write_extractions, write_thread
from dashboard_pages import assert_clean, open_page
from test_overview import debate


def sidebar_warnings(at) -> list[str]:
    return [w.value for w in at.sidebar.warning]


def test_a_thread_still_being_extracted_does_not_pass_for_a_finished_one(
    argmap_env: Path, store: Store
) -> None:
    thread, claims, relations = debate("half")
    write_thread(store, thread)  # an ingest writes every post first, then extracts them in turn
    first = [thread.posts[0].id]
    write_extractions(store, first, [c for c in claims if c.post_id in first], [], "offline")
    at = open_page()
    waiting = sum(not p.is_spam for p in thread.posts) - 1
    (warning,) = sidebar_warnings(at)
    assert warning.startswith(f"{waiting} posts have no claims extracted yet: an ingest still")
    at.switch_page("views/graph.py").run()  # on every page, not only the Overview
    assert_clean(at)
    assert len(sidebar_warnings(at)) == 1
    write_extractions(store, [p.id for p in thread.posts], claims, relations, "offline")
    at.run()  # the ingest finished: the next click says nothing more
    assert_clean(at)
    assert sidebar_warnings(at) == []


def test_an_ingest_still_writing_a_thread_just_deleted_leaves_no_stray_claims(
    any_store: Store,
) -> None:
    # `argmap threads delete` while an ingest of that thread still extracts: the ingest's next
    # writes find no post. Stray claims would stay in the store (and its search index), and an
    # argmap JSON import of the thread would be refused: its claim ids "belong to another thread".
    thread, claims, relations = debate("raced")
    write_thread(any_store, thread)
    delete_thread(any_store, thread.id)
    write_extractions(any_store, [p.id for p in thread.posts], claims, relations, "offline")
    assert any_store.run_read("MATCH (c:Claim) RETURN count(c) AS n") == [{"n": 0}]
    assert thread_ids(any_store) == []
