"""A TCP relay on a loopback port in front of a real server, which a test can cut and restore.

The Neo4j tests share one session server that no test may stop; the relay stands in for a
server that dies and comes back: ``cut()`` drops every relayed connection and from then on
closes each new one at once (counting them, which is how a test sees how often a client
tries), ``restore()`` relays again to the same server.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType


class TcpRelay:
    """Relays ``127.0.0.1:port`` to ``upstream`` (host, port) until closed."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False
        self.refused = 0  # connections closed at once while cut
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> TcpRelay:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def cut(self) -> None:
        """The server is gone: drop every connection, and close new ones at once."""
        with self._lock:
            self._cut = True
            self.refused = 0
            for s in self._open:
                _shut(s)
            self._open.clear()

    def restore(self) -> None:
        """The server is back: relay new connections again."""
        with self._lock:
            self._cut = False

    def close(self) -> None:
        self.cut()
        _shut(self._listener)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self._cut:
                    self.refused += 1
                    _shut(client)
                    continue
            try:
                server = socket.create_connection(self.upstream, timeout=10)
            except OSError:
                _shut(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    _shut(src)
    _shut(dst)


def _shut(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
