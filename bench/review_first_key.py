"""The Review page's first key on a freshly loaded page: how often is it dropped?

Ingests the bundled sample offline into a fresh embedded store and serves ``argmap dashboard
--allow-edits``; then, N times (default 20), opens the Review page in a new browser context
(nothing cached: Streamlit fetches each element's code again), gives a reviewer name and presses
A at the very moment the page first stamps ``data-argmap-review-keys`` (its "keys work now"
signal). A press that saves no decision within 15 s is dropped. Also counts, at that moment,
the elements still drawn as skeletons (their code loading) and the Accept buttons on the page.

    python bench/review_first_key.py              # 20 fresh loads
    python bench/review_first_key.py --when frame # press as the frame asks for the stamp

``--when frame`` presses as soon as the key frame calls the page's stamp function, before the
stamp waits for the page to be drawn: the key a reviewer presses as soon as the page shows
(a held key, pressed for them once the buttons are drawn). Only the shortcuts that wait for
the buttons have that function, so ``--when frame`` needs them.
Prints one JSON object. Each load decides one item, so later loads see the next item.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argmap.dashboard.shortcuts import READY_ATTRIBUTE  # noqa: E402
from argmap.graph.review_records import list_reviews  # noqa: E402

from bench.review_dashboard import machine, sample_review_dashboard  # noqa: E402

GRAPH = "bench_first_key"
# What the page holds at the moment of the press: skeletons and enabled Accept buttons.
LOOK = """() => { window.argmapLook = () => ({
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  accept: Array.from(document.querySelectorAll("button")).filter(
    (b) => b.innerText.trim().startsWith("Accept") && !b.disabled).length}); }"""
# A keydown in the same task as the first stamp: the earliest moment the page says keys work.
AT_STAMP = """(attr) => {
  const press = () => {
    if (window.argmapSeen || !document.documentElement.getAttribute(attr)) return;
    window.argmapSeen = window.argmapLook();
    document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "a", bubbles: true}));
  };
  new MutationObserver(press).observe(document.documentElement, {attributes: true});
}"""
# A keydown as the key frame calls the page's stamp function (argmapReviewStamp), before it.
AT_FRAME = """() => {
  let stamp;
  Object.defineProperty(window, "argmapReviewStamp", {configurable: true,
    set(fn) { stamp = fn; },
    get() { return (...args) => {
      if (!window.argmapSeen) {
        window.argmapSeen = window.argmapLook();
        document.body.dispatchEvent(new KeyboardEvent("keydown", {key: "a", bubbles: true}));
      }
      return stamp(...args);
    }; }});
}"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=20)
    ap.add_argument("--when", choices=["stamp", "frame"], default="stamp")
    args = ap.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="argmap-first-key-"))
    try:
        _bench(args, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def _load(browser: Any, url: str, store: Any, when: str) -> dict[str, int]:
    """One fresh page: a reviewer name, then A at the chosen moment; what the page held then and
    how many decisions the store gained within 15 s."""
    before = len(list_reviews(store))
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{url}/review")
    page.evaluate(LOOK)
    if when == "stamp":
        page.evaluate(AT_STAMP, READY_ATTRIBUTE)
    else:
        page.evaluate(AT_FRAME)
    page.get_by_role("textbox", name="Your name").fill("Bench")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_function("window.argmapSeen", timeout=90_000)
    seen: dict[str, int] = page.evaluate("window.argmapSeen")
    deadline = time.monotonic() + 15
    while len(list_reviews(store)) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    page.wait_for_timeout(1000)  # a second decision from the same press would land by now
    ctx.close()
    return {**seen, "saved": len(list_reviews(store)) - before}


def _bench(args: argparse.Namespace, data: Path) -> None:
    with sample_review_dashboard(data, GRAPH) as (store, url, browser):
        loads = [_load(browser, url, store, args.when) for _ in range(args.loads)]
    print(
        json.dumps(
            {
                "bench": "review_first_key",
                "when": args.when,
                "loads": len(loads),
                "dropped": sum(1 for x in loads if x["saved"] == 0),
                "saved_twice": sum(1 for x in loads if x["saved"] > 1),
                "pressed_with_skeletons": sum(1 for x in loads if x["skeletons"]),
                "pressed_with_no_accept_button": sum(1 for x in loads if not x["accept"]),
                "per_load": loads,
                "load_average": os.getloadavg(),
                "machine": machine(),
            }
        )
    )


if __name__ == "__main__":
    main()
