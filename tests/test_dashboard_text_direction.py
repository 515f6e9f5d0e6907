"""Posts and quotes in a script written right to left (Arabic, Hebrew) read right to left on
the dashboard's pages, while the pages around them stay English: the render helpers' blocks
take the direction of their own words (``dir="auto"``), checked in headless Chromium."""

from __future__ import annotations

import pytest
from argmap.dashboard import render

from tools.browser import CHROMIUM, launch

ARABIC = "لا أوافق على هذا الرأي لأن التجار سيخسرون زبائنهم. هذا خطأ كبير."
ENGLISH = "I disagree: shops in Oslo gained customers after the ban."


@pytest.mark.browser
def test_a_post_and_a_quote_take_the_direction_of_their_words() -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not found at {CHROMIUM}")
    blocks = [
        render.highlighted_post(ARABIC, 0, 22),
        render.quoted(ARABIC),
        render.highlighted_post(ENGLISH, 0, 12),
        render.quoted(ENGLISH),
    ]
    body = "".join(f'<section class="b">{b}</section>' for b in blocks)
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.set_content(f'<html lang="en"><body>{body}</body></html>')
            ways = page.evaluate(
                "[...document.querySelectorAll('section.b > *')]"
                ".map(e => getComputedStyle(e).direction)"
            )
        finally:
            browser.close()
    assert ways == ["rtl", "rtl", "ltr", "ltr"]
