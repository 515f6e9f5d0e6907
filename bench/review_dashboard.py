"""The review benches' setup (``bench/review_first_key.py``, ``bench/review_keyboard.py``): the
bundled sample ingested offline into a fresh embedded store, ``argmap dashboard --allow-edits``
serving it, and a headless Chromium to drive it."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest

from argmap.core.resources import sample_thread
from tools.browser import dashboard_process, launch, wait_healthy


@contextmanager
def sample_review_dashboard(data: Path, graph: str) -> Iterator[tuple[Store, str, Any]]:
    """Yield the store (the sample ingested offline into ``data``), the dashboard's url and a
    browser; on exit the browser and dashboard stop, the store is emptied and its server
    stopped. The dashboard's log is ``data / "dashboard.log"``."""
    from playwright.sync_api import sync_playwright

    store = open_store(str(data), graph)
    ingest(sample_thread(), store, extractor="offline")
    env = {**os.environ, "ARGMAP_DB": str(data), "ARGMAP_GRAPH": graph, "HOME": str(data)}
    try:
        with dashboard_process(env, data / "dashboard.log", "--allow-edits") as (proc, url):
            wait_healthy(url, proc, timeout=90.0, error=SystemExit)
            with sync_playwright() as pw:
                browser = launch(pw)
                yield store, url, browser
                browser.close()
    finally:
        store.clear()
        store.close()
        stop_server(data)


def machine() -> dict[str, Any]:
    """The machine a bench ran on, for its JSON."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }
