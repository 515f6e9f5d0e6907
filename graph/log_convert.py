"""Converting a store whose log replays queries (argmap before 2026-12-05) into a snapshot, once.

Loading such a log is quadratic (see ``graph.query_log``); sending the same commands to a running
server, whose indexes work, is linear: 25 s instead of over 10 minutes for 20,000 comments. So
before the store's server starts, its log is replayed into a fresh server in ``converting/``
inside the data directory, that server's log is rewritten as a snapshot, and the new store is
started again from its files and must answer the same counts. Only then the converted log takes
the original's place; the original is kept beside it (``appendonlydir.before-snapshot``). An
interrupted conversion leaves the original untouched and starts over on the next open; one that
fails leaves the store to load as before (slowly, once).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import redis
from argmap.graph.convert_progress import WORK_DIR, note_progress
from argmap.graph.embedded import PROGRESS_EVERY, ensure_server, probe_client
from argmap.graph.embedded_stop import stop_server
from argmap.graph.query_log import (
    CONVERT_MIN_BYTES,
    LOG_DIR,
    commands,
    log_parts,
    logged_query_bytes,
)

from argmap.core.errors import StoreUnavailable

log = logging.getLogger(__name__)

BACKUP_DIR = LOG_DIR + ".before-snapshot"
_CONVERTED = LOG_DIR + ".converted"
_RDB = "argmap.rdb"
_REPLY_TIMEOUT = 600.0  # one logged query ran within the server's own time cap when it was sent
_SECONDS_PER_MB = 1.0  # measured: 30 MB of logged queries (20,000 comments) in ~25-35 s
_NOTE_EVERY = 0.5  # seconds between two progress notes for other processes


def _counts(client: redis.Redis) -> dict[str, list[list[object]]]:
    """Nodes by label and relationships by type, per graph: what must survive the conversion."""
    counts: dict[str, list[list[object]]] = {}
    for raw in sorted(client.execute_command("GRAPH.LIST")):
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        rows: list[list[object]] = []
        for query in (
            "MATCH (n) RETURN labels(n) AS k, count(n) AS c ORDER BY c",
            "MATCH ()-[r]->() RETURN type(r) AS k, count(r) AS c ORDER BY c",
        ):
            reply = client.execute_command("GRAPH.RO_QUERY", name, query)
            rows += sorted([repr(v) for v in row] for row in reply[1])
        counts[name] = rows
    return counts


def _prepare_work_dir(data_dir: Path) -> Path:
    """A fresh ``converting/`` holding only the original's base snapshot (if it has one)."""
    work = data_dir / WORK_DIR
    if work.exists():  # left by an interrupted conversion: its server, then its files
        stop_server(work)
        shutil.rmtree(work)
    (work / LOG_DIR).mkdir(parents=True)
    base = [p for p in log_parts(data_dir) if p.kind == "b" and p.name.endswith(".rdb")]
    if base:
        shutil.copy2(data_dir / LOG_DIR / base[0].name, work / LOG_DIR / base[0].name)
        (work / LOG_DIR / "appendonly.aof.manifest").write_text(
            f"file {base[0].name} seq 1 type b\n", encoding="utf-8"
        )
    return work


def _replay(data_dir: Path, socket: Path, work: Path, say_every: float) -> None:
    """Send every logged command (an AOF base is a log too) to the running server, in order,
    noting how far it got (``graph.convert_progress``) and saying so every ``say_every``
    seconds."""
    parts = [p for p in log_parts(data_dir) if not (p.kind == "b" and p.name.endswith(".rdb"))]
    total = sum(_size(data_dir / LOG_DIR / p.name) for p in parts)
    done = 0
    noted = said = time.monotonic()
    note_progress(work, "replaying", done, total)
    client = redis.Redis(
        unix_socket_path=str(socket), socket_timeout=_REPLY_TIMEOUT, single_connection_client=True
    )
    try:
        for part in parts:  # an RDB base is copied as it is
            for args in commands(data_dir / LOG_DIR / part.name):
                done += _resp_size(args)
                if args[0].upper() == b"SELECT" and args[1:] == [b"0"]:
                    continue  # argmap uses database 0 only; the client is on it
                client.execute_command(*args)
                if time.monotonic() - noted >= _NOTE_EVERY:
                    note_progress(work, "replaying", done, total)
                    noted = time.monotonic()
                if time.monotonic() - said >= say_every:
                    log.warning(
                        "converting: %.0f%% of the log replayed", 100 * done / max(total, 1)
                    )
                    said = time.monotonic()
    finally:
        client.close()
    note_progress(work, "checking")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _resp_size(args: list[bytes]) -> int:
    """The bytes ``args`` take in the log (RESP): how far through it the replay is."""
    return len(b"*%d\r\n" % len(args)) + sum(len(b"$%d\r\n" % len(a)) + len(a) + 2 for a in args)


def _snapshot(socket: Path) -> None:
    """Rewrite the fresh server's log as a snapshot and wait until it is on disk."""
    client = probe_client(socket, 30)
    try:
        client.bgrewriteaof()
        while True:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                break
            time.sleep(0.1)
        if info.get("aof_last_bgrewrite_status") != "ok":
            raise OSError("the snapshot of the converted store could not be written")
    finally:
        client.close()


def _counts_of(socket: Path) -> dict[str, list[list[object]]]:
    client = probe_client(socket, _REPLY_TIMEOUT)
    try:
        return _counts(client)
    finally:
        client.close()


def _swap(data_dir: Path, work: Path) -> None:
    """Put the converted log in the original's place; the original is kept as the backup."""
    os.replace(work / LOG_DIR, data_dir / _CONVERTED)
    backup = data_dir / BACKUP_DIR
    if backup.exists():  # an earlier conversion's backup: keep both
        backup = data_dir / f"{BACKUP_DIR}.{time.strftime('%Y%m%d-%H%M%S')}"
    backup.mkdir()
    if (data_dir / _RDB).exists():  # a snapshot of the old log; the new one replaces it
        os.replace(data_dir / _RDB, backup / _RDB)
    os.replace(data_dir / LOG_DIR, backup / LOG_DIR)
    os.replace(data_dir / _CONVERTED, data_dir / LOG_DIR)
    if (work / _RDB).exists():
        os.replace(work / _RDB, data_dir / _RDB)


def _finish_interrupted_swap(data_dir: Path) -> None:
    """A swap stopped between its renames: with no log in place, the converted one (it had
    answered the same counts) takes it; with the original still there, the original stays."""
    converted = data_dir / _CONVERTED
    if not converted.is_dir():
        return
    if (data_dir / LOG_DIR).exists():
        shutil.rmtree(converted)
    else:
        os.replace(converted, data_dir / LOG_DIR)


def convert_if_needed(data_dir: Path) -> bool:
    """Before the server of ``data_dir`` starts (under its start lock): convert a log of queries
    worth converting; True when a conversion put a snapshot in place."""
    _finish_interrupted_swap(data_dir)
    if logged_query_bytes(data_dir) < CONVERT_MIN_BYTES:
        return False
    return convert_query_log(data_dir)


def convert_query_log(data_dir: Path, say_every: float = PROGRESS_EVERY) -> bool:
    """Convert the stopped store in ``data_dir`` (see the module docstring); True when the
    converted log is in place, False when the original stays as it was (with a warning).
    While the log is replayed, a line says how far it got every ``say_every`` seconds."""
    size_mb = logged_query_bytes(data_dir) / 2**20
    log.warning(
        "converting the store in %s, written by an argmap before 2026-12-05, to a snapshot "
        "(once, about %.0f s; the original log stays in %s)",
        data_dir,
        max(1.0, size_mb * _SECONDS_PER_MB),
        data_dir / BACKUP_DIR,
    )
    started = time.monotonic()
    work = data_dir / WORK_DIR
    try:
        work = _prepare_work_dir(data_dir)
        note_progress(work, "starting")
        socket = ensure_server(work)
        _replay(data_dir, socket, work, say_every)
        expected = _counts_of(socket)
        _snapshot(socket)
        stop_server(work)
        # The converted store must answer the same counts from its own files.
        if _counts_of(ensure_server(work)) != expected:
            raise OSError("the converted store does not answer the same counts")
        stop_server(work)
        _swap(data_dir, work)
    except (redis.RedisError, OSError, StoreUnavailable) as exc:
        log.warning(
            "could not convert the store in %s (%s); loading it as it is, which takes long once",
            data_dir,
            exc,
        )
        return False
    finally:
        if work.exists():
            stop_server(work)
            shutil.rmtree(work, ignore_errors=True)
    log.warning("converted in %.0f s", time.monotonic() - started)
    return True
