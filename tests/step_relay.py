"""A relay between a client process and a real server that stops the conversation at a request.

A test uses it to end a command exactly between two of its queries: the relay counts the
client's requests (data sent after the server last answered on that connection) from the first
one that holds ``marker`` (a query's text: both RESP and Bolt carry it as plain UTF-8), and the
``hold_at``-th of them (0: that first one) is never forwarded; nothing is forwarded after it.
``held`` is set then, and the test kills the client, which is waiting for an answer: the server
has seen every query before that one and none after, as if the process had died right there.
With ``hold_at=None`` it relays everything and keeps each counted request in ``requests``.

To stop the *server* part-way instead, ``forward_part`` gives the prefix of the held request the
server does get (a MULTI block up to some statement, or all of it); ``answer_held`` is set when
the server answers it, an answer the client never sees.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType


class StepRelay:
    """Relays connections accepted on ``listener`` to the sockets ``connect()`` opens."""

    def __init__(
        self,
        listener: socket.socket,
        connect: Callable[[], socket.socket],
        marker: bytes,
        hold_at: int | None,
        forward_part: Callable[[bytes], bytes] | None = None,
    ) -> None:
        self._listener = listener
        self._connect = connect
        self.marker = marker
        self.hold_at = hold_at
        self.requests: list[bytes] = []  # from the first marked one on
        self.held = threading.Event()
        self.forward_part = forward_part
        self.answer_held = threading.Event()
        self.sending_held = threading.Event()  # the held request's part is on its way
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        listener.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def unix(
        cls,
        path: str,
        upstream: str,
        marker: bytes,
        hold_at: int | None,
        forward_part: Callable[[bytes], bytes] | None = None,
    ) -> StepRelay:
        """A relay listening on the unix socket ``path`` for the server on ``upstream``."""
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(path)

        def connect() -> socket.socket:
            s = socket.socket(socket.AF_UNIX)
            s.connect(upstream)
            return s

        return cls(listener, connect, marker, hold_at, forward_part)

    @classmethod
    def tcp(cls, upstream: tuple[str, int], marker: bytes, hold_at: int | None) -> StepRelay:
        """A relay on a free loopback port (``port``) for the server at ``upstream``."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        return cls(
            listener, lambda: socket.create_connection(upstream, timeout=10), marker, hold_at
        )

    @property
    def port(self) -> int:
        return self._listener.getsockname()[1]

    def __enter__(self) -> StepRelay:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop every connection (the server sees its client gone) and stop listening."""
        with self._lock:
            self.held.set()  # nothing more is forwarded
            for s in [*self._open, self._listener]:
                _shut(s)
            self._open.clear()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
                server = self._connect()
            except OSError:
                return  # closed
            server.settimeout(None)
            answered = threading.Event()  # the server spoke since the client's last data
            answered.set()
            with self._lock:
                self._open += [client, server]
            threading.Thread(target=self._up, args=(client, server, answered), daemon=True).start()
            threading.Thread(
                target=self._down, args=(server, client, answered), daemon=True
            ).start()

    def _up(self, client: socket.socket, server: socket.socket, answered: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                with self._lock:
                    if self.held.is_set():
                        return
                    if answered.is_set() and (self.requests or self.marker in data):
                        if len(self.requests) == self.hold_at:
                            if self.forward_part is not None:
                                # Marked first: the server may answer before ``held`` is set,
                                # and that answer must not reach the client.
                                self.sending_held.set()
                                server.sendall(self.forward_part(data))
                            self.held.set()
                            return
                        self.requests.append(data)
                    answered.clear()
                server.sendall(data)
        except OSError:
            pass

    def _down(
        self, server: socket.socket, client: socket.socket, answered: threading.Event
    ) -> None:
        try:
            while data := server.recv(65536):
                if self.held.is_set() or self.sending_held.is_set():
                    self.answer_held.set()
                    return
                answered.set()
                client.sendall(data)
        except OSError:
            pass


def killed_when_held(
    relay: StepRelay, argv: Sequence[str], env: dict[str, str], cwd: Path, timeout: float
) -> bool:
    """Run ``argv`` through ``relay``; SIGKILL it once the relay holds a request. Whether it
    was killed (else it ran to its end, which must have been a success)."""
    with relay:
        proc = subprocess.Popen(
            list(argv),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
        )
        try:
            while not relay.held.wait(0.05):
                if proc.poll() is not None:
                    break
            held = proc.poll() is None
            if held:
                proc.kill()
            _, err = proc.communicate(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert held or proc.returncode == 0, err
    return held


def _shut(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()
