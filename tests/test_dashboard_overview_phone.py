"""End to end: the Overview's claims read whole on a phone held upright (390 px) and on a
desktop (1400 px), in headless Chromium.

Was: the three claim tables (theses, most contested, unanswered objections) were
``st.dataframe`` grids, drawn on a canvas one line a row: at 390 px a claim ran past the grid's
edge after some forty characters, its rebuttal counts out of sight; at 1400 px it was cut at
its column's edge. An organizer could not read the claims they came for.

Then, wrapped, the most contested claims had a third of their table at 390 px (114 of 356 px: a
word or two a line) beside an author column and two counts; the author now follows the claim in
its cell.
"""

from __future__ import annotations

import pytest
from argmap.graph import queries
from argmap.graph.store import Store
from test_dashboard_browser import ARTIFACTS, wait_idle

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

# Where a text element is cut: past the screen's edges, outside a box of its own ancestors that
# hides or scrolls what sticks out, or overflowing itself (an ellipsis, a clipped line).
CUT = """(e) => {
  const r = e.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = document.documentElement.clientHeight;
  const outside = (b) => r.left < b.left - 1 || r.right > b.right + 1
    || r.top < b.top - 1 || r.bottom > b.bottom + 1;
  const cut = [];
  if (outside({left: 0, top: 0, right: vw, bottom: vh})) cut.push("the screen");
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if ((s.overflowX !== "visible" || s.overflowY !== "visible") && outside(a.getBoundingClientRect()))
      cut.push(a.dataset.testid || a.tagName.toLowerCase());
  }
  if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) cut.push("itself");
  return {left: Math.round(r.left), right: Math.round(r.right), cut: cut};
}"""


def longest(texts: list[str]) -> str:
    """The longest of ``texts``, its whitespace collapsed as the page shows it."""
    return max((" ".join(t.split()) for t in texts), key=len)


@pytest.mark.parametrize("width, height", [(390, 844), (1400, 1000)])
def test_the_overviews_longest_claims_are_read_whole_at_a_phones_width_and_a_desktops(
    dashboard_url: str, sample_store: Store, width: int, height: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    top = 10  # rows the Overview shows in each table
    claims = {
        "theses": longest([t.text for t in queries.theses(sample_store)[:top]]),
        "most contested": longest([c.text for c in queries.contested(sample_store, top)]),
        "unanswered": longest([u.text for u in queries.unanswered(sample_store, top)]),
    }
    assert all(len(text) > 150 for text in claims.values()), claims  # longer than a phone's line
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            expect.set_options(timeout=60_000)
            page.goto(dashboard_url)
            expect(page.get_by_role("heading", name="Objections still unanswered")).to_be_visible(
                timeout=120_000
            )
            wait_idle(page)
            cut = {}
            for table, text in claims.items():
                # A most contested claim's cell ends in its author's name: the claim begins it.
                shown = page.get_by_text(text, exact=table != "most contested")
                # A claim can head two tables (the article's most rebutted thesis): each is whole.
                expect(shown.first).to_be_visible()
                for i in range(shown.count()):
                    shown.nth(i).scroll_into_view_if_needed()
                    where = shown.nth(i).evaluate(CUT)
                    if where["cut"]:
                        cut[f"{table} #{i}"] = where
            shown.first.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"dashboard-overview-claims-{width}.png"))
        finally:
            browser.close()
    assert not cut, cut


# The table under a heading: each column header's width, and the table's (CSS px).
COLUMNS = """(table) => ({
  table: table.getBoundingClientRect().width,
  columns: [...table.querySelectorAll("thead th")].map(
    th => [th.textContent.trim(), th.getBoundingClientRect().width]),
})"""


def test_on_a_phone_the_most_contested_claims_take_most_of_their_tables_width(
    dashboard_url: str,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            expect.set_options(timeout=60_000)
            page.goto(dashboard_url)
            heading = page.get_by_role("heading", name="Most contested claims")
            expect(heading).to_be_visible(timeout=120_000)
            wait_idle(page)
            table = heading.locator("xpath=following::table[1]")
            sizes = table.evaluate(COLUMNS)
            table.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-overview-contested-390.png"))
        finally:
            browser.close()
    (claim, claim_width), *counts = sizes["columns"]
    assert claim.startswith("claim"), sizes
    assert claim_width >= 0.55 * sizes["table"], sizes
    # The counts keep their own headed columns, numbers a reader compares down the table.
    assert [name for name, _ in counts] == ["rebuttals", "supports"], sizes
