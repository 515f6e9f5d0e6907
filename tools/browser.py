"""Headless Chromium and a dashboard on a free localhost port: shared by the tests, the benches
and the screenshot tool, so the browser's flags and the readiness check are written once.

Playwright's own browser download fails on the reference machine, so the Debian ``chromium`` is
launched by path, with the flags that keep it from reaching out (no background networking, no
component updates).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
HEADLESS_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)


def launch(pw: Any, *extra_args: str) -> Any:
    """Start headless Chromium from a ``sync_playwright()`` handle, with ``extra_args`` appended."""
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=[*HEADLESS_ARGS, *extra_args])


def free_port() -> int:
    """A localhost port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(
    url: str,
    proc: subprocess.Popen[bytes] | None = None,
    timeout: float = 60.0,
    error: type[BaseException] = AssertionError,
) -> None:
    """Wait until the Streamlit server at ``url`` answers its health check.

    Raises ``error`` when ``proc`` (the server process, if given) exits first or ``timeout``
    seconds pass: tests keep an AssertionError, scripts pass SystemExit for a one-line exit.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise error(f"argmap dashboard exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise error(f"the dashboard did not answer on {url} within {timeout:.0f}s")


@contextmanager
def dashboard_process(
    env: dict[str, str], log: Path, *args: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Run ``argmap dashboard --port FREE ARGS`` with ``env``, its output in ``log``; yields the
    process and its URL (not yet waited for: see ``wait_healthy``). On leaving, the CLI and the
    Streamlit server it started are stopped together (their own process group)."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "argmap", "dashboard", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def dashboard_answering(env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """``dashboard_process`` once it answers its health check; yields its URL. The tail of its
    log is printed on leaving, so a test that failed shows what the server said."""
    try:
        with dashboard_process(env, log, *args) as (proc, url):
            wait_healthy(url, proc)
            yield url
    finally:
        print(log.read_text(errors="replace")[-3000:])
