"""The argmap dashboard: a multipage Streamlit app over the argument graph (read-only, except
the Review page and a stale summary's background refresh when started with ``--allow-edits``).

Run it with ``argmap dashboard`` (bound to 127.0.0.1). This entry point draws what every page
shares (the store in use, the thread filter), checks whether the summary needs a refresh, and
runs the page the user picked.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import streamlit as st
from argmap.dashboard import reads, state
from argmap.dashboard.guard import refused_reason
from argmap.dashboard.render import md, message
from argmap.graph.revision import current_revision
from argmap.graph.store import Store

from argmap.core.errors import ArgmapError
from argmap.core.settings import get_settings
from argmap.core.wording import plural

log = logging.getLogger("argmap.dashboard")

HERE = Path(__file__).resolve().parent

# No icons: a Material icon (page or page_icon) becomes a favicon fetched from fonts.gstatic.com.
st.set_page_config(page_title="argmap", layout="wide")

PAGES = [
    st.Page(HERE / "views" / "overview.py", title="Overview", default=True),
    st.Page(HERE / "views" / "graph.py", title="Graph", url_path="graph"),
    st.Page(HERE / "views" / "chains.py", title="Chains", url_path="chains"),
    st.Page(HERE / "views" / "search.py", title="Search & Cypher", url_path="search"),
    st.Page(HERE / "views" / "export.py", title="Export", url_path="export"),
    st.Page(HERE / "views" / "review.py", title="Review", url_path="review"),
]
page = st.navigation(PAGES)
# Each page's own name in the browser's title (tabs, history, a screen reader's first words).
st.set_page_config(page_title=f"{page.title} · argmap")

# Before anything reads the store: a page from another site (DNS rebinding) gets nothing.
_refused = refused_reason(dict(st.context.headers), get_settings().allowed_hosts())
if _refused:
    st.error(f"{message(_refused)}; set ARGMAP_DASHBOARD_ALLOWED_HOSTS to allow it")
    st.stop()


def thread_filter(store: Store, revision: int) -> None:
    """The sidebar's thread picker: every page narrows to the threads chosen here."""
    threads = reads.thread_list_at(store, revision)
    titles = {t["id"]: t["title"] or t["id"] for t in threads}
    twice = {v for v in titles.values() if list(titles.values()).count(v) > 1}
    titles = {tid: f"{v} ({tid})" if v in twice else v for tid, v in titles.items()}  # tell apart
    chosen = st.session_state.get("threads") or []
    if any(tid not in titles for tid in chosen):
        # A chosen thread deleted meanwhile (`argmap threads delete`): the choice is kept for
        # the session, so it must drop the thread here or every page would look for it.
        st.session_state["threads"] = [tid for tid in chosen if tid in titles]
    if len(threads) > 1:
        st.sidebar.multiselect(
            "Threads",
            options=list(titles),
            format_func=lambda tid: titles.get(tid, tid),
            key="threads",
            # Kept through a run that never draws it (the store lost, then back): the pages
            # must not quietly widen to every thread when the server returns.
            persist_state="session",
            placeholder="All threads",
        )
    elif threads:
        st.sidebar.caption(f"Thread: {md(titles[threads[0]['id']])}")
    st.sidebar.caption(f"Store: {md(state.store_label())}")


def unfinished_notice(store: Store, revision: int) -> None:
    """Say so when a chosen thread is not whole: posts waiting for extraction (every page counts
    and draws only what is extracted, so an ingest still writing, or one that stopped, must not
    pass for a finished thread with fewer claims), or a deletion running or cut short."""
    tids = state.thread_ids()
    waiting = sum(
        n for tid, n in reads.pending_posts_at(store, revision).items() if not tids or tid in tids
    )
    for tid, title in reads.being_deleted_at(store, revision).items():
        if not tids or tid in tids:
            st.sidebar.warning(
                f"Thread {md(title or tid)} ({md(tid)}) is being deleted, or its deletion "
                "stopped midway (`argmap threads delete` with that id finishes it): the pages "
                "show what is left of it."
            )
    if waiting:
        st.sidebar.warning(
            f"{plural(waiting, 'post has', 'posts have')} no claims extracted yet: an ingest "
            "still running (the pages fill in as it goes), or one that stopped (run it again to "
            "finish), or posts a review changed (`argmap review extract`). Until then the pages "
            "leave them out."
        )


_store: Store | None = None
try:
    _store = state.get_store()
    # Read once per run, for the sidebar's cached read and the summary's staleness check.
    _revision = current_revision(_store)
    thread_filter(_store, _revision)
    unfinished_notice(_store, _revision)
    state.refresh_stale_summary(_store, _revision)
    page.run()
except ArgmapError as exc:
    state.show_error(exc, _store)
except Exception:  # noqa: BLE001 - any other failure: one line with an id, details in the log
    incident = uuid.uuid4().hex[:8]
    log.exception("dashboard error %s", incident)
    st.error(f"Something went wrong (error {incident}); the details are in the dashboard's log.")
