"""Server processes by pid: whether one still lives, and ending one that will not stop."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (a killed server lingers as one until
    its parent, init or this process, reaps it)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return True


def _stat_fields(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` from its third field on (index 0 is field 3); None where /proc cannot
    tell (not Linux, or the process is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    return stat[stat.rfind(")") + 2 :].split()


def start_ticks(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (``/proc/PID/stat``, field 22): with the
    pid it names one process for good, where the pid alone may be reused once that process is
    gone. None where /proc cannot tell (not Linux, or the process is gone)."""
    fields = _stat_fields(pid)
    try:
        return int(fields[19]) if fields else None
    except (IndexError, ValueError):
        return None


def cpu_ticks(pid: int) -> int | None:
    """The CPU time ``pid`` has used so far, in clock ticks, all its threads (``/proc/PID/stat``,
    fields 14 and 15). None where /proc cannot tell (not Linux, or the process is gone)."""
    fields = _stat_fields(pid)
    try:
        return int(fields[11]) + int(fields[12]) if fields else None
    except (IndexError, ValueError):
        return None


def same_process(pid: int, started: int | None) -> bool:
    """Whether ``pid`` is alive and is still the process that started at ``started`` (ticks,
    from ``start_ticks``); with no start noted, or none to compare, whether ``pid`` lives."""
    if not alive(pid):
        return False
    now = start_ticks(pid)
    return started is None or now is None or now == started


def process_args(pid: int) -> list[bytes] | None:
    """The arguments of ``pid``'s command line, split at NULs only (a path in them may hold
    spaces); a process that renamed itself, as redis-server does, shows its title as one
    argument. None where /proc cannot tell (not Linux, or the process is gone)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [a for a in raw.split(b"\0") if a]


def live_pid(pidfile: Path) -> int | None:
    """The pid in ``pidfile`` if that process is alive."""
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def kill_and_wait(pid: int, timeout: float) -> bool:
    """SIGKILL ``pid`` and wait up to ``timeout`` for it to be gone; False if it could not be
    signalled (already gone, or not ours)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.05)
    return True


def serves_socket(args: list[bytes], socket: Path) -> bool:
    """Whether a command line (its NUL-separated arguments) is a redis-server's on ``socket``:
    in its arguments (``--unixsocket SOCKET``) or, once it renamed itself, in its title, one
    argument ``…/redis-server unixsocket:SOCKET``. Matched whole, never split at spaces: a data
    folder's path may hold them (``My Documents``)."""
    path = os.fsencode(socket)
    if args and args[0].endswith(b"redis-server") and path in args:
        return True
    title = b" unixsocket:" + path
    return any(
        a.rstrip().endswith(title) and a[: -len(title)].endswith(b"redis-server") for a in args
    )


def socket_server_pids(socket: Path) -> list[int]:
    """The redis-servers whose command line names ``socket`` (Linux; elsewhere none)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        if serves_socket(process_args(int(proc.name)) or [], socket):
            found.append(int(proc.name))
    return sorted(found)
