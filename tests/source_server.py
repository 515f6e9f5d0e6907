"""A local HTTP server over the source fixtures, for the URL-fetching tests (never the internet)."""

from __future__ import annotations

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

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        route = ROUTES.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        body = (FIXTURES / route[1]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", route[0])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass  # keep the test output clean


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the timeout test hangs up on the slow handler: not an error here


@contextmanager
def serve_fixtures() -> Iterator[str]:
    """A local server over the fixture files on 127.0.0.1; yields its base URL."""
    httpd = _Server(("127.0.0.1", 0), SourceHandler)
    SourceHandler.seen_agents = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
