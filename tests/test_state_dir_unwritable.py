"""A state folder argmap cannot write (``ARGMAP_STATE_DIR``, or a read-only home holding the
default one): every command says so in one line naming the setting, and carries on.

The state folder holds argmap's notes of the servers and dashboards it started (``argmap db
list``, ``db stop --all``). Tests run as root, for whom ``chmod`` makes nothing read-only, so the
folders are ones nobody can write: under a regular file (ENOTDIR) and under /proc (ENOENT).
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.embedded_stop import stop_server
from test_processes import argmap, env_for

from argmap.core.resources import sample_thread
from tools.browser import free_port

PLACES = {
    "under a regular file": lambda tmp: tmp / "a-file" / "state",
    "under /proc": lambda tmp: Path("/proc/argmap-state-of-no-one"),
}


@pytest.fixture(params=sorted(PLACES))
def unwritable(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    return PLACES[request.param](tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    db = tmp_path / "db"
    yield db
    stop_server(db)


def _one_note(stderr: str, state: Path) -> str:
    notes = [line for line in stderr.splitlines() if f"state folder {state} " in line]
    assert len(notes) == 1, stderr
    assert notes[0].startswith("argmap: note: cannot write argmap's state folder"), notes[0]
    assert notes[0].endswith("set ARGMAP_STATE_DIR to a writable folder"), notes[0]
    assert "Traceback" not in stderr
    return notes[0]


def test_commands_that_open_a_store_say_so_once_and_do_their_work(
    unwritable: Path, store: Path, tmp_path: Path
) -> None:
    env = {**env_for(tmp_path, store), "ARGMAP_STATE_DIR": str(unwritable)}

    ingest = argmap(env, "ingest", str(sample_thread()))
    assert ingest.returncode == 0, ingest.stderr
    assert "172 comments" in ingest.stdout
    assert "db list" in _one_note(ingest.stderr, unwritable)

    for command in (["threads"], ["review", "list"], ["db", "status"]):
        result = argmap(env, *command)
        assert result.returncode == 0, (command, result.stderr)
        _one_note(result.stderr, unwritable)
    assert "running (pid" in result.stdout


def test_db_list_and_stop_all_say_the_servers_started_meanwhile_are_not_listed(
    unwritable: Path, store: Path, tmp_path: Path
) -> None:
    env = {**env_for(tmp_path, store), "ARGMAP_STATE_DIR": str(unwritable)}
    assert argmap(env, "ingest", str(sample_thread())).returncode == 0

    for command in (["db", "list"], ["db", "stop", "--all"]):
        result = argmap(env, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "not listed" in _one_note(result.stderr, unwritable)
    stop = argmap(env, "db", "stop")  # the store named still stops
    assert (stop.returncode, stop.stdout.strip()) == (0, "stopped"), stop.stderr


def test_the_dashboard_says_so_as_it_starts(unwritable: Path, store: Path, tmp_path: Path) -> None:
    env = {**env_for(tmp_path, store), "ARGMAP_STATE_DIR": str(unwritable)}
    assert argmap(env, "ingest", str(sample_thread())).returncode == 0
    dashboard = subprocess.Popen(
        [sys.executable, "-m", "argmap", "dashboard", "--port", str(free_port())],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert dashboard.stderr is not None
        said, _, _ = select.select([dashboard.stderr], [], [], 60)  # a bound, not a measure
        line = dashboard.stderr.readline() if said else ""
        _one_note(line, unwritable)
        assert dashboard.poll() is None  # it serves all the same
    finally:
        dashboard.send_signal(signal.SIGTERM)
        dashboard.communicate(timeout=60)


@pytest.fixture
def read_only_home(tmp_path: Path) -> dict[str, str]:
    """An environment whose home nobody can write (under /proc), with no ARGMAP_DB or
    ARGMAP_STATE_DIR and no XDG folders set: argmap's defaults are under that home."""
    env = env_for(tmp_path, tmp_path / "unused")
    for name in ("ARGMAP_DB", "ARGMAP_STATE_DIR", *(k for k in os.environ if k.startswith("XDG_"))):
        env.pop(name, None)
    env["HOME"] = "/proc/argmap-home-of-no-one"
    return env


def test_a_read_only_home_is_one_line_naming_the_setting_for_each_folder(
    read_only_home: dict[str, str], store: Path
) -> None:
    default_store = argmap(read_only_home, "ingest", str(sample_thread()))
    assert default_store.returncode == 1
    assert default_store.stderr.startswith("argmap: error: cannot use data directory /proc/")
    assert default_store.stderr.count("\n") == 1 and "set ARGMAP_DB" in default_store.stderr

    elsewhere = argmap(read_only_home, "ingest", str(sample_thread()), "--db", str(store))
    assert elsewhere.returncode == 0, elsewhere.stderr
    _one_note(elsewhere.stderr, Path("/proc/argmap-home-of-no-one/.local/state/argmap"))
