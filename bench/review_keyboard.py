"""A keyboard review of the sample's N least certain items (default 30), in headless Chromium.

Ingests the bundled sample offline into a fresh embedded store, serves ``argmap dashboard
--allow-edits``, gives a reviewer name, then decides each item with one key press (A accepts;
R rejects every third relation, the others are accepted) and waits until the decision is in
the store and the page shows the next item. Prints one JSON object: the total and per-item
seconds (from the key press to the next item on screen: the tool's share of a review; a
person's reading time comes on top), the decisions by kind and action, and the machine.

    python bench/review_keyboard.py                # 30 items
    python bench/review_keyboard.py --items 50 --screenshot docs/images/dashboard-review.png

Its data directory (``argmap-review-bench-*`` in the temp dir: the store, the dashboard's log)
is removed when it ends, pass or fail; ``--keep`` leaves it and prints where it is.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.graph.review_queue import review_queue  # noqa: E402
from argmap.graph.review_records import list_reviews  # noqa: E402

from bench.review_dashboard import machine, sample_review_dashboard  # noqa: E402

GRAPH = "bench_review"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The Review page stamps <html> with a new token once a run's keys work (dashboard.shortcuts):
# Streamlit's "not running" comes earlier, and a key pressed then can be dropped. The stamp is
# enough on a fresh page too: it waits for the item's buttons to be drawn, not just added.
LIVE = "document.documentElement.getAttribute('data-argmap-review-keys')"


def _keys_live(page: Any, previous: str | None) -> str:
    """Wait until the page's keys work for a run after the one stamped ``previous``."""
    page.wait_for_function(f"prev => {{ const t = {LIVE}; return t && t !== prev; }}", arg=previous)
    return page.evaluate(LIVE)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=30)
    ap.add_argument("--screenshot", type=Path, help="Save the first relation item as a PNG.")
    ap.add_argument(
        "--keep", action="store_true", help="Keep the data directory (store, dashboard log)."
    )
    args = ap.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="argmap-review-bench-"))
    try:
        _bench(args, data)
    finally:
        if args.keep:
            print(f"kept {data}", file=sys.stderr)
        else:
            shutil.rmtree(data, ignore_errors=True)


def _bench(args: argparse.Namespace, data: Path) -> None:
    per_item: list[float] = []
    # The dashboard's log stays in ``data``: kept with --keep.
    with sample_review_dashboard(data, GRAPH) as (store, url, browser):
        planned = review_queue(store, limit=args.items)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/review")
        page.get_by_role("textbox", name="Your name").fill("Bench")
        page.get_by_role("button", name="Start reviewing").click()
        page.set_default_timeout(90_000)
        page.get_by_text("Reviewing as").wait_for()
        token = _keys_live(page, None)  # the first key goes at the first stamp, no idle wait
        started = time.perf_counter()
        relations = 0
        for n in range(1, args.items + 1):
            label = page.get_by_text("Item 1 of").first.inner_text()
            kind = label.rsplit("·", 1)[-1].strip()
            if kind == "relation":
                relations += 1
                if args.screenshot and relations == 1:
                    args.screenshot.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(args.screenshot))
            key = "r" if kind == "relation" and relations % 3 == 0 else "a"
            page.evaluate("document.activeElement && document.activeElement.blur()")
            t0 = time.perf_counter()
            page.keyboard.press(key)
            deadline = t0 + 60
            while len(list_reviews(store)) < n:
                if time.perf_counter() > deadline:
                    raise SystemExit(f"item {n} ({kind}): key {key!r} saved nothing in 60 s")
                time.sleep(0.05)
            token = _keys_live(page, token)
            page.wait_for_selector(IDLE)
            page.get_by_text("saved (review").first.wait_for()
            per_item.append(time.perf_counter() - t0)
        total = time.perf_counter() - started
        reviews = list_reviews(store)
    print(
        json.dumps(
            {
                "bench": "review_keyboard",
                "items": args.items,
                "planned_kinds": dict(Counter(i.kind for i in planned)),
                "decisions": dict(Counter(f"{r.kind}:{r.action}" for r in reviews)),
                "seconds_total": round(total, 2),
                "seconds_per_item_median": round(statistics.median(per_item), 3),
                "seconds_per_item_max": round(max(per_item), 3),
                "note": "key press to next item on screen, decision saved; reading time not included",
                "machine": machine(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
