"""End to end, on a phone's screen (390 px wide) in headless Chromium: the Export page's
``argmap export`` lines each take one row, whole, with their `` \\``.

Was, at 390 px: the code block wrapped its lines, so the picture's default file name
(``  argmap-c_…-2hops.png \\``, 39 characters) left its `` \\`` alone on the next row, and an
argument longer than the screen (a 90-character Neo4j URI after ``--db``, a graph name) broke
at its hyphens, dots and underscores. Now a line longer than the screen scrolls sideways,
inside the block, which the keyboard reaches.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from neo4j_session import Neo4jTarget
from test_dashboard_browser import page_problems, wait_idle

from tools.browser import CHROMIUM, dashboard_answering, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

# 90 characters: far past the 36 of a phone's line, one argument the shell cannot break.
LONG_GRAPH = "argmap_export_phone_" + "a_very_long_graph_name_" * 3 + "for_a_phone"

# Each command block's text, how many rows it takes on screen (line boxes of its text, by their
# top), and whether it scrolls sideways inside the element that takes the keyboard's focus.
BLOCKS = """() => [...document.querySelectorAll('[data-testid="stCode"]')].map(box => {
  const code = box.querySelector("code");
  const range = document.createRange();
  range.selectNodeContents(code);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                  .map(r => Math.round(r.top)));
  return {text: code.innerText.replace(/\\n$/, ""), rows: tops.size,
          scrolls: box.scrollWidth > box.clientWidth, focusable: box.tabIndex === 0};
})"""


@pytest.fixture(scope="module")
def long_graph_url(falkordb_dir: Path, sample_path: Path, tmp_path_factory) -> Iterator[str]:
    """``argmap dashboard`` on the sample, in a graph whose name is longer than a phone's line."""
    from argmap.graph.store import open_store
    from argmap.ingest.pipeline import ingest

    store: Store = open_store(str(falkordb_dir), LONG_GRAPH)
    store.clear()
    ingest(sample_path, store, extractor="offline")
    env = {**os.environ, "ARGMAP_DB": str(falkordb_dir), "ARGMAP_GRAPH": LONG_GRAPH}
    env["HOME"] = str(tmp_path_factory.mktemp("home"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        env.pop(var, None)
    try:
        with dashboard_answering(
            env, tmp_path_factory.mktemp("dashboard") / "streamlit.log"
        ) as url:
            yield url
    finally:
        store.clear()
        store.close()


@pytest.fixture
def long_db(
    neo4j_server: Neo4jTarget, neo4j_sample: Store, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """``argmap dashboard`` on the sample in Neo4j, through a 90-character URI (the session's
    server with a routing context, ``neo4j://``, as a cluster's address may be that long):
    the dashboard's address and that URI."""
    port = neo4j_server.uri.rsplit(":", 1)[1]
    uri = f"neo4j://127.0.0.1:{port}?region="
    uri += ("newsroom-graph-store-for-comment-threads-" * 2)[: 90 - len(uri)]
    env = {**os.environ, **neo4j_server.env(), "ARGMAP_DB": uri, "HOME": str(tmp_path)}
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_GRAPH"):
        env.pop(var, None)
    assert len(uri) == 90
    with dashboard_answering(env, tmp_path / "streamlit.log") as url:
        yield url, uri


def commands_on_a_phone(url: str, long: str, axe_js: str, shot: str) -> list[dict]:
    """The Export page's command blocks at 390 px (``BLOCKS``), checked: each line one row,
    ``long`` on a line of its own, the page neither scrolling sideways nor failing axe, and the
    first block scrolled by the keyboard."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            expect.set_options(timeout=60_000)
            page.goto(f"{url}/export")
            expect(page.get_by_role("heading", name="Data")).to_be_visible()
            wait_idle(page)
            blocks = page.evaluate(BLOCKS)
            assert len(blocks) == 3, blocks  # pictures, interactive page, data
            for block in blocks:
                lines = block["text"].split("\n")
                # No line wraps: not inside an argument, not before its " \\".
                assert block["rows"] == len(lines), block
                alone = f"  {shlex.quote(long)}"  # as a shell reads it ("?" is quoted)
                assert f"{alone} \\" in lines or alone in lines, block
            # The longest line scrolls inside its block, which the keyboard reaches; the page
            # itself does not scroll sideways, and axe finds nothing (scrollable-region-focusable
            # included).
            assert all(b["scrolls"] and b["focusable"] for b in blocks), blocks
            assert page_problems(page, axe_js, shot) == []
            page.get_by_test_id("stCode").first.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                """() => document.querySelector('[data-testid="stCode"]').scrollLeft > 0"""
            )
            return blocks
        finally:
            browser.close()


def test_on_a_phone_each_command_line_is_one_row_and_a_long_one_scrolls_in_its_block(
    long_graph_url: str, axe_js: str
) -> None:
    blocks = commands_on_a_phone(long_graph_url, LONG_GRAPH, axe_js, "export-commands-390")
    pictures = blocks[0]["text"].split("\n")
    name = next(line for line in pictures if line.startswith("  argmap-c_"))
    assert name.endswith("-2hops.png \\") and len(name) == 39  # one row, with its " \\"


@pytest.mark.neo4j
def test_on_a_phone_a_90_character_db_uri_is_one_row_in_its_block(
    long_db: tuple[str, str], axe_js: str
) -> None:
    url, uri = long_db
    blocks = commands_on_a_phone(url, uri, axe_js, "export-commands-db-390")
    assert all(f"--db \\\n  {shlex.quote(uri)}" in b["text"] for b in blocks)
