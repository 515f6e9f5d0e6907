"""Accessibility of what organizers and readers see (WCAG 2.1 AA): the interactive page tells
rebuts from supports by more than colour, passes axe-core in Chromium with nothing to report,
and is used by keyboard alone; the dashboard's headings never skip a level.

The dashboard's own axe run (every page, in Chromium) is in test_dashboard_browser.py, beside
the dashboard it serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argmap.graph.exports import export
from argmap.graph.html_style import FOLD_LEGEND_BELOW
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph
from dashboard_pages import open_page

from tools.axe import axe_violations
from tools.browser import CHROMIUM, launch

PAGES = ("overview", "graph", "chains", "search", "export", "review")


def test_rebuts_and_supports_end_differently_not_only_in_colour(store: Store, nasty) -> None:
    from argmap.graph.html_network import network_for
    from argmap.graph.html_text import legend

    sg = select_subgraph(store, Selection(min_confidence=0))
    kinds = {e.source + e.target: e.type for e in sg.edges}
    ends: dict[str, set[str]] = {"rebuts": set(), "supports": set()}
    for edge in network_for(sg).edges:
        arrows = edge["arrows"]  # "to" alone: vis-network's default arrowhead
        end = arrows["to"]["type"] if isinstance(arrows, dict) else "arrow"
        ends[kinds[edge["from"] + edge["to"]]].add(end)
    assert ends == {"rebuts": {"bar"}, "supports": {"arrow"}}
    words = legend(sg)  # and the legend says so in words, beside a drawing of each end
    assert "ends in a bar" in words and "the arrow points" in words
    assert words.count("<svg") == 2


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


@pytest.mark.parametrize("page", PAGES)
def test_dashboard_headings_never_skip_a_level(sample_env: Store, page: str) -> None:
    at = open_page(None if page == "overview" else page)
    levels = [int(e.tag[1]) for e in _walk(at.main) if getattr(e, "tag", "").startswith("h")]
    assert levels and levels[0] == 1, levels
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert skips == [], f"{page}: heading levels {levels}"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM}")
@pytest.mark.parametrize("width", [1400, 400])
def test_html_page_passes_axe_and_works_by_keyboard(
    store: Store, nasty, axe_js: str, tmp_path: Path, width: int
) -> None:
    from argmap.graph.export_html import page_subgraph
    from playwright.sync_api import sync_playwright

    _, claims, _ = nasty
    path = export(store, "html", Selection(min_confidence=0), tmp_path / "page.html")
    shown = len(page_subgraph(store, Selection(min_confidence=0)).nodes)
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(path.as_uri())
            page.wait_for_function("window.argmapNetwork !== undefined")
            assert axe_violations(page, axe_js) == []

            def focused() -> str:
                return page.evaluate(
                    "(() => { const a = document.activeElement;"
                    " return a.getAttribute('aria-label') || a.textContent; })()"
                )

            if width <= FOLD_LEGEND_BELOW:
                # A phone's page folds its legend into one line: Tab reaches it first, and
                # Enter opens it.
                page.keyboard.press("Tab")
                assert focused() == "What the lines and boxes mean"
                page.keyboard.press("Enter")
                assert page.evaluate("document.querySelector('details.legend').open")
            # Tab reaches the map as text (above the map), then the map (named; arrow keys
            # move it).
            page.keyboard.press("Tab")
            assert focused().startswith(f"The map as text: {shown} claims")
            page.keyboard.press("Tab")
            assert focused().startswith(f"The argument map: {shown} claims")
            before = page.evaluate("argmapNetwork.getViewPosition().y")
            # Held down, the key moves the map on each frame vis-network draws until let go.
            page.keyboard.down("ArrowDown")
            # Polled, not page.wait_for_function: the CSP forbids its eval. Up to 30 s of 50 ms
            # steps: the first frame that moves the map can come late on a loaded machine.
            for _ in range(600):
                if page.evaluate("argmapNetwork.getViewPosition().y") != before:
                    break
                page.wait_for_timeout(50)
            page.keyboard.up("ArrowDown")
            assert page.evaluate("argmapNetwork.getViewPosition().y") > before
            page.keyboard.press("Shift+Tab")  # back to the list: open it, then its first claim
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            first = page.evaluate("document.activeElement.getAttribute('data-claim')")
            page.keyboard.press("Enter")  # opens the claim in its post, as a click on its box
            wanted = next(c for c in claims if c.id == first)
            assert page.evaluate("document.activeElement.tagName") == "H2"
            assert focused() == wanted.text
            assert page.text_content("#details mark") == wanted.quote
            assert axe_violations(page, axe_js) == []  # the open panel and the list too
            page.keyboard.press("Escape")  # closes it, and the keyboard is back where it was
            assert page.evaluate("document.activeElement.getAttribute('data-claim')") == first
        finally:
            browser.close()
