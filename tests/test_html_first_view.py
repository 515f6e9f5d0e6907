"""The interactive page's first view, in headless Chromium: it opens on its first claim (the
focus, or the first conversation's first claim), whole and at a readable zoom, with the claims
answering it beside it, whatever the size of the window, and keeps it there when the frame
changes size under it; once the reader has zoomed, a change of size keeps their zoom.

Measured on the boxes vis-network draws (canvas coordinates turned into the page's), on the
bundled sample's whole graph, the page ``argmap export -f html`` writes for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from argmap.graph.export_html import MIN_SCALE, page_subgraph
from argmap.graph.exports import export
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection

from tools.browser import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless Chromium not found at {CHROMIUM}"),
]

# Where the claim and its neighbours are drawn, in the page's pixels, and what of the map shows.
MEASURE = """([anchor, near]) => {
  const net = window.argmapNetwork, r = document.getElementById('network').getBoundingClientRect();
  const box = id => { const b = net.getBoundingBox(id);
    const tl = net.canvasToDOM({x: b.left, y: b.top}), br = net.canvasToDOM({x: b.right, y: b.bottom});
    return {left: r.left + tl.x, top: r.top + tl.y, right: r.left + br.x, bottom: r.top + br.y}; };
  return {claim: box(anchor), near: near.map(box), scale: net.getScale(),
          corner: net.DOMtoCanvas({x: 0, y: 0}),
          // the map's part of the window: its frame, cut by the window's edges
          shown: {left: Math.max(r.left, 0), top: Math.max(r.top, 0),
                  right: Math.min(r.right, innerWidth), bottom: Math.min(r.bottom, innerHeight)}};
}"""
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="module")
def sample_page(sample_store: Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample's page, the claim it opens on and the claims joined to that one."""
    path = export(sample_store, "html", Selection(), tmp_path_factory.mktemp("page") / "map.html")
    sg = page_subgraph(sample_store, Selection())
    anchor = sg.focus or sg.nodes[0].id
    near = sorted({e.source for e in sg.edges if e.target == anchor})
    near += sorted({e.target for e in sg.edges if e.source == anchor})
    assert near, "the sample's first claim is answered"
    return {"url": path.as_uri(), "ids": [anchor, near]}


@pytest.fixture
def open_page(sample_page: dict[str, Any]) -> Iterator[Any]:
    """Opens the sample's page in a fresh Chromium at the size given; yields that function."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)

        def at(width: int, height: int) -> Any:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(sample_page["url"])
            page.wait_for_function("window.argmapNetwork !== undefined")
            page.evaluate(NEXT_FRAME)  # drawn once
            return page

        try:
            yield at
        finally:
            browser.close()


def _inside(box: dict[str, float], area: dict[str, float]) -> bool:
    return (
        box["left"] >= area["left"] - 0.5
        and box["right"] <= area["right"] + 0.5
        and box["top"] >= area["top"] - 0.5
        and box["bottom"] <= area["bottom"] + 0.5
    )


def _overlaps(box: dict[str, float], area: dict[str, float]) -> bool:
    return (
        box["left"] < area["right"]
        and area["left"] < box["right"]
        and box["top"] < area["bottom"]
        and area["top"] < box["bottom"]
    )


def assert_opens_on_the_claim(got: dict[str, Any]) -> None:
    """The claim whole in the map's visible part, readable, with a neighbour beside it."""
    assert got["scale"] >= MIN_SCALE
    assert _inside(got["claim"], got["shown"]), (got["claim"], got["shown"])
    assert any(_overlaps(b, got["shown"]) for b in got["near"]), got["near"]


@pytest.mark.parametrize("size", [(1400, 1000), (1024, 768), (400, 800)])
def test_the_page_opens_on_its_first_claim_whole(
    open_page, sample_page: dict[str, Any], size: tuple[int, int]
) -> None:
    page = open_page(*size)
    page.evaluate("document.getElementById('network').scrollIntoView({block: 'end'})")
    assert_opens_on_the_claim(page.evaluate(MEASURE, sample_page["ids"]))


def test_a_frame_that_grows_after_drawing_still_shows_the_claim_whole(
    open_page, sample_page: dict[str, Any]
) -> None:
    # As a screenshot tool, or the dashboard sizing its frame, does: the window is given its
    # size after the page has drawn. What the next frame shows is what a screenshot takes.
    page = open_page(1400, 900)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.evaluate(NEXT_FRAME)
    assert_opens_on_the_claim(page.evaluate(MEASURE, sample_page["ids"]))


def test_opening_the_list_above_keeps_the_map_readable_and_on_the_claim(
    open_page, sample_page: dict[str, Any]
) -> None:
    # The map as text opens above the map and leaves it less room: no window resize at all.
    page = open_page(1400, 1000)
    before = page.evaluate("document.getElementById('network').clientHeight")
    page.click(".astext summary")
    page.evaluate(NEXT_FRAME)
    assert page.evaluate("document.getElementById('network').clientHeight") < before
    page.evaluate("document.getElementById('network').scrollIntoView({block: 'end'})")
    assert_opens_on_the_claim(page.evaluate(MEASURE, sample_page["ids"]))


def test_a_resize_keeps_the_zoom_and_the_place_the_reader_chose(
    open_page, sample_page: dict[str, Any]
) -> None:
    page = open_page(1400, 1000)
    page.focus(".vis-network")
    # vis-network's keyboard zoom, on the focused map: held down, it zooms on each frame drawn.
    page.keyboard.down("+")
    for _ in range(100):
        page.evaluate(NEXT_FRAME)
        if page.evaluate("argmapNetwork.getScale()") > MIN_SCALE:
            break
    page.keyboard.up("+")
    chosen = page.evaluate(MEASURE, sample_page["ids"])
    assert chosen["scale"] > MIN_SCALE
    page.set_viewport_size({"width": 1200, "height": 800})
    page.evaluate(NEXT_FRAME)
    got = page.evaluate(MEASURE, sample_page["ids"])
    assert got["scale"] == pytest.approx(chosen["scale"])
    assert got["corner"]["x"] == pytest.approx(chosen["corner"]["x"], abs=0.5)
    assert got["corner"]["y"] == pytest.approx(chosen["corner"]["y"], abs=0.5)
