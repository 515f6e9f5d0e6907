"""A real dashboard server for a test: started as a process on a free localhost port, stopped after.

Also plain HTTP and WebSocket-handshake requests with the headers a test chooses (Host, Origin):
urllib and browsers set Host from the URL, and the point is to send one they would not.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from argmap.graph.store import Store, open_store

from tools.browser import dashboard_answering, free_port

__all__ = ["free_port"]  # tests take it from here beside the server helpers


class Answer(NamedTuple):
    status: int
    body: str


def dashboard_env(db: Path, graph: str, home: Path) -> dict[str, str]:
    """The environment of a dashboard reading ``graph`` in ``db``, with no user Streamlit config."""
    env = {**os.environ, "ARGMAP_DB": str(db), "ARGMAP_GRAPH": graph, "HOME": str(home)}
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI", "ARGMAP_DASHBOARD_METRICS"):
        env.pop(var, None)
    return env


@contextmanager
def thread_dashboard(
    db: Path, home: Path, write: Callable[[Store], object], *args: str
) -> Iterator[str]:
    """A dashboard (``args`` passed on) on a graph of its own in ``db`` holding only what
    ``write`` puts there; yields its URL, and empties the graph after."""
    name = f"test_{home.name}_{uuid.uuid4().hex[:12]}"
    store = open_store(str(db), name)
    try:
        write(store)
        with dashboard_answering(dashboard_env(db, name, home), home / "st.log", *args) as url:
            yield url
    finally:
        store.clear()
        store.close()


@contextmanager
def served(cmd: list[str], port: int, env: dict[str, str], log: Path) -> Iterator[str]:
    """Run ``cmd`` (a dashboard on ``port``) until the block ends; yields its base URL."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"{cmd[2:4]} exited with {proc.returncode}:\n{log.read_text()}"
                )
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"no answer on {url} within 60s:\n{log.read_text()}"
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the CLI and the streamlit server it started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _exchange(port: int, request: bytes) -> Answer:
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
            if b"\r\n\r\n" in data and data.startswith(b"HTTP/1.1 101"):
                break  # an accepted WebSocket: the headers are all there is to read
    head, _, body = data.partition(b"\r\n\r\n")
    return Answer(int(head.split(b" ", 2)[1]), body.decode("utf-8", "replace"))


def get(port: int, path: str, host: str, origin: str | None = None) -> Answer:
    """``GET path`` to 127.0.0.1:port with these Host and Origin headers."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"Origin: {origin}"] if origin else []
    return _exchange(port, ("\r\n".join(lines) + "\r\n\r\n").encode())


def websocket(port: int, host: str, origin: str | None) -> int:
    """The status a WebSocket handshake to ``/_stcore/stream`` gets (101 when accepted)."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ]
    lines += [f"Origin: {origin}"] if origin else []
    return _exchange(port, ("\r\n".join(lines) + "\r\n\r\n").encode()).status
