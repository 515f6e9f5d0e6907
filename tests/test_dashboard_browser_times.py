"""End to end: the Overview's activity chart in headless Chromium set to New York's zone draws
the posts' UTC hours, one bar an hour, on the night the clocks go forward there (10 March 2024).

Was: the periods went to the browser as naive times, which Vega reads and labels in the
browser's zone: the posts of 04:xx and 06:xx UTC were drawn at 05 and 07, and 07 held two.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from hardening_data import _write_rows
from test_dashboard_browser import wait_idle

from tools.browser import CHROMIUM, dashboard_process, launch, wait_healthy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]

# One post in each of the UTC hours 04, 06, 07, 08 and 12, given in New York's own offsets.
TIMES = [
    "2024-03-09T23:30:00-05:00",  # 04:30 UTC
    "2024-03-10T01:30:00-05:00",  # 06:30 UTC
    "2024-03-10T03:30:00-04:00",  # 07:30 UTC, after the change
    "2024-03-10T08:40:00Z",
    "2024-03-10T12:00:00+00:00",
]


def test_the_activity_chart_draws_utc_hours_in_a_browser_in_new_york(
    store: Store, falkordb_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    rows = [
        {"id": f"r{i}", "author": f"Person {i}", "posted_at": when, "text": f"Post {i} says so."}
        for i, when in enumerate(TIMES)
    ]
    ingest(_write_rows(tmp_path / "night.csv", rows), store, extractor="offline")
    env = {
        **os.environ,
        "ARGMAP_DB": str(falkordb_dir),
        "ARGMAP_GRAPH": store.graph_name,
        "HOME": str(tmp_path / "home"),  # no user-level Streamlit config
    }
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        env.pop(var, None)
    with dashboard_process(env, tmp_path / "streamlit.log") as (proc, url):
        wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = launch(pw)
            context = browser.new_context(
                viewport={"width": 1300, "height": 1400}, timezone_id="America/New_York"
            )
            page = context.new_page()
            page.goto(url)
            page.get_by_text("Activity over time").wait_for(timeout=60_000)
            wait_idle(page)
            chart = page.get_by_test_id("stVegaLiteChart").first
            chart.locator("g.mark-rect path").first.wait_for(timeout=60_000)
            bars = [p.get_attribute("aria-label") for p in chart.locator("g.mark-rect path").all()]
            ticks = [t.text_content() for t in chart.locator("g.role-axis-label text").all()]
            browser.close()
    assert [b.rsplit("posts: ", 1)[1] for b in bars if b] == ["1"] * 5, bars
    assert {"04 AM", "06 AM", "07 AM", "08 AM", "12 PM"} <= set(ticks), ticks
