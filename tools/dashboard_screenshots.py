"""Re-take the docs' dashboard screenshots (docs/images/dashboard-*.png) in headless Chromium.

Ingests the bundled sample offline into a fresh embedded store in a temporary directory, serves
``argmap dashboard`` on a free localhost port, visits each page at 1400x1250 and saves what is on
screen. Everything it starts (the dashboard, the FalkorDB server) is stopped before it exits;
any request to a host other than localhost is refused, as in tests/test_dashboard_browser.py.

    python tools/dashboard_screenshots.py                 # into docs/images/
    python tools/dashboard_screenshots.py --out /tmp/shots --pages overview,graph
    python tools/dashboard_screenshots.py --out /tmp/shots --width 390 --height 844  # a phone

The Review page's screenshot comes from ``python bench/review_keyboard.py --screenshot
docs/images/dashboard-review.png`` (it needs a review session in progress).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import open_store
from argmap.ingest.pipeline import ingest

from argmap.core.resources import sample_thread

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, tools/ is on the path and the repository is not.
sys.path.insert(0, str(ROOT))

from tools.browser import dashboard_process, launch, wait_healthy  # noqa: E402

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# page path -> (heading to wait for, file name)
PAGES = {
    "overview": ("", "Activity over time"),
    "graph": ("graph", "Argument graph"),
    "chains": ("chains", "Rebuttal chains"),
    "export": ("export", "Export"),
}


def take(pages: list[str], out: Path, size: tuple[int, int] = (1400, 1250)) -> list[Path]:
    """Screenshot each named page of a dashboard serving the freshly ingested sample, in a
    window of ``size`` (width, height) pixels."""
    from playwright.sync_api import Route, sync_playwright

    data = Path(tempfile.mkdtemp(prefix="argmap-shots-"))
    store = open_store(str(data), "argmap")
    ingest(sample_thread(), store, extractor="offline")
    env = {**os.environ, "ARGMAP_DB": str(data), "ARGMAP_GRAPH": "argmap", "HOME": str(data)}
    env["ARGMAP_STATE_DIR"] = str(data / "state")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        env.pop(var, None)
    written: list[Path] = []

    def local_only(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            route.abort()

    try:
        with dashboard_process(env, data / "dashboard.log") as (proc, url):
            wait_healthy(url, proc, timeout=90.0, error=SystemExit)
            out.mkdir(parents=True, exist_ok=True)
            with sync_playwright() as pw:
                browser = launch(pw)
                context = browser.new_context(viewport={"width": size[0], "height": size[1]})
                context.route("**/*", local_only)
                page = context.new_page()
                for name in pages:
                    path, heading = PAGES[name]
                    page.goto(f"{url}/{path}")
                    page.get_by_role("heading", name=heading).first.wait_for(timeout=90_000)
                    page.wait_for_selector(IDLE, timeout=90_000)
                    page.wait_for_timeout(1500)  # let the graph's canvas and charts paint
                    suffix = "" if size == (1400, 1250) else f"-{size[0]}"
                    target = out / f"dashboard-{name}{suffix}.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                browser.close()
    finally:
        store.close()
        stop_server(data)
        shutil.rmtree(data, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    ap.add_argument("--pages", default="overview,graph,chains", help=f"of {','.join(PAGES)}")
    ap.add_argument("--width", type=int, default=1400, help="window width in px (390: a phone)")
    ap.add_argument("--height", type=int, default=1250, help="window height in px")
    args = ap.parse_args(argv)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        raise SystemExit(f"unknown page {unknown[0]!r}; pages: {', '.join(PAGES)}")
    for path in take(pages, args.out, (args.width, args.height)):
        print(path)


if __name__ == "__main__":
    main()
