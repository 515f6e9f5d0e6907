"""The real ``argmap dashboard`` process over plain HTTP: who it answers, and what it keeps closed.

A DNS-rebinding page (evil.example resolving to 127.0.0.1) reaches the dashboard with its own name
in the Host header; a cross-site page opens the WebSocket with its own Origin. Both must get
nothing: not the page, not the WebSocket every query goes through, not Streamlit's endpoints.
``/_stcore/metrics`` stays closed unless asked for. The last two tests drive headless Chromium
with evil.example mapped to 127.0.0.1 (``--host-resolver-rules``: nothing leaves the machine).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest
from argmap.graph.store import Store
from dashboard_server import dashboard_env, free_port, get, served, websocket

from tools.browser import CHROMIUM, launch

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
EVIL = "evil.example"


class Dashboard(NamedTuple):
    port: int
    log: Path


@contextmanager
def argmap_dashboard(
    falkordb_dir: Path, sample_store: Store, tmp: Path, *extra: str
) -> Iterator[Dashboard]:
    port = free_port()
    env = dashboard_env(falkordb_dir, sample_store.graph_name, tmp)
    cmd = [sys.executable, "-m", "argmap", "dashboard", "--port", str(port), *extra]
    with served(cmd, port, env, tmp / "dashboard.log"):
        yield Dashboard(port, tmp / "dashboard.log")


@pytest.fixture(scope="module")
def dashboard(falkordb_dir: Path, sample_store: Store, tmp_path_factory) -> Iterator[Dashboard]:
    """``argmap dashboard --port FREE`` on the session's sample graph, default settings."""
    with argmap_dashboard(falkordb_dir, sample_store, tmp_path_factory.mktemp("dash")) as dash:
        yield dash


def test_its_own_host_names_are_served(dashboard: Dashboard) -> None:
    port = dashboard.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        page = get(port, "/", host)
        assert page.status == 200 and "<!doctype html>" in page.body.lower(), page
        assert get(port, "/_stcore/health", host) == (200, "ok")
        assert get(port, "/_stcore/host-config", host).status == 200
        assert websocket(port, host, origin=f"http://{host}") == 101


def test_a_rebinding_host_gets_nothing(dashboard: Dashboard) -> None:
    """Was: Streamlit's allowedHosts guards only the WebSocket; the page and endpoints answered."""
    port = dashboard.port
    host = f"{EVIL}:{port}"
    for path in ("/", "/search", "/_stcore/health", "/_stcore/host-config", "/_stcore/metrics"):
        answer = get(port, path, host)
        assert answer.status == 403, (path, answer)
        assert f"host name '{EVIL}'" in answer.body, (path, answer)
        assert "ARGMAP_DASHBOARD_ALLOWED_HOSTS" in answer.body
    assert websocket(port, host, origin=f"http://{host}") == 403
    assert websocket(port, host, origin=None) == 403
    assert f"refused {host}" in dashboard.log.read_text()  # the server log says why


def test_a_cross_site_websocket_is_refused(dashboard: Dashboard) -> None:
    port = dashboard.port
    host = f"127.0.0.1:{port}"
    assert websocket(port, host, origin=f"http://{EVIL}") == 403
    assert websocket(port, host, origin=f"http://{EVIL}:{port}") == 403
    # A sandboxed frame of any site sends "null": refused too.
    assert websocket(port, host, origin="null") == 403
    # A cross-site request for the page itself is refused the same way.
    assert get(port, "/_stcore/host-config", host, origin=f"http://{EVIL}").status == 403


def test_metrics_are_closed_by_default(dashboard: Dashboard) -> None:
    """Was: /_stcore/metrics served session and cache counts to anyone (no setting closes it)."""
    port = dashboard.port
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?families=x"):
        assert get(port, path, f"127.0.0.1:{port}").status == 404, path


def test_metrics_open_when_asked(falkordb_dir: Path, sample_store: Store, tmp_path: Path) -> None:
    """``--metrics`` serves Streamlit's real endpoint (so the closed path above is the real one)."""
    with argmap_dashboard(falkordb_dir, sample_store, tmp_path, "--metrics") as dash:
        answer = get(dash.port, "/_stcore/metrics", f"127.0.0.1:{dash.port}")
        assert answer.status == 200, answer
        assert "# TYPE session_events" in answer.body and "# EOF" in answer.body, answer.body
        # Still only for its own host names.
        assert get(dash.port, "/_stcore/metrics", f"{EVIL}:{dash.port}").status == 403


def test_the_launcher_refuses_to_run_as_a_page_script() -> None:
    """A Streamlit that does not find ``app = st.App(...)`` runs the file as a page instead:
    it must fail there, not serve the dashboard with nothing in front of it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP.parent / "serve.py"), default_timeout=60).run()
    assert at.exception and "without its gate" in at.exception[0].message


# --- in headless Chromium: evil.example resolves to 127.0.0.1 ---------------------------------


def chromium_page_text(url: str) -> str:
    """The text a real browser shows at ``url`` once the app has drawn (or refused) its page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(
            pw,
            # DNS rebinding, simulated: evil.example is 127.0.0.1, every other name fails.
            f"--host-resolver-rules=MAP {EVIL} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
        )
        try:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function(
                "() => document.body.innerText.includes('host name')"
                " || document.body.innerText.includes('Activity over time')",
                timeout=90_000,
            )
            # Anything the page would still draw after it: an app page until its run ends (the
            # gate's refusal is a plain page, drawn whole).
            page.wait_for_function(
                "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
                " return !app || app.getAttribute('data-test-script-state') === 'notRunning'; }",
                timeout=90_000,
            )
            return page.inner_text("body")
        finally:
            browser.close()


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless browser test skipped: /usr/bin/chromium is not installed (apt-get install chromium)",
)


@needs_chromium
@pytest.mark.browser
def test_a_rebinding_page_in_chromium_gets_one_line(dashboard: Dashboard) -> None:
    text = chromium_page_text(f"http://{EVIL}:{dashboard.port}/")
    assert f"host name '{EVIL}'" in text
    assert "Activity over time" not in text and "Store:" not in text


@needs_chromium
@pytest.mark.browser
def test_the_app_itself_refuses_a_rebinding_host(
    falkordb_dir: Path, sample_store: Store, tmp_path: Path
) -> None:
    """dashboard/guard.py end to end: the app started by plain ``streamlit run`` (no allowedHosts,
    no gate in front), so the request reaches the page and the app's own check must refuse it."""
    port = free_port()
    env = dashboard_env(falkordb_dir, sample_store.graph_name, tmp_path)
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    cmd += ["--browser.gatherUsageStats", "false"]
    with served(cmd, port, env, tmp_path / "streamlit.log"):
        assert get(port, "/", f"{EVIL}:{port}").status == 200  # nothing in front: it gets through
        refused = chromium_page_text(f"http://{EVIL}:{port}/")
        assert f"does not answer to the host name '{EVIL}'" in refused
        assert "Activity over time" not in refused and "Store:" not in refused
        served_text = chromium_page_text(f"http://127.0.0.1:{port}/")
        assert "Activity over time" in served_text and "host name" not in served_text


# --- a home folder that is not a folder ---------------------------------------------------------


@needs_chromium
@pytest.mark.browser
def test_a_home_that_is_a_regular_file_still_serves_the_dashboard(
    falkordb_dir: Path, sample_store: Store, tmp_path: Path
) -> None:
    """Was: HOME a regular file (a service account's /dev/null, a mistyped path): Streamlit's
    lookup of ~/.streamlit/secrets.toml raised NotADirectoryError on every request, and the page
    and /_stcore/health answered HTTP 500. argmap keeps nothing in Streamlit's secrets."""
    home = tmp_path / "home"
    home.write_text("a file, not a folder\n")
    port = free_port()
    env = dashboard_env(falkordb_dir, sample_store.graph_name, home)
    cmd = [sys.executable, "-m", "argmap", "dashboard", "--port", str(port)]
    log = tmp_path / "dashboard.log"
    with served(cmd, port, env, log):
        host = f"127.0.0.1:{port}"
        assert get(port, "/_stcore/health", host) == (200, "ok")
        assert get(port, "/", host).status == 200
        assert websocket(port, host, origin=f"http://{host}") == 101
        text = chromium_page_text(f"http://{host}/")
    assert "Activity over time" in text and "Store:" in text  # the Overview, drawn whole
    assert "Traceback" not in log.read_text(), log.read_text()
