"""Review edits on a big graph refresh the summary in the background (graph.summary_refresh):
coalesced, stamped with the revision read at the start, never a stale number on show, and a
refresh that fails leaves one log line and a stale summary.

"Big" is a parameter here (``max_claims=10``), so the sample counts as big. The refresh is the
real one; a gate around its computation (``Gate``) holds it half-way, so an edit can land during
it at a point the test chooses. Nothing waits on a clock: the test waits for the refresher.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from argmap.graph import counts, summary_reads
from argmap.graph import review_actions as act
from argmap.graph.embedded_stop import stop_server
from argmap.graph.review_history import undo
from argmap.graph.revision import current_revision
from argmap.graph.store import Store, open_store
from argmap.graph.summary import Summary, compute_summary, is_fresh, refresh_summary
from argmap.graph.summary_refresh import (
    REVIEW_REFRESH_MAX_CLAIMS,
    BackgroundRefresher,
    background_refresher,
    claim_count,
    refresh_after_edit,
    refresh_in_background,
)
from argmap.ingest.pipeline import ingest
from dashboard_pages import assert_clean, open_page
from test_summary import assert_readers_match_live
from typer.testing import CliRunner

from argmap.cli import app

WAIT = 120  # seconds a test waits for a refresh before failing (a bound, never asserted)
BIG = 10  # claims: above this the sample (620 claims) counts as a big graph


class Gate:
    """Holds each summary computation until the test lets one through: before its first step
    (``late=False``), or once every step is done, just before the summary is written."""

    def __init__(self, late: bool = False) -> None:
        self.late = late
        self.entered: queue.Queue[int] = queue.Queue()
        self.permits = threading.Semaphore(0)

    def compute(self, store: Store, stop: Callable[[], bool]) -> Summary:
        done = compute_summary(store, stop) if self.late else None
        self.entered.put(current_revision(store))
        if not self.permits.acquire(timeout=WAIT):
            raise RuntimeError("the test never let this refresh through")
        return done or compute_summary(store, stop)

    def holding(self) -> int:
        """Wait until a refresh is held in the gate; the revision it is computing at."""
        return self.entered.get(timeout=WAIT)

    def release(self) -> None:
        self.permits.release()


def gated(store: Store, gate: Gate) -> BackgroundRefresher:
    refresh = partial(refresh_summary, compute=gate.compute, give_up_when_changed=True)
    return refresh_in_background(store, BIG, refresh, quiet=0)


def relations(store: Store, n: int) -> list[tuple[str, str]]:
    rows = store.run_read(
        "MATCH (a:Claim)-[:REBUTS]->(b:Claim) RETURN a.id AS a, b.id AS b ORDER BY a, b LIMIT $n",
        {"n": n},
    )
    assert len(rows) == n
    return [(r["a"], r["b"]) for r in rows]


def stamp(store: Store) -> int | None:
    rows = store.run_read("MATCH (s:Meta {id: 'summary'}) RETURN s.revision AS r")
    return rows[0]["r"] if rows else None


def test_edits_in_a_row_on_a_big_graph_refresh_twice_not_once_each(
    any_store: Store, sample_path: Path
) -> None:
    store = any_store
    ingest(sample_path, store, extractor="offline")
    gate = Gate()
    refresher = gated(store, gate)
    (r1, r2, r3) = relations(store, 3)
    spam_post = store.run_read(
        "MATCH (p:Post {kind: 'comment'}) WHERE NOT coalesce(p.is_spam, false) "
        "RETURN p.id AS id ORDER BY p.position DESC LIMIT 1"
    )[0]["id"]

    rejected = act.reject(store, *r1, "Ann")
    first_at = gate.holding()  # the first refresh runs, held half-way
    assert first_at == current_revision(store)
    edits = [
        lambda: act.flip(store, *r2, "Ann"),
        lambda: act.accept(store, *r3, "Ann"),
        lambda: act.mark_spam(store, spam_post, True, "Ann"),
        lambda: undo(store, rejected.id, "Ann"),
    ]
    for edit in edits:  # each lands while the first refresh is running
        edit()
        assert not is_fresh(store)
        assert_readers_match_live(store)  # stale: every reader computes live
    assert refresher.busy and refresher.refreshes == 0

    gate.release()  # the first refresh gives up (its result would be stale) ...
    gate.release()  # ... and the one pending refresh runs for the four edits after it
    assert refresher.wait(WAIT)
    # Five edits: one refresh given up at its first step, one that ran to the end.
    assert (refresher.refreshes, refresher.superseded, refresher.failures) == (1, 1, 0)
    assert gate.entered.qsize() == 1  # the second refresh's entry; there was no third
    assert refresher.last is not None and refresher.last.revision == current_revision(store)
    assert is_fresh(store) and stamp(store) == current_revision(store)
    assert_readers_match_live(store)
    assert summary_reads.counts(store) == counts.counts(store)


def test_edits_faster_than_the_pause_cost_one_refresh_after_it(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    refresher = refresh_in_background(store, BIG, quiet=3600)  # a reviewer who never pauses
    for source, target in relations(store, 4):
        act.reject(store, source, target, "Ann")
        assert not is_fresh(store)
        assert_readers_match_live(store)
    assert refresher.busy and refresher.refreshes == 0  # waiting for the pause, not refreshing
    refresher.quiet = 0  # the reviewer pauses: the waiting refresh runs, once
    refresher.schedule(store)
    assert refresher.wait(WAIT)
    assert (refresher.refreshes, refresher.failures) == (1, 0)
    assert is_fresh(store) and refresher.last is not None
    assert refresher.last.revision == current_revision(store)
    assert_readers_match_live(store)


@pytest.mark.parametrize("late", [False, True], ids=["edit-mid-refresh", "edit-before-write"])
def test_an_edit_during_a_refresh_leaves_it_stale_until_the_pending_one_ends(
    store: Store, sample_path: Path, late: bool
) -> None:
    """Mid-refresh, the refresh gives up at its next step; once every step is done, it writes
    its summary stamped with the revision it read at its start. Stale either way."""
    ingest(sample_path, store, extractor="offline")
    ingested = stamp(store)
    gate = Gate(late=late)
    refresher = gated(store, gate)
    (r1, r2) = relations(store, 2)

    act.reject(store, *r1, "Ann")
    started_at = gate.holding()
    act.reject(store, *r2, "Ann")  # during the refresh: it becomes the pending one
    after_second = current_revision(store)
    assert after_second > started_at
    assert not is_fresh(store)
    assert_readers_match_live(store)

    gate.release()  # the first refresh ends ...
    assert gate.holding() == after_second  # ... and the pending one has started, held
    if late:  # written, with the revision it read at its start
        assert (refresher.refreshes, refresher.superseded) == (1, 0)
        assert refresher.last is not None and refresher.last.revision == started_at
        assert stamp(store) == started_at
    else:  # given up: nothing written
        assert (refresher.refreshes, refresher.superseded) == (0, 1)
        assert stamp(store) == ingested
    assert not is_fresh(store)  # the edit made during it keeps the summary stale ...
    assert_readers_match_live(store)  # ... and readers answer live, not from it

    gate.release()
    assert refresher.wait(WAIT)
    assert refresher.refreshes == (2 if late else 1) and refresher.failures == 0
    assert stamp(store) == after_second == current_revision(store)
    assert is_fresh(store)
    assert_readers_match_live(store)


def test_only_a_store_with_a_refresher_refreshes_in_the_background(
    store: Store, sample_path: Path
) -> None:
    ingest(sample_path, store, extractor="offline")
    (r1,) = relations(store, 1)
    assert background_refresher(store) is None
    act.reject(store, *r1, "Ann")  # the sample is small for the default threshold: at once
    assert is_fresh(store)
    refresher = refresh_in_background(store, BIG, quiet=0)
    assert refresh_in_background(store) is refresher  # one per store
    store.run("MATCH (m:Meta {id: 'revision'}) SET m.value = m.value + 1")  # a write elsewhere
    assert refresh_after_edit(store).outcome == "scheduled"
    assert refresher.wait(WAIT) and refresher.refreshes == 1 and is_fresh(store)
    # Nothing to do when it is fresh already (an ingest or `db refresh` did it): no refresh.
    refresher.schedule(store)
    assert refresher.wait(WAIT) and refresher.refreshes == 1


def test_a_refresh_that_loses_its_server_logs_one_line_and_leaves_the_summary_stale(
    tmp_path: Path, sample_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "db"  # a server of this test's own: it is stopped under the refresh
    store = open_store(str(data_dir), "g")
    try:
        ingest(sample_path, store, extractor="offline")
        gate = Gate()
        refresher = gated(store, gate)
        (r1,) = relations(store, 1)
        act.reject(store, *r1, "Ann")
        gate.holding()
        stop_server(data_dir)
        with caplog.at_level(logging.INFO, logger="argmap.graph.summary_refresh"):
            gate.release()
            assert refresher.wait(WAIT)  # the thread ended; nothing was raised into this one
        assert (refresher.refreshes, refresher.failures) == (0, 1)
        lines = [r for r in caplog.records if r.name == "argmap.graph.summary_refresh"]
        assert len(lines) == 1 and lines[0].levelno == logging.WARNING
        message = lines[0].getMessage()
        assert "summary refresh failed" in message and "\n" not in message
        assert "lost the embedded FalkorDB" in message and "argmap db refresh" in message

        again = open_store(str(data_dir), "g")  # restarts the server; its data was kept
        try:
            assert not is_fresh(again)
            assert_readers_match_live(again)
        finally:
            again.close()
    finally:
        store.close()
        stop_server(data_dir)


def test_argmap_review_on_a_big_graph_says_the_summary_is_stale(
    argmap_env: Path, store: Store, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI leaves the summary stale above the threshold (one process per edit: a script of
    edits would pay a refresh each) and says how to refresh it; below it, it says nothing."""
    runner = CliRunner()
    monkeypatch.setenv("ARGMAP_REVIEWER", "Ann")
    assert runner.invoke(app, ["ingest", str(sample_path), "-e", "offline", "-q"]).exit_code == 0
    (r1, r2) = relations(store, 2)
    small = runner.invoke(app, ["review", "reject", *r1])
    assert small.exit_code == 0, small.output
    assert "stale" not in small.output and is_fresh(store)

    # Above the real threshold (2,000 claims): the sample plus claims of no post.
    store.run("UNWIND range(1, 1500) AS i CREATE (:Claim {id: 'pad-' + toString(i)})")
    big = runner.invoke(app, ["review", "reject", *r2])
    assert big.exit_code == 0, big.output
    assert big.stdout.startswith("reject relation:")
    (note,) = big.stderr.splitlines()
    assert "summary is stale" in note and "argmap db refresh" in note
    assert f"({claim_count(store):,} claims" in note
    assert not is_fresh(store)
    undone = runner.invoke(app, ["review", "undo", big.stdout.split("(review ")[1].split(";")[0]])
    assert undone.exit_code == 0 and "summary is stale" in undone.stderr
    refreshed = runner.invoke(app, ["db", "refresh"])
    assert refreshed.exit_code == 0 and is_fresh(store)


def test_a_reject_on_the_dashboard_refreshes_a_big_graph_in_the_background(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store, sample_path: Path
) -> None:
    """The Review page with edits allowed, on a graph above the real threshold: the click saves
    at once, leaves the summary stale, and a thread of the dashboard's process refreshes it."""
    ingest(sample_path, store, extractor="offline")
    store.run("UNWIND range(1, 1500) AS i CREATE (:Claim {id: 'pad-' + toString(i)})")
    assert claim_count(store) > REVIEW_REFRESH_MAX_CLAIMS
    refresh_summary(store)  # what an ingest of such a graph leaves: a fresh summary
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", store.graph_name)
    monkeypatch.setenv("ARGMAP_DASHBOARD_ALLOW_EDITS", "1")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)
    at = open_page("review")
    at.text_input(key="rv_name_in").input("Ann")
    next(b for b in at.button if b.label == "Start reviewing").click().run()
    at.multiselect(key="rv_kinds").set_value(["relation"]).run()
    revision = current_revision(store)
    at.button(key="rv_reject").click().run()
    assert_clean(at)
    assert current_revision(store) > revision  # saved
    for thread in threading.enumerate():  # the dashboard's refresh, started by the click
        if thread.name == "argmap-summary-refresh":
            thread.join(WAIT)
    assert is_fresh(store) and stamp(store) == current_revision(store)
    assert_readers_match_live(store)
