"""argmap's background processes, run for real: the embedded servers it started (``db list``,
``db stop --all``) and the dashboard's Streamlit child (a busy port, ``kill`` of argmap)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from argmap.graph.embedded import is_running
from argmap.graph.embedded_stop import stop_server
from argmap.graph.servers import graph_sizes
from argmap.graph.store import Store, open_store

from tools.browser import free_port


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): read its state.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def env_for(tmp_path: Path, db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ARGMAP_GRAPH", "NEO4J_URI")}
    env.update(
        {
            "ARGMAP_DB": str(db),
            "ARGMAP_STATE_DIR": str(tmp_path / "state"),
            "HOME": str(tmp_path / "home"),  # no user-level Streamlit config
        }
    )
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(var, None)
    return env


def argmap(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_db_list_shows_every_server_argmap_started_and_stop_all_stops_them(
    tmp_path: Path,
) -> None:
    dbs = [tmp_path / "first", tmp_path / "second"]
    try:
        for db in dbs:
            demo = argmap(env_for(tmp_path, db), "demo", "--no-dashboard")
            assert demo.returncode == 0, demo.stderr
            assert "reply tree rebuilt from the page for 172 comments" in demo.stderr
        listing = argmap(env_for(tmp_path, dbs[0]), "db", "list")
        assert listing.returncode == 0, listing.stderr
        lines = listing.stdout.strip().splitlines()
        assert len(lines) == 2
        for db, line in zip(dbs, lines, strict=True):
            pid = int((db / "falkordb.pid").read_text())
            assert line.startswith(str(db)) and f"pid {pid}" in line
            assert "graphs: argmap (" in line and re.search(r"\d+(\.\d)? [kM]B on disk", line)

        stopped = argmap(env_for(tmp_path, dbs[0]), "db", "stop", "--all")
        assert stopped.returncode == 0
        assert sorted(stopped.stdout.split()) == sorted(["stopped", "stopped", *map(str, dbs)])
        assert not any(is_running(db) for db in dbs)
        assert argmap(env_for(tmp_path, dbs[0]), "db", "list").stdout.strip() == (
            "no embedded server running"
        )
    finally:
        for db in dbs:
            stop_server(db)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"argmap dashboard exited with {proc.returncode}"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the dashboard did not answer on port {port} within {timeout:.0f}s")


def _signals_by_default() -> None:
    # A suite started under nohup, or in the background of a script (`pytest &`: SIGINT ignored),
    # passes these on as ignored, and argmap keeps an ignored signal ignored (nohup's contract):
    # these tests are about a plain kill.
    for sig in (signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_killing_argmap_dashboard_stops_streamlit_and_frees_the_port(
    tmp_path: Path, sig: signal.Signals
) -> None:
    db = tmp_path / "db"
    store = open_store(str(db))  # a store that exists: a named one that does not is refused
    store.run("CREATE (:Thread {id: 't'})")
    store.close()
    env = env_for(tmp_path, db)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "dashboard", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the cleanup below can reach both, whatever happens
        preexec_fn=_signals_by_default,
    )
    try:
        wait_healthy(port, proc)
        record = json.loads((tmp_path / "state" / "dashboards" / f"{port}.json").read_text())
        assert record["pid"] == proc.pid and alive(record["child"])

        # While it runs, a demo on the same port says so before ingesting anything.
        demo = argmap(env_for(tmp_path, tmp_path / "demo-db"), "demo", "--port", str(port))
        assert demo.returncode == 1
        line = demo.stderr.strip()
        assert "\n" not in line and f"port {port}" in line
        assert f"argmap dashboard (pid {proc.pid}" in line and "--port" in line
        assert not (tmp_path / "demo-db").exists()  # nothing was ingested

        # The argmap process only, as `kill PID` does (Ctrl-C would reach its whole group).
        os.kill(proc.pid, sig)
        assert proc.wait(timeout=30) == 128 + sig  # as a shell reports a process the signal ended
        deadline = time.monotonic() + 30
        while alive(record["child"]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(record["child"]), "streamlit outlived argmap"
        assert port_free(port)
        assert not (tmp_path / "state" / "dashboards" / f"{port}.json").exists()
    finally:
        # The whole group, argmap gone or not: a Streamlit it left behind (the failure this
        # test looks for) must not outlive the test.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        stop_server(db)


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_streamlit_does_not_outlive_argmap_dashboard_killed_with_sigkill(tmp_path: Path) -> None:
    # Nothing in argmap runs on SIGKILL: before, Streamlit ran on, an orphan bound to the port.
    db = tmp_path / "db"
    store = open_store(str(db))
    store.run("CREATE (:Thread {id: 't'})")
    store.close()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "dashboard", "--port", str(port)],
        env=env_for(tmp_path, db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the cleanup below can reach both, whatever happens
        preexec_fn=_signals_by_default,
    )
    child = 0
    try:
        wait_healthy(port, proc)
        record = json.loads((tmp_path / "state" / "dashboards" / f"{port}.json").read_text())
        child = record["child"]
        os.kill(proc.pid, signal.SIGKILL)  # the argmap process only
        assert proc.wait(timeout=30) == -signal.SIGKILL
        deadline = time.monotonic() + 30
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child), "streamlit outlived argmap"
        assert port_free(port)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        if child and alive(child):
            os.kill(child, signal.SIGKILL)
        stop_server(db)


def test_a_port_held_by_another_program_is_named_as_such(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = argmap(env_for(tmp_path, tmp_path / "db"), "dashboard", "--port", str(port))
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line and f"port {port} on 127.0.0.1 is in use by another program" in line
    assert f"--port {port + 1}" in line


def test_the_port_offered_instead_is_free(tmp_path: Path) -> None:
    holders = []
    try:
        for _ in range(50):  # two neighbouring ports taken, as by two dashboards
            first = socket.socket()
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            second = socket.socket()
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                first.close()
                second.close()
                continue
            holders = [first, second]
            break
        for h in holders:
            h.listen()
        result = argmap(env_for(tmp_path, tmp_path / "db"), "dashboard", "--port", str(port))
    finally:
        for h in holders:
            h.close()
    assert result.returncode == 1
    offered = re.search(r"give another port with --port (\d+) \(free now\)", result.stderr)
    assert offered and int(offered.group(1)) >= port + 2  # past the two taken ones


def test_a_mistyped_store_or_graph_is_refused_not_created(
    tmp_path: Path, sample_store: Store
) -> None:
    typo = tmp_path / "typo"
    result = argmap(env_for(tmp_path, typo), "dashboard", "--port", str(free_port()))
    assert result.returncode == 1 and f"no store at {typo}" in result.stderr
    assert not typo.exists()  # nothing created, no server started for it
    env = {**env_for(tmp_path, Path(sample_store.target)), "ARGMAP_GRAPH": "tyop"}
    result = argmap(env, "dashboard", "--port", str(free_port()))
    assert result.returncode == 1 and "no graph 'tyop'" in result.stderr
    assert "tyop" not in graph_sizes(Path(sample_store.target))  # no empty graph made either


def test_a_server_whose_folder_was_deleted_is_listed_and_stopped(tmp_path: Path) -> None:
    # `rm -rf` of a data folder takes the server's pidfile and socket with it; SIGTERM does not
    # stop it (it cannot save), and `db list` / `db stop --all` used to say nothing was running.
    db = tmp_path / "store"
    env = env_for(tmp_path, db)
    orphan = 0
    try:
        assert argmap(env, "demo", "--no-dashboard").returncode == 0
        orphan = int((db / "falkordb.pid").read_text())
        shutil.rmtree(db)
        assert alive(orphan)
        listing = argmap(env, "db", "list").stdout.strip()
        assert listing.startswith(f"{db}  pid {orphan}  its folder was deleted"), listing

        # The same folder made again gets a new server; the orphan is still the one to stop.
        assert argmap(env, "demo", "--no-dashboard").returncode == 0
        current = int((db / "falkordb.pid").read_text())
        lines = argmap(env, "db", "list").stdout.strip().splitlines()
        assert len(lines) == 2 and sum(f"pid {orphan}  its folder" in line for line in lines) == 1
        assert any(f"pid {current}" in line and "graphs: argmap (" in line for line in lines)

        stopped = argmap(env, "db", "stop", "--all")
        assert stopped.stdout.split() == ["stopped", str(db), "stopped", str(db)]
        assert not alive(orphan) and not is_running(db)
        assert argmap(env, "db", "list").stdout.strip() == "no embedded server running"

        # `db stop` of that folder alone stops its orphan too (it said "not running").
        assert argmap(env, "demo", "--no-dashboard").returncode == 0
        orphan = int((db / "falkordb.pid").read_text())
        shutil.rmtree(db)
        assert argmap(env, "db", "stop").stdout.strip() == "stopped"
        assert not alive(orphan)
        assert argmap(env, "db", "stop").stdout.strip() == "not running"
    finally:
        stop_server(db)
        if orphan and alive(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_a_server_whose_pidfile_is_gone_is_found_by_its_socket_and_saved_when_stopped(
    tmp_path: Path,
) -> None:
    # A pidfile deleted by hand, or one a start cut short never wrote, while its server answers:
    # `db status` said "pid None", `db list` called it an orphan whose folder was deleted, and
    # `db stop` SIGKILLed it unsaved (its last second of writes at risk).
    db = tmp_path / "store"
    env = env_for(tmp_path, db)
    pid = 0
    try:
        assert argmap(env, "demo", "--no-dashboard").returncode == 0
        pid = int((db / "falkordb.pid").read_text())
        (db / "falkordb.pid").unlink()

        status = argmap(env, "db", "status").stdout.splitlines()[0]
        assert (
            status == f"embedded FalkorDB in {db}: running (pid {pid}, socket {db}/falkordb.sock)"
        )
        listing = argmap(env, "db", "list").stdout.strip().splitlines()
        assert len(listing) == 1 and listing[0].startswith(f"{db}  pid {pid}  "), listing
        assert "graphs: argmap (" in listing[0]

        assert argmap(env, "db", "stop").stdout.strip() == "stopped"
        assert not alive(pid)
        assert "ready to exit" in (db / "falkordb.log").read_text()  # shut down, not killed
        assert (
            argmap(env, "db", "status").stdout.strip() == f"embedded FalkorDB in {db}: not running"
        )
    finally:
        stop_server(db)
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
