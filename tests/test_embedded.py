"""The embedded FalkorDB server: local-only, persistent, shared, stoppable, restartable."""

from __future__ import annotations

import logging
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from argmap.graph.embedded import ensure_server, is_running, server_paths, server_pid
from argmap.graph.embedded_stop import stop_server
from argmap.graph.store import open_store

from argmap.core.errors import StoreUnavailable


@pytest.fixture
def data_dir(tmp_path: Path):
    d = tmp_path / "store"
    yield d
    stop_server(d)


def _client(d: Path) -> redis.Redis:
    return redis.Redis(unix_socket_path=str(server_paths(d).socket))


def test_starts_on_first_use_listening_only_on_a_private_unix_socket(data_dir: Path) -> None:
    assert not is_running(data_dir)
    store = open_store(str(data_dir), "g")
    assert is_running(data_dir)
    socket = server_paths(data_dir).socket
    assert socket.is_socket()
    assert oct(socket.stat().st_mode & 0o777) == "0o700"
    # No TCP listener at all: nothing on the network can reach it.
    assert _client(data_dir).config_get("port")["port"] == "0"
    store.close()


def test_data_survives_a_stop_and_restart(data_dir: Path) -> None:
    store = open_store(str(data_dir), "g")
    store.run("CREATE (:Thread {id: $id, title: $t})", {"id": "t1", "t": "kept"})
    store.close()
    assert stop_server(data_dir) is True
    assert not is_running(data_dir)
    store = open_store(str(data_dir), "g")
    assert store.run_read("MATCH (t:Thread) RETURN t.title AS title") == [{"title": "kept"}]
    store.close()


def test_processes_starting_at_once_share_one_server(data_dir: Path) -> None:
    with ThreadPoolExecutor(4) as pool:
        sockets = list(pool.map(lambda _: ensure_server(data_dir), range(4)))
    assert len(set(sockets)) == 1
    pid = server_pid(data_dir)
    assert pid is not None
    ensure_server(data_dir)
    assert server_pid(data_dir) == pid


def test_a_quick_start_says_nothing_about_loading(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A server reads its (small) data back in milliseconds at every start; a warning then, on the
    README's first command, would only alarm. A long load still says how far it got
    (tests/test_hardening_restart.py)."""
    caplog.set_level(logging.WARNING, logger="argmap.graph.embedded")
    store = open_store(str(data_dir), "g")
    store.run("UNWIND range(1, 200) AS i CREATE (:Post {id: toString(i), text: 'some words'})")
    store.close()
    for _ in range(3):  # a fresh start, then restarts with data to read back
        stop_server(data_dir)
        ensure_server(data_dir)
    assert not [r.getMessage() for r in caplog.records if "loading" in r.getMessage()]


def test_stop_when_not_running_says_so(data_dir: Path) -> None:
    assert stop_server(data_dir) is False


def test_a_killed_server_gives_a_clear_error_then_restarts_with_data(data_dir: Path) -> None:
    store = open_store(str(data_dir), "g")
    store.run("CREATE (:Claim {id: 'c1', text: 'persisted'})")
    # appendfsync everysec: give the append-only file its second before the crash.
    time.sleep(1.5)
    pid = server_pid(data_dir)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while is_running(data_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(StoreUnavailable) as err:
        store.run_read("MATCH (c:Claim) RETURN c.text AS text")
    assert "re-run" in str(err.value) and "\n" not in str(err.value)
    store = open_store(str(data_dir), "g")
    assert store.run_read("MATCH (c:Claim) RETURN c.text AS text") == [{"text": "persisted"}]
    store.close()


def test_a_file_where_a_directory_is_expected_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "not-a-dir"
    f.write_text("x")
    with pytest.raises(StoreUnavailable, match="is a file"):
        open_store(str(f), "g")


def test_long_data_dir_paths_still_get_a_socket(tmp_path: Path) -> None:
    d = tmp_path / ("deep" * 30)
    try:
        store = open_store(str(d), "g")
        assert len(str(server_paths(d).socket)) <= 100
        assert store.run_read("RETURN 1 AS one") == [{"one": 1}]
        store.close()
    finally:
        stop_server(d)


def test_a_pidfile_naming_another_process_is_not_a_server_of_this_folder(
    data_dir: Path, tmp_path: Path
) -> None:
    # `cp -r` of a store in use copies its pidfile: the copy named the first folder's server,
    # read as "still loading" forever, and `db stop` of the copy stopped the first folder's.
    store = open_store(str(data_dir), "g")
    store.close()
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "falkordb.pid").write_text(server_paths(data_dir).pidfile.read_text())
    assert server_pid(copy) is None and not is_running(copy)
    assert stop_server(copy) is False
    assert is_running(data_dir)
    # A pid reused after a crash (here: this test's own process) is not a server either.
    (copy / "falkordb.pid").write_text(str(os.getpid()))
    assert server_pid(copy) is None
    # The copy gets its own server, and the first folder keeps its own.
    copied = open_store(str(copy), "g")
    assert server_pid(copy) not in (None, os.getpid(), server_pid(data_dir))
    copied.close()
    assert stop_server(copy) is True and is_running(data_dir)


def test_a_data_dir_with_spaces_and_non_ascii_names_knows_its_server(tmp_path: Path) -> None:
    """Was: the server's command line was split on whitespace, so a folder such as
    `~/My Documents/données` never matched its own server: `argmap db status` said `pid None`, a
    hung server could not be killed, and a long-loading one read as not running."""
    d = tmp_path / "hA données" / "数据 store"
    try:
        store = open_store(str(d), "g")
        store.close()
        pid = server_pid(d)
        assert pid is not None and pid == int(server_paths(d).pidfile.read_text())
        os.kill(pid, signal.SIGSTOP)  # hung: it answers nothing, so only a signal stops it
        try:
            assert stop_server(d, timeout=1) is True
        finally:
            if server_pid(d) is not None:
                os.kill(pid, signal.SIGCONT)
        assert not is_running(d)
    finally:
        stop_server(d)


def test_a_data_dir_short_in_characters_but_long_in_bytes_still_gets_a_socket(
    tmp_path: Path,
) -> None:
    """The 107-byte limit of a socket path is in bytes, and a CJK character is 3 of them. Was: the
    length was counted in characters, and the server could not start in such a folder (it "did
    not start within 10s")."""
    room = 100 - len(str(tmp_path / "falkordb.sock")) - 1  # a socket path of exactly 100 chars
    assert room >= 4, "the test's temporary folder is too deep for this check"
    d = tmp_path / ("数" * room)
    try:
        store = open_store(str(d), "g")
        assert len(os.fsencode(server_paths(d).socket)) <= 100
        assert store.run_read("RETURN 1 AS one") == [{"one": 1}]
        store.close()
    finally:
        stop_server(d)
