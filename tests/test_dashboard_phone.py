"""End to end, in headless Chromium on a phone's screen (390 px wide) and a desktop's: the Graph
page leaves its frame to the map, not to the legend, and the frame holds its content in every
state (the map as text open or closed, a long post open in the claim panel, a phone's legend
open, the whole graph under the cap) without a scroll of its own inside the page's.

Was: the legend's six explanations took six lines at the top of the graph's frame, and with the
caption above them the map began below the middle of the frame. Then, the legend folded, the
map kept its desktop minimum (680 px) under a header that a phone's width wraps to 290 px: the
content overran the 860 px frame, which scrolled inside the page's scroll (two nested scrolls).
Then a desktop's frame still scrolled by 63 px (header, the map as text's line and the 680 px
map), and on a phone the map as text, opened inside the frame, ran 3,000 px past its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from argmap.graph.html_style import FOLD_LEGEND_BELOW, PHONE_MAP_MIN
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


# The Graph page asks for 680 px of map on a desktop (its HEIGHT; importing the page would run it).
DESKTOP_MAP = 680
# A desktop's window and a phone's held upright.
SIZES = [(1280, 800), (1400, 900), (390, 844)]
LIST_TITLE = re.compile(r"^The map as text: \d+ claims")
# Opens each claim in the panel (as a click on its box does) and leaves open the one whose panel
# is tallest, its post the longest; the panel's full height then.
LONGEST_POST = """() => {
  const panel = document.querySelector("#details");
  let best = null, most = -1;
  for (const id of window.argmapNetwork.body.data.nodes.getIds()) {
    if (id.startsWith("w:")) continue;  // an edge's waypoint, not a claim
    window.argmapShow(id);
    if (panel.scrollHeight > most) { most = panel.scrollHeight; best = id; }
  }
  window.argmapShow(best);
  return most;
}"""


@contextmanager
def graph_frame(url: str, width: int, height: int = 844) -> Iterator[tuple[Any, Any, Any]]:
    """The Graph page in a ``width`` x ``height`` window once the frame's script has run: the
    page, the frame (a locator) and the frame's document (to measure ``FRAME_BOXES`` in)."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            # As long for the page's own waits (the frame's script, a click) as for expect's.
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)
            page.goto(f"{url}/graph")
            expect(page.get_by_role("heading", name="Argument graph")).to_be_visible()
            wait_idle(page)
            inner = page.locator("iframe").first.element_handle().content_frame()
            # The page's script has run: it folds the legend before it builds the map.
            inner.wait_for_function("() => window.argmapNetwork !== undefined")
            yield page, page.frame_locator("iframe").first, inner
        finally:
            browser.close()


def assert_fits(boxes: dict[str, Any]) -> None:
    """The frame shows all its content: no scroll inside the page's, the map's end in view."""
    assert boxes["content"] <= boxes["shown"] + 1, boxes
    assert boxes["map"]["top"] + boxes["map"]["height"] <= boxes["frame"] + 1, boxes


def open_the_map_as_text(page: Any, frame: Any, inner: Any) -> Any:
    """Open *The map as text* where the page shows it (on the page, or inside the frame as it
    did before) and return its last claim once the list has opened whole."""
    from playwright.sync_api import expect

    for where, document in ((page, page), (frame, inner)):
        title = where.get_by_text(LIST_TITLE)
        if title.count():
            title.click()
            listing = where.locator("details", has=title)
            claims = listing.get_by_role("button")  # each claim a button
            expect(claims.first).to_be_visible()
            # Opened whole (an expander grows to its height in steps): nothing of it cut off.
            document.wait_for_function(
                "d => d.open && d.scrollHeight <= d.clientHeight + 1",
                arg=listing.element_handle(),
            )
            return claims.last
    raise AssertionError("the Graph page shows no 'The map as text'")


def test_on_a_phone_the_legend_folds_into_one_line_and_the_map_gets_the_frame(
    dashboard_url: str,
) -> None:
    from playwright.sync_api import expect

    with graph_frame(dashboard_url, 390) as (_, frame, inner):
        boxes = inner.evaluate(FRAME_BOXES)
        # One short line (its summary), not a tenth of the frame; the map starts in the
        # frame's upper half.
        assert boxes["legend"]["height"] < boxes["frame"] / 10, boxes
        assert boxes["map"]["top"] < boxes["frame"] / 2, boxes
        # Nothing is lost: a tap on the summary shows every explanation...
        items = frame.locator(".legend .items")
        expect(items).to_be_hidden()
        frame.get_by_text("What the lines and boxes mean").click()
        expect(items).to_be_visible()
        expect(items).to_contain_text("rebuts: the line ends in a bar")
        # ...and the map makes room for it: the frame still holds its content.
        opened = inner.evaluate(FRAME_BOXES)
        assert_fits(opened)
        assert opened["map"]["height"] >= PHONE_MAP_MIN, opened


@pytest.mark.parametrize("width, height", SIZES)
def test_the_frame_holds_its_content_with_the_map_as_text_closed_and_open(
    dashboard_url: str, width: int, height: int
) -> None:
    from playwright.sync_api import expect

    least = PHONE_MAP_MIN if width <= FOLD_LEGEND_BELOW else DESKTOP_MAP
    with graph_frame(dashboard_url, width, height) as (page, frame, inner):
        closed = inner.evaluate(FRAME_BOXES)
        assert_fits(closed)
        assert closed["map"]["height"] >= least, closed
        # Readable whole: open, nothing of it cut off or in a scroll box (open_the_map_as_text
        # waits for that), down to its last claim.
        expect(open_the_map_as_text(page, frame, inner)).to_be_visible()
        opened = inner.evaluate(FRAME_BOXES)
        assert_fits(opened)
        assert opened["map"]["height"] >= closed["map"]["height"], (closed, opened)


def test_the_whole_graph_under_the_cap_keeps_a_desktops_map_in_a_frame_that_fits(
    dashboard_url: str,
) -> None:
    # The frame's header then holds the note that the cap left claims out, two lines more.
    from playwright.sync_api import expect

    with graph_frame(dashboard_url, 1280, 800) as (page, frame, _):
        page.get_by_role("combobox", name="Around a claim").click()
        page.get_by_role("option", name="Whole graph").click()
        expect(page.get_by_text("the cap kept", exact=False)).to_be_visible()
        wait_idle(page)
        expect(frame.locator(".truncated")).to_be_visible()  # the new frame's document
        inner = page.locator("iframe").first.element_handle().content_frame()
        inner.wait_for_function("() => window.argmapNetwork !== undefined")
        boxes = inner.evaluate(FRAME_BOXES)
        assert_fits(boxes)
        assert boxes["map"]["height"] >= DESKTOP_MAP, boxes


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_a_long_post_opened_in_the_panel_scrolls_in_the_panel_not_the_frame(
    dashboard_url: str, width: int, height: int
) -> None:
    with graph_frame(dashboard_url, width, height) as (_, _, inner):
        tallest = inner.evaluate(LONGEST_POST)
        boxes = inner.evaluate(FRAME_BOXES)
        assert tallest > boxes["map"]["height"], (tallest, boxes)  # a post longer than the map
        assert_fits(boxes)
        panel = inner.evaluate(
            "() => { const e = document.querySelector('#details'), r = e.getBoundingClientRect();"
            " return {bottom: r.bottom, shown: e.clientHeight, content: e.scrollHeight}; }"
        )
        assert panel["bottom"] <= boxes["frame"] + 1, panel  # its end in view, in the frame
        assert panel["content"] > panel["shown"], panel  # the rest of the post a scroll away


def test_on_a_desktop_the_legend_stays_open_without_a_summary_line(
    dashboard_url: str,
) -> None:
    from playwright.sync_api import expect

    with graph_frame(dashboard_url, 1400) as (_, frame, _):
        expect(frame.locator(".legend .items")).to_contain_text("rebuts: the line ends in a bar")
        expect(frame.locator(".legend .items")).to_be_visible()
        expect(frame.locator(".legend summary")).to_be_hidden()
