"""End to end, in headless Chromium: a claim chosen under Source text (or in the map as text) opens
in the map already drawn, whose frame is not loaded again: the reader's zoom and place stay; and
the map as text's buttons carry their thread's language (the AppTest side is in
``test_dashboard_graph_list``).

Was: the frame's HTML named the open claim, so each choice loaded the frame afresh, the map drawn
again at its first view (the reader's pan and zoom lost); a button could carry no ``lang``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from argmap.dashboard.render import short
from argmap.graph.store import Store
from argument_graphs import write_debate
from dashboard_server import thread_dashboard
from test_dashboard_browser import wait_idle
from test_dashboard_graph_list_browser import graph_page

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

ARTIFACTS = Path(__file__).parent / "artifacts"
PICKER = "Read a claim in its post"
# The map's view: its zoom, the canvas point at the frame's centre, the claims all in view.
VIEW = """() => {
  const n = window.argmapNetwork, c = document.getElementById("network");
  const tl = n.DOMtoCanvas({x: 0, y: 0}), br = n.DOMtoCanvas({x: c.clientWidth, y: c.clientHeight});
  const inside = Object.keys(n.body.nodes).filter((id) => !id.startsWith("w:")).filter((id) => {
    const b = n.getBoundingBox(id);
    return b.left >= tl.x && b.right <= br.x && b.top >= tl.y && b.bottom <= br.y;
  });
  return {scale: n.getScale(), at: n.getViewPosition(), inside: inside};
}"""
FOREIGN = """(id) => new Promise((done) => {
  window.addEventListener("message", (ev) => {
    if (ev.data === "after") done(document.querySelector("#claim h2").textContent);
  });
  window.postMessage({argmap: "open", claim: id, focus: false, seq: 1e9}, "*");
  window.postMessage("after", "*");
})"""
GERMAN = "Das stimmt nicht, die Läden haben danach mehr Kunden gewonnen als vorher."


def label(row: dict) -> str:
    """A claim as the Source text picker names it (``views/graph.py``)."""
    return f"{short(row['author'], 24)}: {short(row['text'], 90)}"


def choose(page, name: str) -> None:
    """Choose ``name`` in the Source text picker, as a reader does: type some of its words, pick
    it among the options left."""
    box = page.get_by_role("combobox", name=PICKER)
    box.click()
    box.press_sequentially(name.split(": ", 1)[1][:30])
    page.get_by_role("option", name=name, exact=True).click()


def test_a_claim_chosen_under_source_text_opens_on_the_map_as_the_reader_left_it(
    dashboard_url: str, sample_store: Store
) -> None:
    from playwright.sync_api import expect, sync_playwright

    rows = {
        r["id"]: r
        for r in sample_store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) "
            "RETURN c.id AS id, c.text AS text, c.quote AS quote, p.author AS author"
        )
    }
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = graph_page(browser, dashboard_url)
            inner = page.locator("iframe").first.element_handle().content_frame()
            inner.wait_for_function("() => window.argmapNetwork !== undefined")
            inner.evaluate("() => { window.sameDocument = true; }")  # gone if the frame reloads

            # The reader zooms in (Ctrl+wheel) and drags the map somewhere else.
            canvas = inner.locator("#network canvas").bounding_box()  # in the page's pixels
            x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + 200
            first = inner.evaluate(VIEW)
            page.mouse.move(x, y)
            page.keyboard.down("Control")
            page.mouse.wheel(0, -400)
            page.keyboard.up("Control")
            page.mouse.down()
            page.mouse.move(x - 150, y - 60, steps=8)
            page.mouse.up()
            left = inner.evaluate(VIEW)
            assert left["scale"] != pytest.approx(first["scale"]), (first, left)
            assert left["at"] != pytest.approx(first["at"]), (first, left)
            assert left["inside"], left  # some claims in view to choose

            # A claim in view, chosen under Source text: its panel opens, the map stays put.
            shown = page.get_by_test_id("stSelectbox").filter(has_text=PICKER).inner_text()
            claim = next(c for c in left["inside"] if label(rows[c]) not in shown)
            row = rows[claim]
            choose(page, label(row))
            frame = page.frame_locator("iframe").first
            expect(frame.locator("#claim h2")).to_have_text(row["text"])
            expect(frame.locator("#claim mark")).to_have_text(row["quote"])
            wait_idle(page)
            expect(page.locator("mark").filter(has_text=row["quote"])).to_be_visible()
            assert inner.evaluate("() => window.sameDocument") is True  # not loaded again
            assert inner.evaluate("window.argmapNetwork.getSelectedNodes()") == [claim]
            kept = inner.evaluate(VIEW)
            assert kept["scale"] == pytest.approx(left["scale"]), (left, kept)
            assert kept["at"] == pytest.approx(left["at"]), (left, kept)
            # The picker keeps the keyboard: a claim chosen there does not take it.
            assert page.evaluate("document.activeElement.tagName") != "IFRAME"
            ARTIFACTS.mkdir(exist_ok=True)
            page.locator("iframe").first.evaluate("(f) => f.scrollIntoView({block: 'end'})")
            page.screenshot(path=str(ARTIFACTS / "dashboard-graph-source-text-opened.png"))

            # A message from anywhere but the page around the frame opens nothing (here the
            # frame's own window; messages arrive in order, so the second one comes after it).
            other = next(c for c in left["inside"] if c != claim)
            assert inner.evaluate(FOREIGN, other) == row["text"]

            # A claim out of view comes into view, at the reader's zoom.
            drawn = inner.evaluate("Object.keys(window.argmapNetwork.body.nodes)")
            away = next(c for c in drawn if c in rows and c not in kept["inside"])
            row = rows[away]
            choose(page, label(row))
            expect(frame.locator("#claim h2")).to_have_text(row["text"])
            wait_idle(page)
            moved = inner.evaluate(VIEW)
            assert inner.evaluate("() => window.sameDocument") is True
            assert moved["scale"] == pytest.approx(left["scale"]), (left, moved)
            assert away in moved["inside"], moved
        finally:
            browser.close()


def test_the_map_as_text_buttons_carry_their_threads_language(
    falkordb_dir: Path, tmp_path: Path
) -> None:
    # Was: the English page's buttons said nothing of a German claim's language.
    from playwright.sync_api import expect, sync_playwright

    def german_thread(store: Store) -> None:
        write_debate(
            store,
            rebuts=[("a1", "t1")],
            texts={
                "a1": GERMAN,
                "t1": "Seit dem Verbot haben die Geschäfte in der Innenstadt Kunden verloren.",
            },
            authors={"a1": "Jürgen"},
        )

    with thread_dashboard(falkordb_dir, tmp_path, german_thread) as url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = graph_page(browser, url)
            page.get_by_text(re.compile(r"^The map as text: \d+ claims")).click()
            claim = page.get_by_role("button", name=re.compile("Läden haben"))
            expect(claim).to_have_attribute("lang", "de")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-graph-list-lang.png"))
            # Chosen, the run draws the list again: the button keeps its language, and the claim
            # opens in the map's panel.
            claim.click()
            frame = page.frame_locator("iframe").first
            expect(frame.locator("#claim h2")).to_have_text(GERMAN)
            wait_idle(page)
            expect(page.get_by_role("button", name=re.compile("Läden haben"))).to_have_attribute(
                "lang", "de"
            )
        finally:
            browser.close()
