"""Stopping the embedded FalkorDB server: saved and shut down, or killed when it hangs."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import redis
from argmap.graph.embedded import probe_client, server_paths, server_pid, server_state
from argmap.graph.pids import kill_and_wait

log = logging.getLogger(__name__)


def kill_server(data_dir: str | Path, timeout: float = 10.0) -> bool:
    """SIGKILL the server of ``data_dir`` (for one that no longer answers: a hung server ignores
    SIGTERM, whose handler runs in the loop that is stuck); False if no server process was found.
    Writes it had not yet flushed (at most its last second) are lost."""
    paths = server_paths(data_dir)
    pid = server_pid(data_dir)
    if pid is None or not kill_and_wait(pid, timeout):
        return False
    if paths.socket.exists():
        paths.socket.unlink()
    return True


def stop_server(data_dir: str | Path, timeout: float = 10.0) -> bool:
    """Save and shut down the server of ``data_dir``; False if none was running. A server that
    does not go within ``timeout`` (hung: it answers nothing) is killed, with a warning."""
    paths = server_paths(data_dir)
    state = server_state(data_dir)
    if state is None:
        return False
    if state == "loading":
        # It may not answer on its socket until a chunk is read; a signal needs no answer, and a
        # loading server never saves on shutdown (it holds only part of the data).
        pid = server_pid(data_dir)
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
    else:
        client = probe_client(paths.socket, timeout)
        try:
            client.shutdown(save=True)
        except (redis.ConnectionError, redis.TimeoutError):
            pass  # it closes the connection as it exits; one that never answers is killed below
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server_state(data_dir) is not None:
        time.sleep(0.05)
    if server_state(data_dir) is not None and kill_server(data_dir):
        log.warning(
            "the embedded FalkorDB in %s did not stop within %.0fs; killed it (writes of its "
            "last second may be lost)",
            paths.data_dir,
            timeout,
        )
    return True
