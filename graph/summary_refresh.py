"""When a review edit refreshes the summary: at once on a small graph, in the background on a
big one, or not at all (the caller says so).

A review edit raises the revision, which makes the summary (``graph.summary``) stale. On a graph
of up to ``REVIEW_REFRESH_MAX_CLAIMS`` claims the edit refreshes it at once (0.06-0.08 s on the
sample). Above that a refresh takes seconds (12-31 s at 167k claims), and a reviewer makes many
edits in a row, so:

- a process that keeps its store open (the dashboard) calls ``refresh_in_background(store)``
  once; from then on an edit through that store *schedules* a refresh on a daemon thread of the
  process, which starts once no edit has come for ``QUIET_SECONDS``, coalesced: at most one
  refresh running and one pending. A refresh stamps the revision it read at its start, so an
  edit landing during it leaves the summary stale and makes the pending refresh run after it
  (the running one gives up at its next step: its result would be stale); pages are fast again
  a few seconds plus one refresh after the reviewer stops.
- any other caller (``argmap review``: one process per edit) leaves it stale and says so; the
  next ingest, ``argmap db refresh`` or a dashboard that may write refreshes it: such a
  dashboard calls ``refresh_if_stale(store, revision)`` on every page view, which schedules the
  same background refresh when it finds the summary stale on a big graph (an edit made in
  another process, a second dashboard, a script).

Correctness never depends on when a refresh ends: readers use a field only while its stamp is
the current revision (``graph.summary_reads``). Refreshes never run two at a time in one process
(one lock for all of them). A background refresh that fails (a dropped connection) logs one line
and leaves the summary stale; it never raises into the process that scheduled it.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from functools import partial
from typing import Literal

from argmap.graph.store import Store
from argmap.graph.summary import Refreshed, Superseded, is_fresh, refresh_summary, summary_stamp
from pydantic import BaseModel

from argmap.core.errors import ArgmapError

log = logging.getLogger(__name__)

# A review edit refreshes the summary at once up to this many claims. Refresh times measured on
# the 2-core reference machine: 0.06-0.08 s for the sample's 620 claims, 0.4-1.1 s for 4.9k,
# 1.2-1.6 s for 16.6k, 11.5-13 s for 167k (19-31 s on a busy machine once it kept the whole
# graph's order): too long for a click.
REVIEW_REFRESH_MAX_CLAIMS = 2_000

# Seconds without an edit before a background refresh starts. A refresh running beside a
# reviewer's decisions slows them (its whole-graph reads hold up their writes: measured when a
# decision took 1.1-1.3 s median at 167k claims, it became 2.4 s; bench/review_refresh.py) and is
# made stale by the next decision anyway.
QUIET_SECONDS = 3.0

# A background refresh gives up as soon as an edit makes its result stale, and the next one
# starts after the pause: no work spent on a summary nobody can use.
BACKGROUND_REFRESH: Callable[[Store], Refreshed] = partial(
    refresh_summary, give_up_when_changed=True
)

# One refresh at a time in this process, whatever the store or the caller.
_REFRESHING = threading.Lock()


class AfterEdit(BaseModel):
    """What an edit did to the summary: ``refreshed`` at once, ``scheduled`` in the background,
    or left ``stale`` (the graph is above ``max_claims`` and nothing refreshes it here)."""

    claims: int
    max_claims: int
    outcome: Literal["refreshed", "scheduled", "stale"]
    refreshed: Refreshed | None = None


def claim_count(store: Store) -> int:
    """How many claims the graph holds (from the label's count: cheap on both stores)."""
    rows = store.run_read("MATCH (c:Claim) RETURN count(c) AS n")
    return int(rows[0]["n"] or 0) if rows else 0


def _one_line(exc: BaseException) -> str:
    """An argmap error's own line; anything else with its class name in front."""
    text = " ".join(str(exc).split())
    return text if isinstance(exc, ArgmapError) and text else f"{exc.__class__.__name__}: {text}"


class BackgroundRefresher:
    """Refreshes one store's summary on a daemon thread, once the edits pause, coalescing them.

    Hand-written rather than a ``concurrent.futures`` executor: its workers are joined at
    interpreter exit (a 12 s refresh would hold up stopping the dashboard), and coalescing and
    the pause need their own flags anyway.
    """

    def __init__(
        self,
        max_claims: int,
        refresh: Callable[[Store], Refreshed] = BACKGROUND_REFRESH,
        quiet: float = QUIET_SECONDS,
    ) -> None:
        self.max_claims = max_claims
        self.quiet = quiet
        self._refresh = refresh
        self._cond = threading.Condition()
        self._running = False  # a thread is refreshing, or waiting for the edits to pause
        self._pending = False  # an edit came after the running refresh read the revision
        self._last_edit = 0.0
        self._looked_at: int | None = None  # the last revision refresh_if_stale looked at
        self.refreshes = 0  # refreshes that ran to the end (tests and the bench count them)
        self.superseded = 0  # given up half-way: an edit came
        self.failures = 0
        self.last: Refreshed | None = None

    @property
    def busy(self) -> bool:
        """Whether a refresh is running or waiting to run."""
        with self._cond:
            return self._running

    def schedule(self, store: Store) -> None:
        """Refresh ``store``'s summary once no edit has come for ``quiet`` seconds: start the
        thread, or, if it is already there, make it run one (only one) more refresh."""
        with self._cond:
            self._last_edit = time.monotonic()
            self._pending = True
            self._cond.notify_all()
            if self._running:
                return
            self._running = True
        try:
            threading.Thread(
                target=self._work, args=(store,), name="argmap-summary-refresh", daemon=True
            ).start()
        except RuntimeError as exc:  # no thread to be had: stale, as without a refresher
            with self._cond:
                self._running = self._pending = False
                self._cond.notify_all()
            log.warning("argmap: summary refresh not started (%s); it stays stale", exc)

    def refresh_if_stale(self, store: Store, revision: int) -> bool:
        """Schedule a refresh if ``store``'s summary is older than ``revision`` (the revision
        the caller has just read) on a graph above ``max_claims`` claims; True if it did.

        Cheap enough for every page view: nothing while a refresh is running or pending, and
        each revision is looked at once (one read of the stamp; the claim count only when the
        summary is stale), however many views and sessions ask.
        """
        with self._cond:
            if self._running or self._looked_at == revision:
                return False
            self._looked_at = revision
        try:
            stamped = summary_stamp(store)
            stale = (stamped is None or stamped < revision) and claim_count(store) > self.max_claims
        except BaseException:
            with self._cond:  # not looked at after all: the next view asks again
                if self._looked_at == revision:
                    self._looked_at = None
            raise
        if stale:
            self.schedule(store)
        return stale

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no refresh is running or pending; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running, timeout)

    def _work(self, store: Store) -> None:
        while True:
            with self._cond:
                while (left := self._last_edit + self.quiet - time.monotonic()) > 0:
                    self._cond.wait(left)
                self._pending = False
            self._refresh_once(store)
            with self._cond:
                if not self._pending:
                    self._running = False
                    self._cond.notify_all()
                    return

    def _refresh_once(self, store: Store) -> None:
        try:
            with _REFRESHING:
                if is_fresh(store):  # an ingest or `argmap db refresh` did it meanwhile
                    return
                done = self._refresh(store)
        except Superseded as stop:
            with self._cond:
                self.superseded += 1
            log.debug("argmap: %s; the next refresh follows", stop)
            return
        except Exception as exc:  # noqa: BLE001 - a background refresh must never take its process down
            with self._cond:
                self.failures += 1
            log.warning(
                "argmap: summary refresh failed (%s); it stays stale and pages compute live "
                "until the next edit or `argmap db refresh`",
                _one_line(exc),
            )
            return
        with self._cond:
            self.refreshes += 1
            self.last = done
        log.info("argmap: summary refreshed at revision %s in %.1f s", done.revision, done.seconds)


# The stores whose edits refresh in the background, each with its refresher. Weak keys: the
# refresher keeps no store, so a closed and dropped store leaves nothing behind.
_BACKGROUND: weakref.WeakKeyDictionary[Store, BackgroundRefresher] = weakref.WeakKeyDictionary()
_REGISTERING = threading.Lock()


def refresh_in_background(
    store: Store,
    max_claims: int = REVIEW_REFRESH_MAX_CLAIMS,
    refresh: Callable[[Store], Refreshed] = BACKGROUND_REFRESH,
    quiet: float = QUIET_SECONDS,
) -> BackgroundRefresher:
    """From now on, an edit through ``store`` on a graph above ``max_claims`` claims refreshes
    its summary on a background thread of this process, once no edit has come for ``quiet``
    seconds (what the dashboard does when it opens its store). Returns the store's refresher;
    calling it again returns the same one."""
    with _REGISTERING:
        found = _BACKGROUND.get(store)
        if found is None:
            found = _BACKGROUND[store] = BackgroundRefresher(max_claims, refresh, quiet)
        return found


def background_refresher(store: Store) -> BackgroundRefresher | None:
    """The refresher ``refresh_in_background`` gave ``store``, if any."""
    return _BACKGROUND.get(store)


def refresh_if_stale(store: Store, revision: int) -> bool:
    """On a view by a reader that may write (the dashboard with edits allowed): schedule a
    background refresh when ``store`` has a refresher and its summary is stale at ``revision``
    on a graph above the refresher's threshold (``BackgroundRefresher.refresh_if_stale``).
    A store without a refresher: nothing, not even a read."""
    refresher = _BACKGROUND.get(store)
    return refresher.refresh_if_stale(store, revision) if refresher is not None else False


def refresh_after_edit(store: Store, max_claims: int | None = None) -> AfterEdit:
    """After a review edit (its revision already raised): refresh the summary at once on a graph
    of at most ``max_claims`` claims (default: the store's background refresher's, else
    ``REVIEW_REFRESH_MAX_CLAIMS``); above it, schedule a background refresh if the store has a
    refresher, else leave the summary stale."""
    refresher = _BACKGROUND.get(store)
    if max_claims is None:
        max_claims = refresher.max_claims if refresher else REVIEW_REFRESH_MAX_CLAIMS
    claims = claim_count(store)
    if claims <= max_claims:
        with _REFRESHING:
            done = refresh_summary(store)
        return AfterEdit(claims=claims, max_claims=max_claims, outcome="refreshed", refreshed=done)
    if refresher is not None:
        refresher.schedule(store)
        return AfterEdit(claims=claims, max_claims=max_claims, outcome="scheduled")
    return AfterEdit(claims=claims, max_claims=max_claims, outcome="stale")
