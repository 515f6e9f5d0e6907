"""Which embedded servers argmap started, and what each holds (``argmap db list``/``stop --all``).

A server keeps running after the command that started it, so a mistyped ``ARGMAP_DB`` leaves
one behind without saying so. Every command that opens an embedded store notes its data
directory in a registry directory (one small file per store, so concurrent commands never
rewrite each other's entries); listing reads the notes back and asks each server what it holds.
The registry lives where the caller says (the CLI: ``ARGMAP_STATE_DIR``).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path

import redis
from argmap.graph.embedded import is_running, probe_client, server_paths, server_pid
from argmap.graph.embedded_stop import stop_server
from argmap.graph.pids import kill_and_wait, socket_server_pids
from pydantic import BaseModel

SERVERS = "servers"


class ServerInfo(BaseModel):
    """A running embedded server: its store, pid, graphs (name -> nodes) and size on disk;
    ``orphaned`` when its folder was deleted under it (its data is gone with the folder)."""

    data_dir: str
    pid: int | None = None
    graphs: dict[str, int] = {}
    disk_bytes: int = 0
    orphaned: bool = False


def _entry(registry: Path, data_dir: Path) -> Path:
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:16]
    return registry / SERVERS / f"{digest}.path"


def register(registry: Path, data_dir: str | Path) -> None:
    """Note that argmap uses the embedded store in ``data_dir`` (idempotent); raises OSError
    when the registry cannot be written (a read-only home): the caller says so and carries on,
    the registry being a convenience."""
    d = Path(data_dir).expanduser().resolve()
    entry = _entry(registry, d)
    if entry.exists():
        return
    # Written under a temporary name and renamed: a note cut short by a signal would stay empty
    # (it exists, so it is never rewritten) and read as the current folder.
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(str(d) + "\n", encoding="utf-8")
        os.replace(tmp, entry)
    finally:
        # Where the registry is a file or under one, unlinking fails too (ENOTDIR, not the
        # FileNotFoundError missing_ok forgives): that error must not hide the first.
        with suppress(OSError):
            tmp.unlink(missing_ok=True)


def registered(registry: Path) -> list[Path]:
    """Every data directory noted in the registry, sorted."""
    folder = registry / SERVERS
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.glob("*.path"):
        try:
            found.append(Path(entry.read_text(encoding="utf-8").strip()))
        except OSError:
            continue
    return sorted(set(found))


def forget(registry: Path, data_dir: str | Path) -> None:
    """Drop ``data_dir`` from the registry."""
    _entry(registry, Path(data_dir).expanduser().resolve()).unlink(missing_ok=True)


def graph_sizes(data_dir: str | Path) -> dict[str, int]:
    """The graphs of a running server, each with its node count (``{}`` if it is not running)."""
    paths = server_paths(data_dir)
    if not is_running(data_dir):
        return {}
    client = probe_client(paths.socket, 10)
    try:
        return _sizes(client)
    except redis.RedisError:  # still loading its data: nothing to count yet
        return {}
    finally:
        client.close()


def _names(client: redis.Redis) -> list[str]:
    """The server's graphs, by name."""
    listed = client.execute_command("GRAPH.LIST")
    return sorted(n.decode() if isinstance(n, bytes) else str(n) for n in listed)


def _sizes(client: redis.Redis) -> dict[str, int]:
    sizes = {}
    for name in _names(client):
        reply = client.execute_command(
            "GRAPH.RO_QUERY", name, "MATCH (n) WHERE NOT n:Meta RETURN count(n)"
        )
        sizes[name] = int(reply[1][0][0]) if reply and reply[1] else 0
    return sizes


def _disk_bytes(data_dir: Path) -> int:
    return sum(f.stat().st_size for f in data_dir.rglob("*") if f.is_file())


def orphaned_pids(data_dir: str | Path) -> list[int]:
    """Servers still running for ``data_dir`` although its folder was deleted under them.

    Deleting a data folder (``rm -rf``) takes the server's pidfile and socket with it: nothing
    can reach it, and SIGTERM does not stop it (it cannot save into the deleted folder), so it
    would hold its memory until the machine restarts. Redis names itself by its socket in its
    process title, which is how /proc finds it; the server the pidfile names is not an orphan.
    Elsewhere than Linux: none found.
    """
    current = server_pid(data_dir)
    return [p for p in socket_server_pids(server_paths(data_dir).socket) if p != current]


def running_servers(registry: Path) -> list[ServerInfo]:
    """The registered servers that are running now, orphans included; entries of stopped ones
    whose folder is gone are dropped."""
    out = []
    for d in registered(registry):
        out += [ServerInfo(data_dir=str(d), pid=p, orphaned=True) for p in orphaned_pids(d)]
        if not is_running(d):
            if not d.exists() and not any(s.data_dir == str(d) for s in out):
                forget(registry, d)
            continue
        out.append(
            ServerInfo(
                data_dir=str(d),
                pid=server_pid(d),
                graphs=graph_sizes(d),
                disk_bytes=_disk_bytes(d),
            )
        )
    return out


def stop_one(data_dir: str | Path) -> bool:
    """Save and stop the server of ``data_dir``, killing one whose folder was deleted under it
    (it has nothing left to save); True if a server was stopped."""
    killed = [p for p in orphaned_pids(data_dir) if kill_and_wait(p, 10)]
    return stop_server(data_dir) or bool(killed)


def stop_all(registry: Path) -> list[str]:
    """Stop every registered running server, orphans killed (they have nothing left to save);
    the data directories of those stopped."""
    stopped = []
    for d in registered(registry):
        stopped += [str(d) for p in orphaned_pids(d) if kill_and_wait(p, 10)]
        if stop_server(d):
            stopped.append(str(d))
        if not d.exists():
            forget(registry, d)
    return stopped


def drop_graph_if_empty(data_dir: str | Path, graph: str) -> bool:
    """Delete ``graph`` from the running server of ``data_dir`` if it holds no thread (a run
    that failed before writing one left only its schema); True if it was deleted."""
    if not is_running(data_dir):
        return False
    client = probe_client(server_paths(data_dir).socket, 10)
    try:
        if graph not in _names(client):
            return False
        reply = client.execute_command("GRAPH.RO_QUERY", graph, "MATCH (t:Thread) RETURN count(t)")
        if reply and reply[1] and int(reply[1][0][0]):
            return False
        client.execute_command("GRAPH.DELETE", graph)
        return True
    finally:
        client.close()
