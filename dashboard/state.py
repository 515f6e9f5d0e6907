"""What every dashboard page shares: the store (opened once), the thread filter, the selection.

The dashboard only reads: pages call ``run_read`` queries and the library's read-only helpers.
Started with ``--allow-edits`` it also writes: the Review page's decisions, and the summary
(``graph.summary``) when a page finds it stale on a big graph (``refresh_stale_summary``).
"""

from __future__ import annotations

import re
import weakref
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import streamlit as st
from argmap.dashboard.render import message
from argmap.graph.store import Store, connect, is_neo4j_target
from argmap.graph.summary_refresh import refresh_if_stale, refresh_in_background

from argmap.core.config import DEFAULT_GRAPH
from argmap.core.errors import ArgmapError, StoreUnavailable
from argmap.core.settings import default_data_dir, get_settings

# The first screen of a fresh store: what the dashboard is for, and the step that fills it.
EMPTY_HINT = (
    "Nothing to show yet: this dashboard draws the argument map of comment threads (the claims "
    "people made, and which claim rebuts or supports which), and its graph holds no thread. "
    "Load the sample with `argmap demo --no-dashboard`, or a thread of your own with "
    "`argmap ingest FILE`, then reload this page."
)


def _close_quietly(store: Store) -> None:
    # A store dropped from the cache (after it was lost) is closed: a Neo4j driver left open
    # keeps its pool until the garbage collector finds it, one per outage. Closing a dead
    # connection must not turn the page's one-line error into a traceback.
    try:
        store.close()
    except Exception:  # noqa: BLE001 - see above
        pass


# The store each (target, graph) is cached as now, so a run holding an older one (dropped while
# it ran) does not drop the newer one another run opened after the server came back.
_CURRENT: dict[tuple[str, str], weakref.ref[Store]] = {}


@st.cache_resource(show_spinner="Opening the graph store…", on_release=_close_quietly)
def _open(target: str, graph: str) -> Store:
    # Keyed by target and graph, so a dashboard pointed elsewhere gets its own connection.
    store = connect(get_settings().store_config(target, graph))
    _CURRENT[(target, graph)] = weakref.ref(store)
    # The dashboard keeps its store open: a review edit on a big graph refreshes the summary on
    # a thread of this process once the edits pause, instead of leaving it stale.
    refresh_in_background(store)
    return store


def refresh_stale_summary(store: Store, revision: int) -> None:
    """Every page view, with edits allowed: an edit made elsewhere (`argmap review`, another
    dashboard, a script) left the summary stale on a big graph, so refresh it in the background
    rather than compute every page live until someone runs `argmap db refresh`. A read-only
    dashboard writes nothing. ``revision`` is the one this run's reads are keyed on."""
    if get_settings().dashboard_allow_edits:
        refresh_if_stale(store, revision)


def _without_credentials(uri: str) -> str:
    parts = urlsplit(uri)
    host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=host).geturl()


def store_label() -> str:
    """Where the dashboard reads from, for the sidebar (never with credentials from a URI)."""
    settings = get_settings()
    target = settings.db
    if is_neo4j_target(target):
        database = f" · database {settings.neo4j_database}" if settings.neo4j_database else ""
        return _without_credentials(target) + database
    # Not the directory: a page has no business showing where files live on the server.
    return f"embedded FalkorDB · graph {settings.graph}"


class CommandStore(NamedTuple):
    """What a command line needs to read the dashboard's store: ``--db`` and ``--graph`` where
    they are not the defaults, and whether the store is a folder the page does not name."""

    db: str | None
    graph: str | None
    unnamed_folder: bool


def command_store() -> CommandStore:
    """The dashboard's store for a shown ``argmap export`` line: a Neo4j URI without its
    user or password (those stay in ``NEO4J_USER``/``NEO4J_PASSWORD``); an embedded store's
    folder is never shown (pages never show server paths), only said to be not the default."""
    settings = get_settings()
    graph = settings.graph if settings.graph != DEFAULT_GRAPH else None
    if is_neo4j_target(settings.db):
        return CommandStore(_without_credentials(settings.db), graph, False)
    folder = Path(settings.db).expanduser().resolve()
    return CommandStore(None, graph, folder != default_data_dir().expanduser().resolve())


def get_store() -> Store:
    """The store named by the settings (``ARGMAP_DB`` / ``ARGMAP_GRAPH``), opened once per process.

    If it cannot be opened, the page shows the one-line reason and stops.
    """
    settings = get_settings()
    try:
        return _open(settings.db, settings.graph)
    except ArgmapError as exc:
        st.error(message(page_safe(str(exc))))
        st.stop()
        raise  # st.stop() raises; this line only tells type checkers so


def forget_store(failed: Store | None = None) -> None:
    """Drop the cached connection (after ``failed`` lost it) and close it, so the next run
    reconnects. A ``failed`` store that is no longer the cached one was dropped already: the
    newer one stays."""
    settings = get_settings()
    key = (settings.db, settings.graph)
    if failed is not None:
        current = _CURRENT.get(key)
        if current is None or current() is not failed:
            return
    _CURRENT.pop(key, None)
    _open.clear(*key)


def page_safe(message: str) -> str:
    """``message`` without the store's directory (pages never show server paths)."""
    target = get_settings().db
    if not is_neo4j_target(target):
        for form in {str(Path(target).expanduser().resolve()), target}:
            message = message.replace(form, "the data directory")
    return message


# A store error's advice is written for the command line ("re-run the command"); on a page
# the same step is a reload, which reopens the store (and restarts an embedded server).
_RERUN = re.compile(r"\bre-run(?: the command)?\b")


def show_error(exc: ArgmapError, store: Store | None = None) -> None:
    """An argmap error as one line; a lost ``store`` is closed and reopened on the next run."""
    text = page_safe(str(exc))
    if isinstance(exc, StoreUnavailable):
        forget_store(store)
        text = _RERUN.sub("reload the page", text)
    st.error(message(text))


def thread_ids() -> list[str] | None:
    """The threads the sidebar narrows every page to (``None``: all of them)."""
    chosen = st.session_state.get("threads")
    return list(chosen) if chosen else None


def require_posts(store: Store) -> None:
    """Stop the page with a hint when the store holds no thread yet."""
    if not store.run_read("MATCH (p:Post) RETURN p.id AS id LIMIT 1"):
        st.info(EMPTY_HINT)
        st.stop()


def saved_selection() -> dict | None:
    """The Graph page's last selection (as JSON-ready fields), for the Export page."""
    return st.session_state.get("selection")


def save_selection(fields: dict) -> None:
    st.session_state["selection"] = fields
