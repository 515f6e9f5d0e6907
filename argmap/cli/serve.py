"""Running the Streamlit server as a child: is the port free, who holds it, and signals.

``argmap dashboard`` (and ``demo``) start ``streamlit run`` as a child process. A ``kill`` of
argmap must not leave that child holding the port, so SIGINT, SIGTERM and SIGHUP are passed on
to it and argmap waits for it to exit, then says in one line what stopped it. The child runs in
a process group of its own, so a terminal's Ctrl-C reaches argmap alone, as ``kill -INT PID``
does, and argmap passes it on as a SIGTERM: Streamlit's server, given a SIGINT, shuts down and
raises it again once done, and its command line ends with click's "Aborted!" under ours (two
SIGINTs, a terminal's and argmap's, made it abort half way with a traceback). SIGKILL cannot be passed on:
on Linux the kernel sends Streamlit a SIGTERM when argmap dies (``PR_SET_PDEATHSIG``), so even a
``kill -9`` of argmap leaves no server holding the port. Each dashboard notes itself (port, pids, store) in the state
directory, so a busy port can be put down to "an argmap dashboard, pid N".
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
from contextlib import suppress
from pathlib import Path
from types import FrameType

from pydantic import BaseModel

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# What the child is sent for each: Streamlit stops on SIGTERM without a word (see above).
PASSED_ON: dict[int, int] = {signal.SIGINT: signal.SIGTERM}


class DashboardRecord(BaseModel):
    port: int
    host: str
    pid: int  # the argmap process
    child: int  # streamlit
    store: str
    graph: str


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _records(state_dir: Path) -> Path:
    return state_dir / "dashboards"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(state_dir: Path, port: int) -> DashboardRecord | None:
    """The argmap dashboard noted on ``port`` whose server still runs, if any."""
    path = _records(state_dir) / f"{port}.json"
    try:
        record = DashboardRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if _alive(record.child) else None


def busy_port_message(state_dir: Path, host: str, port: int) -> str:
    """One line: the port is taken, by what if argmap knows, and what to do."""
    held = holder(state_dir, port)
    who = (
        f"by an argmap dashboard (pid {held.pid}, store {held.store}, graph {held.graph}); "
        f"stop it with `kill {held.pid}`, or "
        if held
        else "by another program; "
    )
    free = next((p for p in range(port + 1, min(port + 100, 65536)) if port_is_free(host, p)), None)
    other = f"--port {free} (free now)" if free else "--port"
    return f"port {port} on {host} is in use {who}give another port with {other}"


def _note(state_dir: Path, record: DashboardRecord) -> Path | None:
    path = _records(state_dir) / f"{record.port}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record.model_dump()), encoding="utf-8")
    except OSError:
        return None
    return path


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _dies_with(parent: int) -> None:
    """In the child, before exec: be sent SIGTERM when ``parent`` dies, however it dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # it died before the line above: nothing will tell us
            os.kill(os.getpid(), signal.SIGTERM)


def run_child(
    cmd: list[str], env: dict[str, str], state_dir: Path, record: DashboardRecord
) -> tuple[int, int | None]:
    """Run ``cmd`` until it exits, passing SIGINT/SIGTERM/SIGHUP on to it; its exit code (128 + the
    signal when one stopped it) and that signal (None when it exited of itself)."""
    parent = os.getpid()
    child = subprocess.Popen(cmd, env=env, preexec_fn=lambda: _dies_with(parent), process_group=0)
    note = _note(state_dir, record.model_copy(update={"child": child.pid}))
    got: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        got.append(signum)
        with suppress(ProcessLookupError):
            child.send_signal(PASSED_ON.get(signum, signum))  # a no-op once it has exited

    # An ignored signal stays ignored (`nohup argmap dashboard`): Streamlit inherited that too.
    handled = [sig for sig in FORWARDED if signal.getsignal(sig) != signal.SIG_IGN]
    previous = {sig: signal.signal(sig, forward) for sig in handled}
    try:
        code = child.wait()
        if got:
            # Streamlit may exit 0 after a signal it handled: the shell's convention is what
            # the user asked for, 128 + N (130, 143, 129), whatever the child made of it.
            return 128 + got[0], got[0]
        # Streamlit ended by a signal of its own is -N here; `raise typer.Exit(-15)` would
        # exit 241. The shell's convention instead: 128 + N.
        return (128 - code if code < 0 else code), None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if child.poll() is None:  # only if this process is being torn down some other way
            child.terminate()
            with suppress(subprocess.TimeoutExpired):
                child.wait(timeout=10)
        if note is not None:
            note.unlink(missing_ok=True)
