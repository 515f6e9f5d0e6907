"""End to end in headless Chromium: the Overview's claim tables show comment text as text, and
a long unbroken word wraps inside its cell.

Was, on a thread whose claims hold a web address and a 120-character word: remark-gfm made
``https://evil.example/x`` and ``www.evil.example`` clickable links (a phishing link in our own
UI), and at 390 px each table scrolled sideways in its box (the word kept its cell ~800 px wide).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from dashboard_server import thread_dashboard
from links_thread import LINK, LONG_URL, PLAIN, PLAIN_OBJECTION, THESIS, write_links_thread
from test_dashboard_browser import ARTIFACTS, wait_idle

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

# What a reader copies from a cell: its text selected whole, as the clipboard gets it.
COPIED = """(cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const text = selection.toString().trim();
  selection.removeAllRanges();
  return text;
}"""
# Each claim table's box and the table in it, the cells whose text scrolls inside them, and
# whether the page scrolls sideways.
WIDTHS = """() => ({
  page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  tables: [...document.querySelectorAll('[data-testid="stTable"] table')].map((t) => {
    const box = t.parentElement;  // Streamlit's scrolling frame around the table
    return [box.scrollWidth, box.clientWidth];
  }),
  cells: [...document.querySelectorAll('[data-testid="stTable"] td [data-testid="stMarkdownContainer"]')]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => [e.textContent.slice(0, 40), e.scrollWidth, e.clientWidth]),
})"""
# Words broken across two lines in the cells after the claim's (an author, a count): a word
# laid out whole has one box.
BROKEN_WORDS = """() => {
  const broken = [];
  document.querySelectorAll('[data-testid="stTable"] td:not(:first-child) p').forEach((p) => {
    const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        if (r.getClientRects().length > 1) broken.push(m[0]);
      }
    }
  });
  return broken;
}"""
# A cell's text laid out as now, then as with Streamlit's own rule (overflow-wrap: normal):
# for words that fit, the two are the same box.
BOTH_WAYS = """(cell) => {
  const md = cell.querySelector('[data-testid="stMarkdownContainer"]');
  const parts = [md, ...md.querySelectorAll("p")];
  const box = () => { const r = md.getBoundingClientRect(); return [r.width, r.height]; };
  const now = box();
  parts.forEach((e) => { e.style.overflowWrap = "normal"; });
  const before = box();
  parts.forEach((e) => { e.style.overflowWrap = ""; });
  return {now: now, before: before};
}"""


@pytest.fixture(scope="module")
def links_url(falkordb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a graph holding only the links thread (one for the module's tests)."""
    home = tmp_path_factory.mktemp("links_home")
    with thread_dashboard(falkordb_dir, home, write_links_thread) as url:
        yield url


@contextmanager
def overview(url: str, width: int, height: int) -> Iterator[Any]:
    """The Overview in headless Chromium at ``width`` x ``height``, its run ended; on leaving,
    a screenshot of its claim tables goes to tests/artifacts/."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            expect.set_options(timeout=60_000)
            page.goto(url)
            heading = page.get_by_role("heading", name="Objections still unanswered")
            expect(heading).to_be_visible(timeout=120_000)
            wait_idle(page)
            yield page
            heading.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"dashboard-overview-links-{width}.png"))
        finally:
            browser.close()


def test_addresses_in_claims_read_as_text_with_nothing_to_click(links_url: str) -> None:
    from playwright.sync_api import expect

    with overview(links_url, 390, 844) as page:
        cells = page.locator('[data-testid="stTable"] td')
        # The addresses are there to read and copy, as the commenters wrote them...
        for text in (LINK, "www.evil.example", LONG_URL):
            expect(cells.filter(has_text=text).first).to_be_visible()
        copied = cells.filter(has_text=LINK).first.evaluate(COPIED)
        # ...and nothing to click.
        links = page.locator('a[href*="evil.example"]').evaluate_all("(a) => a.map((e) => e.href)")
    assert copied == THESIS  # every character, nothing added between them
    assert links == []


def test_a_long_word_wraps_in_its_cell_on_a_phone(links_url: str) -> None:
    with overview(links_url, 390, 844) as page:
        widths = page.evaluate(WIDTHS)
        broken = page.evaluate(BROKEN_WORDS)
    assert len(widths["tables"]) == 3, widths  # theses, most contested, unanswered
    assert [w for w in widths["tables"] if w[0] > w[1] + 1] == [], widths
    assert widths["cells"] == [], widths
    page_width, screen = widths["page"]
    assert page_width <= screen, widths
    assert broken == []  # room made in the claim's column, not by breaking "Club" into "Clu" "b"


def test_on_a_desktop_a_claim_in_words_that_fit_is_laid_out_as_before(links_url: str) -> None:
    with overview(links_url, 1400, 1000) as page:
        cells = page.locator('[data-testid="stTable"] td')
        plain = [
            cells.filter(has_text=t).first.evaluate(BOTH_WAYS) for t in (PLAIN, PLAIN_OBJECTION)
        ]
        widths = page.evaluate(WIDTHS)
    assert [p for p in plain if p["now"] != p["before"]] == [], plain
    # The long word, too wide for its cell at any width, wraps there too (it scrolled in it).
    assert widths["cells"] == [], widths
