"""Deleting one thread (``argmap threads delete``, ``graph.thread_delete``): everything the
thread owns goes, in batches, resumably, and the store's other threads stay exactly as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argmap.dashboard.render import md
from argmap.graph import queries
from argmap.graph.catalog import (
    UnknownThread,
    thread_ids,
    thread_summaries,
    threads_being_deleted,
)
from argmap.graph.export_json import export_json
from argmap.graph.review_relations import accept, reject
from argmap.graph.revision import current_revision
from argmap.graph.store import Store
from argmap.graph.summary_reads import thread_list
from argmap.graph.thread_delete import delete_thread, plan_thread_deletion
from argmap.graph.writes import write_extractions
from dashboard_pages import assert_clean, open_page
from store_contract_data import AUTHORS, contract_thread, write_all
from test_overview import load
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.ids import person_id
from argmap.core.models import Relation


class Stored:
    """Three threads: ``one`` and ``two`` (the same people wrote both), and ``gone`` (the
    contract thread, whose authors wrote nothing else), with reviews on ``gone`` and ``two``."""

    def __init__(self, store: Store) -> None:
        self.one, _, _ = load(store, "one")
        self.two, _, two_rels = load(store, "two")
        self.gone = contract_thread()
        self.gone_claims, rels = write_all(store, self.gone)
        accept(store, rels[0].source, rels[0].target, "Rita")
        reject(store, rels[1].source, rels[1].target, "Rita")
        accept(store, two_rels[0].source, two_rels[0].target, "Rita")
        self.kept = {t: export_json(store, [t]) for t in (self.one.id, self.two.id)}
        self.others = {person_id(p.author) for p in (*self.one.posts, *self.two.posts)}
        # "Ann" wrote in every thread; the others wrote only the thread that goes.
        self.lone = {person_id(a) for a in AUTHORS} - self.others
        assert len(self.lone) == len(AUTHORS) - 1


def interrupt(done: int) -> None:
    raise KeyboardInterrupt  # as Ctrl-C between two batches


def nodes(store: Store, label: str) -> set[str]:
    return {r["id"] for r in store.run_read(f"MATCH (n:{label}) RETURN n.id AS id")}


def test_a_deleted_thread_leaves_nothing_and_the_others_exactly_as_they_were(
    any_store: Store,
) -> None:
    s = Stored(any_store)
    plan = plan_thread_deletion(any_store, s.gone.id)
    assert (plan.posts, plan.claims, plan.relations, plan.cross_thread) == (4, 4, 2, 0)
    # The rejected relation is no longer one; of its 4 authors, Ann wrote in the other threads.
    assert (plan.reviews, plan.persons) == (2, 3)
    gone = delete_thread(any_store, s.gone.id, batch=3)
    assert gone.model_copy(update={"batches": 0}) == plan and gone.batches == 2
    assert thread_ids(any_store) == sorted([s.one.id, s.two.id])
    for t, before in s.kept.items():
        assert export_json(any_store, [t]) == before  # posts, claims, relations, reviews
    assert not nodes(any_store, "Post") & {p.id for p in s.gone.posts}
    assert not nodes(any_store, "Claim") & {c.id for c in s.gone_claims}
    # Its lone authors go; the people of the other threads stay.
    assert nodes(any_store, "Person") == s.others
    # Its review decisions and their per-item counters go; thread two's stay.
    reviews = any_store.run_read("MATCH (r:Review) RETURN r.thread_id AS t")
    assert [r["t"] for r in reviews] == [s.two.id]
    assert len(nodes(any_store, "ReviewItem")) == 1  # the relation reviewed in thread two
    # Search forgets its words; the summary a dashboard reads is current, without the thread.
    assert queries.search(any_store, "procedures heavy") == []
    assert [t["id"] for t in thread_list(any_store)] == sorted([s.one.id, s.two.id])


def test_a_deletion_cut_short_is_finished_by_running_it_again(any_store: Store) -> None:
    s = Stored(any_store)
    first = plan_thread_deletion(any_store, s.gone.id)

    with pytest.raises(KeyboardInterrupt):
        delete_thread(any_store, s.gone.id, batch=1, progress=interrupt)
    # Still listed, with what is left and marked as partly deleted, so the user can see it and
    # run the command again; nothing reads it as a whole thread.
    assert threads_being_deleted(any_store) == {s.gone.id: s.gone.title}
    assert [t.deleting for t in thread_summaries(any_store)] == [False, False, True]
    left = plan_thread_deletion(any_store, s.gone.id)
    assert left.posts == first.posts - 1 and left.reviews == first.reviews
    delete_thread(any_store, s.gone.id, batch=1)
    assert thread_ids(any_store) == sorted([s.one.id, s.two.id])
    assert threads_being_deleted(any_store) == {}
    for t, before in s.kept.items():
        assert export_json(any_store, [t]) == before
    assert nodes(any_store, "Person") == s.others
    with pytest.raises(UnknownThread, match="nothing was deleted"):
        delete_thread(any_store, s.gone.id)


def test_a_relation_to_another_threads_claim_goes_with_the_deleted_end(any_store: Store) -> None:
    s = Stored(any_store)
    two = export_json(any_store, [s.two.id])
    link = Relation(  # as a Kialo debate's cross-link between two theses
        source=two["claims"][0]["id"],
        target=s.gone_claims[0].id,
        type="supports",
        confidence=1.0,
        rationale="cross-link",
        extractor="kialo",
    )
    write_extractions(any_store, [], [], [link], "kialo")
    plan = plan_thread_deletion(any_store, s.gone.id)
    assert (plan.relations, plan.cross_thread) == (3, 1)
    delete_thread(any_store, s.gone.id)
    assert export_json(any_store, [s.two.id]) == two  # its claim stays, without the link
    assert export_json(any_store, [s.one.id]) == s.kept[s.one.id]


def test_ingesting_a_partly_deleted_thread_again_makes_it_whole(any_store: Store) -> None:
    s = Stored(any_store)
    with pytest.raises(KeyboardInterrupt):
        delete_thread(any_store, s.gone.id, batch=1, progress=interrupt)
    write_all(any_store, s.gone)  # what `argmap ingest` of its file writes
    assert threads_being_deleted(any_store) == {}
    assert plan_thread_deletion(any_store, s.gone.id).posts == len(s.gone.posts)


def test_deleting_raises_the_revision_a_dashboard_caches_on(any_store: Store) -> None:
    s = Stored(any_store)
    before = current_revision(any_store)
    delete_thread(any_store, s.gone.id)
    assert current_revision(any_store) > before


def test_an_open_dashboard_drops_the_thread_on_its_next_run(argmap_env: Path, store: Store) -> None:
    s = Stored(store)
    at = open_page()
    picker = at.sidebar.multiselect(key="threads")
    assert len(picker.options) == 3
    picker.set_value([s.gone.id, s.two.id]).run()  # the reader is looking at it
    assert_clean(at)
    delete_thread(store, s.gone.id)
    at.run()  # the next click: no restart
    assert_clean(at)
    picker = at.sidebar.multiselect(key="threads")
    assert len(picker.options) == 2 and picker.value == [s.two.id]
    claims = len(export_json(store, [s.two.id])["claims"])
    assert {m.label: int(m.value) for m in at.metric}["Claims"] == claims


def test_a_deletion_cut_short_is_named_in_the_dashboard_sidebar(
    argmap_env: Path, store: Store
) -> None:
    s = Stored(store)
    with pytest.raises(KeyboardInterrupt):
        delete_thread(store, s.gone.id, batch=1, progress=interrupt)
    at = open_page()
    said = [w.value for w in at.sidebar.warning]
    assert len(said) == 1 and "is being deleted, or its deletion stopped midway" in said[0]
    assert md(s.gone.id) in said[0]  # as Markdown shows it literally
    at.sidebar.multiselect(key="threads").set_value([s.one.id]).run()  # not among those chosen
    assert_clean(at)
    assert [w.value for w in at.sidebar.warning] == []


# --- The command --------------------------------------------------------------------------


def run(*args: str, answer: str | None = None) -> Any:
    return CliRunner().invoke(app, ["threads", *args], input=answer)


def test_the_command_says_what_would_go_asks_and_deletes(argmap_env: Path, store: Store) -> None:
    s = Stored(store)
    dry = run("delete", s.gone.id, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith(f"would delete thread {s.gone.id!r} (")
    assert "4 posts, 4 claims, 2 relations, 2 reviews, 3 people who wrote in no other thread" in (
        dry.output
    )
    assert s.gone.id in thread_ids(store)
    declined = run("delete", s.gone.id, answer="n\n")
    assert declined.exit_code == 1 and "Delete thread" in declined.output
    assert s.gone.id in thread_ids(store)
    done = run("delete", s.gone.id, "--yes")
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"deleted thread {s.gone.id!r}")
    assert thread_ids(store) == sorted([s.one.id, s.two.id])
    listed = run("--json")
    assert listed.exit_code == 0 and s.gone.id not in listed.output


def test_an_unknown_thread_is_one_line_naming_the_ones_there(
    argmap_env: Path, store: Store
) -> None:
    s = Stored(store)
    result = run("delete", "t_nope", "--yes")
    assert result.exit_code == 1
    line = result.output.strip()
    assert "\n" not in line and "no thread 't_nope' in this store" in line
    assert s.one.id in line and "nothing was deleted" in line
    assert len(thread_ids(store)) == 3
