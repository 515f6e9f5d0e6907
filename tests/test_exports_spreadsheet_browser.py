"""The Export page's CSV in headless Chromium: verbatim by default, defused with the
"Spreadsheet-safe CSV" box ticked (the same cells ``argmap export --spreadsheet-safe`` defuses,
and the same UTF-8 byte-order mark before each file).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.store import Store
from dashboard_server import dashboard_env
from export_data import FORMULAS, write_formulas
from test_dashboard_browser import wait_idle
from test_exports_spreadsheet import BOM, column, read_zip, zip_files

from tools.browser import CHROMIUM, dashboard_process, launch, wait_healthy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
    ),
]


def test_the_export_page_offers_a_spreadsheet_safe_csv(
    falkordb_dir: Path, graph_name: str, store: Store, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    write_formulas(store)
    env = dashboard_env(falkordb_dir, graph_name, tmp_path)
    with dashboard_process(env, tmp_path / "streamlit.log") as (proc, url):
        wait_healthy(url, proc)
        with sync_playwright() as pw:
            browser = launch(pw)
            page = browser.new_context(accept_downloads=True).new_page()
            expect.set_options(timeout=60_000)
            page.goto(f"{url}/export")
            box = page.get_by_role("checkbox", name="Spreadsheet-safe CSV")
            expect(box).not_to_be_checked()  # off: pandas and R get the exact text

            def download() -> bytes:
                wait_idle(page)  # a click while the script runs can go to the previous run's file
                with page.expect_download(timeout=120_000) as dl:
                    page.get_by_role("button", name="CSV", exact=True).click()
                return Path(dl.value.path()).read_bytes()

            plain_zip = download()
            page.get_by_text("Spreadsheet-safe CSV").click()
            expect(box).to_be_checked()
            # The box ticks at once; the CSV button of the run it starts is drawn with the command
            # line under it. Till then the button on screen is the plain run's (and the "not
            # running" on screen that run's too): clicked then, it downloads the plain file.
            expect(page.get_by_text("--spreadsheet-safe")).to_be_visible()
            safe_zip = download()
            assert page.locator('[data-testid="stException"]').count() == 0
            browser.close()
    plain, safe = read_zip(plain_zip), read_zip(safe_zip)
    assert not any(data.startswith(BOM) for data in zip_files(plain_zip).values())
    assert all(data.startswith(BOM) for data in zip_files(safe_zip).values())
    assert FORMULAS[0] in column(plain, "posts.csv", "text")
    assert "'" + FORMULAS[0] in column(safe, "posts.csv", "text")
    assert column(safe, "claims.csv", "start") == column(plain, "claims.csv", "start")
