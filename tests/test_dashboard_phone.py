"""End to end, on a phone's screen (390 px wide) in headless Chromium: the Graph page leaves its
frame to the map, not to the legend, and the frame holds its content without a scroll of its own.

Was: the legend's six explanations took six lines at the top of the graph's frame, and with the
caption above them the map began below the middle of the frame. Then, the legend folded, the
map kept its desktop minimum (680 px) under a header that a phone's width wraps to 290 px: the
content overran the 860 px frame, which scrolled inside the page's scroll (two nested scrolls).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from test_dashboard_browser import wait_idle

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

# The frame's height and, inside it, where the legend and the map are (CSS px of the frame), and
# how tall its content is against what the frame shows of it (more: the frame scrolls).
FRAME_BOXES = """() => {
  const box = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                       return {top: r.top, height: r.height}; };
  const doc = document.scrollingElement;
  return {frame: window.innerHeight, legend: box(".legend"), map: box("#network"),
          content: doc.scrollHeight, shown: doc.clientHeight};
}"""


@contextmanager
def graph_frame(url: str, width: int) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The Graph page's frame in a window ``width`` px wide, once its script has run, and the
    boxes of ``FRAME_BOXES`` measured then."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": 844})
            expect.set_options(timeout=60_000)
            page.goto(f"{url}/graph")
            expect(page.get_by_role("heading", name="Argument graph")).to_be_visible()
            wait_idle(page)
            inner = page.locator("iframe").first.element_handle().content_frame()
            # The page's script has run: it folds the legend before it builds the map.
            inner.wait_for_function("() => window.argmapNetwork !== undefined")
            yield page.frame_locator("iframe").first, inner.evaluate(FRAME_BOXES)
        finally:
            browser.close()


def test_on_a_phone_the_legend_folds_into_one_line_and_the_map_gets_the_frame(
    dashboard_url: str,
) -> None:
    from playwright.sync_api import expect

    with graph_frame(dashboard_url, 390) as (frame, boxes):
        # One short line (its summary), not a tenth of the frame; the map starts in the
        # frame's upper half.
        assert boxes["legend"]["height"] < boxes["frame"] / 10, boxes
        assert boxes["map"]["top"] < boxes["frame"] / 2, boxes
        # Nothing is lost: a tap on the summary shows every explanation.
        items = frame.locator(".legend .items")
        expect(items).to_be_hidden()
        frame.get_by_text("What the lines and boxes mean").click()
        expect(items).to_be_visible()
        expect(items).to_contain_text("rebuts: the line ends in a bar")


def test_on_a_phone_the_frame_holds_its_content_without_a_scroll_of_its_own(
    dashboard_url: str,
) -> None:
    with graph_frame(dashboard_url, 390) as (_, boxes):
        assert boxes["content"] <= boxes["shown"] + 1, boxes  # no scroll inside the page's
        # The map takes the rest of the frame, still tall enough to move through.
        assert boxes["map"]["height"] >= 400, boxes
        assert boxes["map"]["top"] + boxes["map"]["height"] <= boxes["frame"] + 1, boxes


def test_on_a_desktop_the_map_keeps_its_full_height(dashboard_url: str) -> None:
    # The phone's smaller minimum stays a phone's: the Graph page asks for 680 px of map (its
    # HEIGHT; importing the page would run it).
    with graph_frame(dashboard_url, 1400) as (_, boxes):
        assert boxes["map"]["height"] >= 680, boxes


def test_on_a_desktop_the_legend_stays_open_without_a_summary_line(
    dashboard_url: str,
) -> None:
    from playwright.sync_api import expect

    with graph_frame(dashboard_url, 1400) as (frame, _):
        expect(frame.locator(".legend .items")).to_contain_text("rebuts: the line ends in a bar")
        expect(frame.locator(".legend .items")).to_be_visible()
        expect(frame.locator(".legend summary")).to_be_hidden()
