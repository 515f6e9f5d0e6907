"""Ctrl-C on ``argmap dashboard`` and ``argmap demo``, through the real CLI in a subprocess: one
calm line saying what stopped and that the store is kept, exit 130, the port freed, Streamlit
gone, and the embedded server left running for the next command (as every command leaves it).

Was: Streamlit's "Aborted!" (its server raises the SIGINT again once shut down, and click
reports it) and no word about the store.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.embedded import is_running
from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import open_store
from test_processes import alive, env_for, port_free

from tools.browser import free_port, wait_healthy


def _signals_by_default() -> None:
    # A suite run in the background (`pytest &`) hands SIGINT on ignored, and argmap keeps an
    # ignored signal ignored (nohup's contract): this test is about a terminal's Ctrl-C.
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def ctrl_c(tmp_path: Path, db: Path, *args: str, group: bool = True) -> tuple[int, str, bool]:
    """Run ``argmap ARGS --port FREE``, wait until its dashboard answers, send SIGINT to its
    process group (a terminal's Ctrl-C) or to argmap alone (``kill -INT PID``); its exit code,
    its stderr, and whether Streamlit was gone and the port free once argmap had exited."""
    port = free_port()
    err = tmp_path / "stderr.txt"
    with open(err, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "argmap", *args, "--port", str(port)],
            env=env_for(tmp_path, db),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # its own group, as a terminal's foreground job
            preexec_fn=_signals_by_default,
        )
    child = 0
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, timeout=120)
        record = tmp_path / "state" / "dashboards" / f"{port}.json"
        child = json.loads(record.read_text())["child"]
        (os.killpg if group else os.kill)(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
        return code, err.read_text(), not alive(child) and port_free(port)
    finally:
        with_group = [proc.pid] + ([child] if child and alive(child) else [])
        for pid in with_group:  # whatever the outcome, nothing this test started runs on
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait(timeout=10)


def stopped_line(db: Path) -> str:
    return (
        f"argmap: dashboard stopped (Ctrl-C); the store at {db.resolve()} is kept, its server "
        "running for the next command (argmap db stop ends it)"
    )


@pytest.mark.parametrize("group", [True, False], ids=["terminal-ctrl-c", "kill-int-pid"])
def test_ctrl_c_on_the_dashboard_is_one_calm_line_and_exit_130(tmp_path: Path, group: bool) -> None:
    db = tmp_path / "db"
    store = open_store(str(db))  # a store that exists: a named one that does not is refused
    store.run("CREATE (:Thread {id: 't'})")
    store.close()
    try:
        code, err, gone = ctrl_c(tmp_path, db, "dashboard", group=group)
        assert code == 130
        assert err == stopped_line(db) + "\n", err  # no "Aborted!", no traceback
        assert gone, "streamlit outlived argmap, or the port is still bound"
        assert is_running(db)  # the store's server runs on, as after any command
    finally:
        stop_server(db)


def test_ctrl_c_on_the_demo_keeps_the_sample_it_ingested(tmp_path: Path) -> None:
    db = tmp_path / "demo-db"
    try:
        code, err, gone = ctrl_c(tmp_path, db, "demo")
        assert code == 130
        lines = err.splitlines()
        assert lines[-1] == stopped_line(db), err
        assert "Aborted" not in err and "Traceback" not in err
        assert all(line.startswith("argmap: ") for line in lines), err  # its notes, then ours
        assert gone, "streamlit outlived argmap, or the port is still bound"
        assert is_running(db)
        with open_store(str(db)) as store:
            assert store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"] == 188
    finally:
        stop_server(db)
