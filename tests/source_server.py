"""A local HTTP server over the source fixtures, for the URL-fetching tests (never the internet)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ROUTES = {
    "/r/urbanplanning/comments/1ab2cd/thread.json": ("application/json", "reddit_thread.json"),
    "/api/v1/items/40100000": ("application/json; charset=utf-8", "hn_item.json"),
    "/2023/03/14/water-butts-rule/": ("text/html; charset=UTF-8", "wordpress_page.html"),
    "/export/comments.csv": ("text/csv", "comments.csv"),
}
SLOW_SECONDS = 2.0


class SourceHandler(BaseHTTPRequestHandler):
    seen_agents: list[str] = []
    # A test's own files (path -> content type, file), served besides ROUTES.
    served: dict[str, tuple[str, Path]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        route = ROUTES.get(self.path) or self.served.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        path = FIXTURES / route[1]
        self.send_response(200)
        self.send_header("Content-Type", route[0])
        self.send_header("Content-Length", str(path.stat().st_size))
        self.end_headers()
        # Copied a piece at a time: a test measuring the client's memory sees only the client.
        with path.open("rb") as body:
            shutil.copyfileobj(body, self.wfile)

    def log_message(self, *args) -> None:
        pass  # keep the test output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the timeout test hangs up on the slow handler: not an error here


@contextmanager
def serve_fixtures(served: dict[str, tuple[str, Path]] | None = None) -> Iterator[str]:
    """A local server over the fixture files on 127.0.0.1, and ``served`` (URL path -> content
    type, file) besides; yields its base URL."""
    httpd = _Server(("127.0.0.1", 0), SourceHandler)
    SourceHandler.seen_agents = []
    SourceHandler.served = dict(served or {})
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
