"""End to end, in headless Chromium: the Graph page's map as text opens a claim by keyboard alone,
in the map's panel, as a click on its box does (the Streamlit side is checked with AppTest in
``test_dashboard_graph_list``).

Was: the list was plain text, out of the keyboard's reach; only a click on the canvas opened a
claim's panel.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argument_graphs import write_debate
from dashboard_server import thread_dashboard
from test_dashboard_browser import STREAMLIT_TEXT, wait_idle

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

ARTIFACTS = Path(__file__).parent / "artifacts"
LIST_TITLE = re.compile(r"^The map as text: \d+ claims")
# The element that has the keyboard in a document, and its words.
ARABIC = "لا أوافق على هذا الرأي لأن التجار سيخسرون زبائنهم."
# Where a line's first character and its last (the full stop) are drawn, in CSS px from the left.
ENDS = """(p) => {
  const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT), nodes = [];
  while (walk.nextNode()) nodes.push(walk.currentNode);
  const left = (node, i) => { const r = document.createRange();
                              r.setStart(node, i); r.setEnd(node, i + 1);
                              return r.getBoundingClientRect().left; };
  const last = nodes[nodes.length - 1];
  return {first: left(nodes[0], 0), stop: left(last, last.length - 1)};
}"""
FOCUSED = """() => { const a = document.activeElement;
                     return {tag: a.tagName, name: a.getAttribute("aria-label") || a.innerText}; }"""


def graph_page(browser, url: str, width: int = 1280, height: int = 900):
    """A new page at ``width`` x ``height`` on the Graph page of the dashboard at ``url``, its
    first run drawn (the waits long enough for a busy machine's first script run)."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)
    page.goto(f"{url}/graph")
    expect(page.get_by_role("heading", name="Argument graph")).to_be_visible()
    wait_idle(page)
    return page


# A desktop's window, and a phone's (390 px) where a box on the canvas is hard to hit.
@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_a_claim_of_the_map_as_text_opens_in_the_maps_panel_by_keyboard(
    dashboard_url: str, sample_store: Store, axe_js: str, width: int, height: int
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tools.axe import axe_violations

    claims = {
        f"{r['author']}: {r['text']}": r
        for r in sample_store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) "
            "RETURN c.id AS id, c.text AS text, c.quote AS quote, p.author AS author"
        )
    }
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = graph_page(browser, dashboard_url, width, height)

            # The list's title takes the keyboard (a <summary>), Enter opens it, Tab goes on to
            # its claims (the second here).
            title = page.locator("summary").filter(has=page.get_by_text(LIST_TITLE))
            title.focus()
            page.keyboard.press("Enter")
            listing = page.locator("details", has=title)
            expect(listing.get_by_role("button").nth(1)).to_be_visible()
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            assert focused["tag"] == "BUTTON", focused
            # Its name holds the claim's words.
            (wanted,) = [c for label, c in claims.items() if focused["name"].startswith(label)]

            page.keyboard.press("Enter")
            # The map already drawn opens the claim (its frame is not loaded again): its quote.
            frame = page.frame_locator("iframe").first
            expect(frame.locator("#claim mark")).to_have_text(wanted["quote"])
            wait_idle(page)
            expect(frame.locator("#claim h2")).to_have_text(wanted["text"])
            inner = page.locator("iframe").first.element_handle().content_frame()
            # Its box is the map's selected one, as after a click on it, and the keyboard has
            # followed it into the panel (where the page scrolled to).
            assert inner.evaluate("window.argmapNetwork.getSelectedNodes()") == [wanted["id"]]
            assert inner.evaluate(FOCUSED) == {"tag": "H2", "name": wanted["text"]}
            assert page.evaluate(FOCUSED)["tag"] == "IFRAME"
            # Under Source text too.
            expect(page.locator("mark").filter(has_text=wanted["quote"])).to_be_visible()
            # The open list, its claims buttons, and the open panel: no axe finding.
            assert axe_violations(page, axe_js, STREAMLIT_TEXT) == []
            assert axe_violations(inner, axe_js) == []
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"dashboard-graph-list-opened-{width}.png"))
            # Escape closes the panel, and the keyboard is back on the claim in the list.
            page.keyboard.press("Escape")
            expect(frame.locator("#details")).not_to_have_class(re.compile(r"\bopen\b"))
            assert page.evaluate(FOCUSED) == focused

            # Back on the page from another, the claim is still open, and the keyboard is left
            # where the reader put it (the frame's new document does not take it).
            def go(name: str) -> None:  # to a page, through the sidebar's links
                expand = page.get_by_role("button", name="Expand sidebar")
                if expand.is_visible():  # a phone's sidebar folded away (a settled page)
                    expand.click()
                page.get_by_role("link", name=name).click()

            go("Chains")
            expect(page.get_by_role("heading", name="Rebuttal chains")).to_be_visible()
            wait_idle(page)
            go("Graph")
            expect(frame.locator("#claim mark")).to_have_text(wanted["quote"])
            assert page.evaluate(FOCUSED)["tag"] != "IFRAME"
        finally:
            browser.close()


def test_an_arabic_claim_of_the_map_as_text_reads_right_to_left(
    falkordb_dir: Path, tmp_path: Path
) -> None:
    # Was: the button's line was laid out left to right, the claim's full stop on its right.
    from playwright.sync_api import expect, sync_playwright

    def arabic_thread(store: Store) -> None:
        write_debate(
            store,
            rebuts=[("a1", "t1")],
            texts={"a1": ARABIC, "t1": "Shops gained customers after the ban."},
            authors={"a1": "أحمد"},
        )

    with thread_dashboard(falkordb_dir, tmp_path, arabic_thread) as url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = graph_page(browser, url)
            page.get_by_text(LIST_TITLE).click()
            claim = page.get_by_role("button", name=re.compile("التجار"))
            expect(claim).to_be_visible()
            ends = claim.locator("p").evaluate(ENDS)
            assert ends["stop"] < ends["first"], ends  # the sentence ends on its left
        finally:
            browser.close()
