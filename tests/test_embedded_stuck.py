"""An embedded FalkorDB server that stops answering: argmap says so in one line and can end it.

Seen once in CI: a freshly started FalkorDB deadlocked on its first query (its main thread waiting
forever on a lock no thread held), and the command waited forever with it. A real server is made
to stop answering here with SIGSTOP (it keeps its socket and accepts connections, as the hung one
did, but never replies)."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from argmap.graph.embedded import ensure_server, server_paths, server_pid, server_state
from argmap.graph.embedded_health import answers_queries, ensure_answering
from argmap.graph.embedded_stop import kill_server, stop_server
from argmap.graph.falkordb_store import FalkorDBStore
from argmap.graph.store import open_store

from argmap.core.errors import StoreUnavailable


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    d = tmp_path / "store"
    yield d
    pid = server_pid(d)
    if pid is not None:
        os.kill(pid, signal.SIGCONT)  # a test that failed half-way leaves no stopped server
    stop_server(d, timeout=2)


def _saved_store(d: Path) -> int:
    """A store holding one thread, saved to disk; the server's pid."""
    store = open_store(str(d), "g")
    store.run("CREATE (:Thread {id: $id, title: $t})", {"id": "t1", "t": "kept"})
    store.close()
    client = redis.Redis(unix_socket_path=str(server_paths(d).socket))
    client.save()  # on disk now, whatever happens to the process
    client.close()
    pid = server_pid(d)
    assert pid is not None
    return pid


def test_a_query_to_a_server_that_never_replies_ends_in_one_line(data_dir: Path) -> None:
    pid = _saved_store(data_dir)
    store = FalkorDBStore(data_dir, "g", server_paths(data_dir).socket, reply_timeout=2)
    os.kill(pid, signal.SIGSTOP)
    with pytest.raises(StoreUnavailable, match="stopped answering") as err:
        store.run_read("MATCH (t:Thread) RETURN t.title AS title")
    message = str(err.value)
    assert "\n" not in message and "argmap db stop" in message


def test_only_a_server_that_answers_queries_counts_as_answering(data_dir: Path) -> None:
    pid = _saved_store(data_dir)
    socket = server_paths(data_dir).socket
    # A server that answers returns at its answer: the bound is only how long a loaded machine
    # may keep it from replying (2 s could pass on one). The stopped server's 1 s is the wait
    # that must end unanswered, however long it is.
    assert answers_queries(socket, timeout=60) is True
    os.kill(pid, signal.SIGSTOP)
    assert answers_queries(socket, timeout=1) is False
    os.kill(pid, signal.SIGCONT)
    assert answers_queries(socket, timeout=60) is True


def test_stop_ends_a_stuck_server_and_the_next_command_gets_the_data_back(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pid = _saved_store(data_dir)
    os.kill(pid, signal.SIGSTOP)  # SHUTDOWN and SIGTERM both need the loop that is now stuck
    with caplog.at_level(logging.WARNING, logger="argmap.graph.embedded"):
        assert stop_server(data_dir, timeout=2) is True
    assert server_state(data_dir) is None and server_pid(data_dir) is None
    assert any("killed it" in r.getMessage() for r in caplog.records)
    store = open_store(str(data_dir), "g")  # a fresh server, the saved data
    assert store.run_read("MATCH (t:Thread) RETURN t.title AS title") == [{"title": "kept"}]
    assert server_pid(data_dir) != pid
    store.close()


def test_a_server_that_hangs_reading_its_data_back_is_killed_and_started_again(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Seen once in CI: a restarted FalkorDB stuck at "loading its data: 0%" for five minutes (alive,
    its socket accepting, no reply, no way forward), and every command waited on it, then said
    "re-run in a moment" to find it stuck again. A stopped process is that server: it answers
    nothing and uses no CPU time. Without the stall check this ends in "still loading" after 60 s."""
    pid = _saved_store(data_dir)
    os.kill(pid, signal.SIGSTOP)
    assert server_state(data_dir) == "loading"  # alive and silent: how the hung one looked
    with caplog.at_level(logging.WARNING, logger="argmap.graph.embedded"):
        socket = ensure_server(data_dir, load_timeout=60, stall_after=2)
    hung = [r.getMessage() for r in caplog.records if "made no progress" in r.getMessage()]
    assert len(hung) == 1 and "killed it and starting it again" in hung[0]
    assert server_pid(data_dir) not in (None, pid)
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().split()[2] == "Z"  # the hung one is gone
    assert answers_queries(socket, timeout=60)
    store = open_store(str(data_dir), "g")  # the saved data, read back by the new server
    assert store.run_read("MATCH (t:Thread) RETURN t.title AS title") == [{"title": "kept"}]
    store.close()


def _queries_answered(socket: Path) -> int:
    """How many GRAPH.QUERY commands the server on ``socket`` has run since it started."""
    client = redis.Redis(unix_socket_path=str(socket))
    try:
        stats = client.info("commandstats")
    finally:
        client.close()
    return int(stats.get("cmdstat_graph.QUERY", {}).get("calls", 0))


def test_the_server_started_in_place_of_a_hung_one_is_asked_its_first_query(
    data_dir: Path,
) -> None:
    """The deadlock argmap guards a fresh server against (no answer to its first query) can hit
    the server started in place of one hung reading its data back as well: that one is fresh too.
    It used to be let through unasked, as a server "already running" when the command began."""
    pid = _saved_store(data_dir)
    os.kill(pid, signal.SIGSTOP)
    socket = ensure_answering(data_dir, load_timeout=60, stall_after=2)
    assert server_pid(data_dir) not in (None, pid)
    assert _queries_answered(socket) == 1  # the probe's RETURN 1, before any command of ours
    graphs = redis.Redis(unix_socket_path=str(socket)).execute_command("GRAPH.LIST")
    assert b"argmap_probe" not in graphs


def test_a_server_already_answering_is_not_asked_again(data_dir: Path) -> None:
    _saved_store(data_dir)  # its server has answered queries already
    socket = server_paths(data_dir).socket
    asked = _queries_answered(socket)
    assert ensure_answering(data_dir) == socket
    assert _queries_answered(socket) == asked


def test_kill_server_says_whether_there_was_one(data_dir: Path) -> None:
    assert kill_server(data_dir) is False  # nothing started yet
    pid = _saved_store(data_dir)
    assert kill_server(data_dir) is True
    assert server_pid(data_dir) is None and server_state(data_dir) is None
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().split()[2] == "Z"  # gone, or dead unreaped
    assert not server_paths(data_dir).socket.exists()


def test_a_fresh_server_answers_its_first_query_through_open_store(data_dir: Path) -> None:
    store = open_store(str(data_dir), "g")  # ensure_answering: started, then asked RETURN 1
    assert store.run_read("RETURN 1 AS one") == [{"one": 1}]
    graphs = redis.Redis(unix_socket_path=str(server_paths(data_dir).socket)).execute_command(
        "GRAPH.LIST"
    )
    assert b"argmap_probe" not in graphs  # the probe's scratch graph is gone again
    assert answers_queries(server_paths(data_dir).socket)
    store.close()
