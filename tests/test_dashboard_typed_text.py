"""End to end in headless Chromium: claims and comments read as their authors typed them, and
their long words stay on a phone's screen, on every page that shows them.

Was, on a thread holding "Fees -> up ... -- so dues >= 40 and <= 60, ~= 50" and a 150-character
address: the Overview and Graph showed "Fees → up ... — so dues ≥ 40 and ≤ 60, ≈ 50" (Streamlit's
Markdown retypes those pairs); at 390 px the Chains page scrolled sideways (1230 px in 390), the
post on Graph, Search and Review ran ~800 px past its box, the Graph's map as text (then inside
the map's frame) was 1268 px wide in 358, and a commenter's 50-character handle held the Overview's
unanswered objections 482 px wide in their 356 px box.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import thread_dashboard
from test_dashboard_browser import ARTIFACTS, wait_idle
from test_dashboard_comment_links import COPIED
from typed_thread import AUTHOR, COMPOUND, TOKEN, TYPED, TYPED_REPLY, write_typed_thread

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

REVIEWER = "Scholar"
# Whether the page scrolls sideways: the document, and Streamlit's main block it scrolls in.
SIDEWAYS = """() => {
  const doc = document.scrollingElement;
  const main = document.querySelector('[data-testid="stMain"]');
  return {document: [doc.scrollWidth, doc.clientWidth],
          main: main ? [main.scrollWidth, main.clientWidth] : null};
}"""
# Every element on screen holding a piece of a long word in its own text, where it lies, and
# whether its text runs past its own box (a box that scrolls, or hides what sticks out).
HOLDERS = """(pieces) => [...document.querySelectorAll("body *")]
  .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && pieces.some((p) => n.data.includes(p))))
  .map((e) => ({tag: e.tagName, box: e.getBoundingClientRect().toJSON(), scroll: [e.scrollWidth, e.clientWidth]}))
  .filter((e) => e.box.width > 0 && e.box.height > 0)"""
PIECES = [TOKEN[40:70], COMPOUND[:30], AUTHOR[:30]]


@pytest.fixture(scope="module")
def typed_url(falkordb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard, edits allowed (the Review page), on a graph holding only the typed thread."""
    home = tmp_path_factory.mktemp("typed_home")
    with thread_dashboard(falkordb_dir, home, write_typed_thread, "--allow-edits") as url:
        yield url


def opened(page: Any, url: str, heading: str) -> None:
    """``url`` loaded and its run ended, once ``heading`` is on screen."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=120_000)
    wait_idle(page)


def test_claims_read_and_copy_as_typed(typed_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            expect.set_options(timeout=60_000)
            opened(page, typed_url, "Objections still unanswered")
            claims = page.locator('[data-testid="stTable"] td:first-child')
            overview = claims.evaluate_all("(cells) => cells.map((c) => c.innerText.trim())")
            # The first cell of each (the theses' table comes before the contested claims').
            copied = [
                claims.filter(has_text=re.compile(f"^{w} ")).first.evaluate(COPIED)
                for w in ("Fees", "No")
            ]
            opened(page, f"{typed_url}/graph", "Source text")
            said = page.locator('[data-testid="stMarkdownContainer"] p')
            graph = said.filter(has_text="Claim: ").first.inner_text()
        finally:
            browser.close()
    # The article's claim heads the theses, the comment's the unanswered objections: as typed.
    assert TYPED in overview and TYPED_REPLY in overview, overview
    assert copied == [TYPED, TYPED_REPLY]  # what a reader copies, too
    assert graph == f"Claim: {TYPED}"  # the claim read in its post, the map's focus


def page_checks(page: Any) -> dict[str, Any]:
    """The page's sideways scroll and the boxes of its long words, screen width aside."""
    return {"sideways": page.evaluate(SIDEWAYS), "words": page.evaluate(HOLDERS, PIECES)}


def test_long_words_stay_on_a_phones_screen_on_every_page(typed_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    width = 390
    seen: dict[str, dict[str, Any]] = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": 844})
            expect.set_options(timeout=60_000)
            ARTIFACTS.mkdir(exist_ok=True)

            opened(page, typed_url, "Objections still unanswered")
            seen["overview"] = page_checks(page)

            opened(page, f"{typed_url}/graph", "Source text")
            seen["graph"] = page_checks(page)
            # The map as text is an expander on the page, above the map's frame.
            title = page.get_by_text(re.compile(r"^The map as text: \d+ claims"))
            title.click()
            listing = page.locator("details", has=title)
            expect(listing.get_by_role("button").first).to_be_visible()  # its claims
            page.wait_for_function(
                "d => d.open && d.scrollHeight <= d.clientHeight + 1",
                arg=listing.element_handle(),
            )
            seen["graph, map as text"] = page_checks(page)
            page.screenshot(path=str(ARTIFACTS / "dashboard-long-words-graph-390.png"))

            opened(page, f"{typed_url}/chains", "Rebuttal chains")
            seen["chains"] = page_checks(page)
            page.screenshot(path=str(ARTIFACTS / "dashboard-long-words-chains-390.png"))

            opened(page, f"{typed_url}/search", "Search")
            search = page.get_by_role("textbox", name="Search claims")
            search.fill("minutes")
            search.press("Enter")
            expect(page.get_by_text("Read a result in its post")).to_be_visible()
            wait_idle(page)
            seen["search"] = page_checks(page)

            opened(page, f"{typed_url}/review", "Review")
            name = page.get_by_role("textbox", name="Your name (kept with every decision you make)")
            name.fill(REVIEWER)
            name.press("Enter")
            expect(page.get_by_text(f"Reviewing as {REVIEWER}")).to_be_visible()
            wait_idle(page)
            seen["review"] = page_checks(page)
            page.screenshot(path=str(ARTIFACTS / "dashboard-long-words-review-390.png"))
        finally:
            browser.close()

    problems = []
    for where, found in seen.items():
        doc, main = found["sideways"]["document"], found["sideways"]["main"]
        if doc[0] > doc[1] + 1 or (main is not None and main[0] > main[1] + 1):
            problems.append((where, "scrolls sideways", found["sideways"]))
        if not found["words"]:
            problems.append((where, "shows no long word"))
        for w in found["words"]:
            if w["box"]["left"] < -1 or w["box"]["right"] > width + 1:
                problems.append((where, w["tag"], "off the screen", w["box"]))
            if w["scroll"][0] > w["scroll"][1] + 1:
                problems.append((where, w["tag"], "cut off in its box", w["scroll"]))
    assert problems == [], problems
