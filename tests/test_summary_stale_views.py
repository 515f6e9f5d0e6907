"""A summary made stale by an edit elsewhere (`argmap review`, another dashboard, a script):
a dashboard started with edits allowed refreshes it in the background when a page finds it
stale on a big graph (``graph.summary_refresh.refresh_if_stale``); a read-only one writes
nothing.

The graph is the sample padded above the real threshold (2,000 claims), as the dashboard opens
its store with the default refresher. Nothing waits on a clock: tests wait for the refresher.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argmap.dashboard import state
from argmap.graph import counts
from argmap.graph import review_actions as act
from argmap.graph.revision import current_revision
from argmap.graph.store import Store, open_store
from argmap.graph.summary import SUMMARY_ID, is_fresh, refresh_summary, summary_stamp
from argmap.graph.summary_refresh import (
    REVIEW_REFRESH_MAX_CLAIMS,
    BackgroundRefresher,
    background_refresher,
    claim_count,
    refresh_if_stale,
)
from argmap.ingest.pipeline import ingest
from dashboard_pages import APP, TIMEOUT, assert_clean
from streamlit.testing.v1 import AppTest
from test_revision import comments_metric
from test_summary_refresh import WAIT, Gate, gated, relations

DOCTORED = 999_999  # a comments count no graph here has: seen on a page only from the summary


def big_graph(store: Store, sample_path: Path) -> None:
    """The sample plus claims of no post: above the threshold, with a fresh summary."""
    ingest(sample_path, store, extractor="offline")
    store.run("UNWIND range(1, 1500) AS i CREATE (:Claim {id: 'pad-' + toString(i)})")
    assert claim_count(store) > REVIEW_REFRESH_MAX_CLAIMS
    refresh_summary(store)  # what an ingest of such a graph leaves
    assert is_fresh(store)


def serve(monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store, edits: bool) -> None:
    monkeypatch.setenv("ARGMAP_DB", str(falkordb_dir))
    monkeypatch.setenv("ARGMAP_GRAPH", store.graph_name)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_DASHBOARD_ALLOW_EDITS"):
        monkeypatch.delenv(var, raising=False)
    if edits:
        monkeypatch.setenv("ARGMAP_DASHBOARD_ALLOW_EDITS", "1")


def open_search_page() -> AppTest:
    """The Search page as the first page a session opens (it reads no counts: the Overview's
    read is left for after the refresh)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("views/search.py").run()
    assert_clean(at)
    return at


def dashboard_refresher() -> BackgroundRefresher:
    """The refresher of the store the dashboard opened (one per process, as a page has it)."""
    found = background_refresher(state.get_store())
    assert found is not None
    return found


def doctor_counts(store: Store) -> None:
    """Change the stored comments count behind argmap's back (no revision raised)."""
    doctored = json.dumps({**counts.counts(store).model_dump(), "comments": DOCTORED})
    store.run("MATCH (s:Meta {id: $id}) SET s.counts = $v", {"id": SUMMARY_ID, "v": doctored})


def test_a_dashboard_with_edits_allowed_refreshes_a_summary_an_edit_elsewhere_made_stale(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store, sample_path: Path
) -> None:
    big_graph(store, sample_path)
    serve(monkeypatch, falkordb_dir, store, edits=True)
    (r1,) = relations(store, 1)
    # What `argmap review reject` does: an edit through a store with no refresher, stale after.
    act.reject(store, *r1, "Ann")
    revision = current_revision(store)
    assert not is_fresh(store)

    at = open_search_page()
    refresher = dashboard_refresher()
    assert refresher.wait(WAIT)  # the refresh the page's check scheduled (counted below)
    assert (refresher.refreshes, refresher.failures) == (1, 0)
    assert is_fresh(store) and summary_stamp(store) == revision == current_revision(store)

    # The pages are back on the stored path: the Overview shows the stored number.
    doctor_counts(store)
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    assert comments_metric(at) == DOCTORED
    assert not refresher.busy  # fresh: the check schedules nothing more


def test_a_read_only_dashboard_leaves_a_stale_summary_stale(
    monkeypatch: pytest.MonkeyPatch, falkordb_dir: Path, store: Store, sample_path: Path
) -> None:
    big_graph(store, sample_path)
    serve(monkeypatch, falkordb_dir, store, edits=False)
    (r1,) = relations(store, 1)
    act.reject(store, *r1, "Ann")
    revision, stamped = current_revision(store), summary_stamp(store)
    assert stamped is not None and stamped < revision
    doctor_counts(store)  # stale: never shown

    at = open_search_page()
    at.switch_page("views/overview.py").run()
    assert_clean(at)
    refresher = dashboard_refresher()
    assert not refresher.busy and refresher.refreshes == 0  # nothing scheduled, nothing ran
    assert comments_metric(at) == counts.counts(store).comments != DOCTORED  # computed live
    assert summary_stamp(store) == stamped and current_revision(store) == revision
    assert not is_fresh(store)


def test_the_check_schedules_nothing_while_a_refresh_is_busy(
    falkordb_dir: Path, store: Store, sample_path: Path
) -> None:
    big_graph(store, sample_path)
    gate = Gate()
    refresher = gated(store, gate)  # the dashboard's store, its refresh held at the gate
    elsewhere = open_store(str(falkordb_dir), store.graph_name)  # `argmap review`'s connection
    try:
        (r1, r2) = relations(store, 2)
        act.reject(elsewhere, *r1, "Ann")
        first = current_revision(store)
        assert refresh_if_stale(store, first)  # stale: scheduled
        assert gate.holding() == first  # running, held half-way
        act.reject(elsewhere, *r2, "Bob")  # another edit elsewhere, during the refresh
        second = current_revision(store)
        assert second > first
        assert not refresh_if_stale(store, second)  # busy: no second refresh queued

        gate.release()  # the running refresh gives up (the edit made its result stale) ...
        gate.release()  # ... and a second one, had one been queued, could run
        assert refresher.wait(WAIT)
        assert (refresher.refreshes, refresher.superseded, refresher.failures) == (0, 1, 0)
        assert gate.entered.empty()  # no second refresh ever started
        assert not is_fresh(store)

        # Idle again: the next page view schedules it, and one refresh makes it fresh.
        assert refresh_if_stale(store, second)
        assert gate.holding() == second
        gate.release()
        assert refresher.wait(WAIT) and refresher.refreshes == 1
        assert is_fresh(store) and summary_stamp(store) == second
        assert not refresh_if_stale(store, second)  # fresh: nothing to do
        assert not refresher.busy and gate.entered.empty()
    finally:
        elsewhere.close()
