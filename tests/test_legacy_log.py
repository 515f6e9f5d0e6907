"""A store the first release wrote (its log re-runs every query) is converted once, losing nothing.

The legacy store is written the way argmap's first release wrote it: that release's server
settings and write queries (``bench/legacy_store.py``), a synthetic thread of a few hundred
comments. Loading its log re-runs each query with no index at hand, quadratic in the store's
size (a 20,000-comment store: over 10 minutes; ``bench/legacy_store.py``); argmap replays the log
on a running server instead, and keeps the original until the converted store answers.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import logging
import os
import re
import select
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.convert_progress import conversion_in_progress
from argmap.graph.embedded import ensure_server, is_running, server_paths
from argmap.graph.embedded_stop import stop_server
from argmap.graph.log_convert import convert_query_log
from argmap.graph.query_log import LOG_DIR, log_parts, logged_query_bytes
from argmap.graph.store import open_store
from argmap.graph.writes import write_thread
from test_robustness import ARGMAP, ROOT
from typer.testing import CliRunner

from argmap.cli import app
from bench.legacy_store import write_first_release_store
from bench.synthetic import SyntheticSpec, generate, to_models

runner = CliRunner()
COMMENTS = 300
BACKUP = "appendonlydir.before-snapshot"


@pytest.fixture(scope="module")
def first_release_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A stopped store as the first release left it, and the counts it wrote."""
    data_dir = tmp_path_factory.mktemp("legacy") / "store"
    wrote = write_first_release_store(data_dir, COMMENTS)
    return data_dir, wrote


@pytest.fixture
def legacy(first_release_store: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the first release's store (the test may convert it)."""
    data_dir = tmp_path / "store"
    shutil.copytree(first_release_store[0], data_dir)
    yield data_dir
    stop_server(data_dir)
    stop_server(data_dir / "converting")


def _counts(data_dir: Path) -> dict[str, int]:
    store = open_store(str(data_dir), "argmap")
    try:
        row = store.run_read(
            "MATCH (p:Post) WITH count(p) AS posts "
            "OPTIONAL MATCH (c:Claim) WITH posts, count(c) AS claims "
            "OPTIONAL MATCH (:Claim)-[r:REBUTS|SUPPORTS]->(:Claim) "
            "RETURN posts, claims, count(r) AS relations"
        )[0]
        threads = store.run_read("MATCH (t:Thread) RETURN count(t) AS n")[0]["n"]
    finally:
        store.close()
    return {"threads": threads, **row}


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_log_of_a_first_release_store_is_a_log_of_queries(legacy: Path) -> None:
    # What makes it slow: every write is a query to re-run, past the size worth converting.
    assert logged_query_bytes(legacy) > 256 * 1024


def test_first_open_converts_once_says_so_and_keeps_every_count(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="argmap.graph")
    result = runner.invoke(app, ["threads", "--db", str(legacy)])

    assert result.exit_code == 0, result.output
    said = _messages(caplog)
    assert said[0].startswith(f"converting the store in {legacy}, written by an argmap before")
    assert str(legacy / BACKUP) in said[0]
    assert f"{COMMENTS} comments, 0 spam" in result.stdout
    assert _counts(legacy) == first_release_store[1]


def test_a_long_replay_says_how_far_it_got_every_few_seconds(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]], caplog: pytest.LogCaptureFixture
) -> None:
    # Every 5 s by default; at 0 s, a line after each replayed command.
    caplog.set_level(logging.WARNING, logger="argmap.graph")

    assert convert_query_log(legacy, say_every=0)

    lines = [m for m in _messages(caplog) if m.startswith("converting: ")]
    assert len(lines) >= 2, _messages(caplog)
    assert all(re.fullmatch(r"converting: \d+% of the log replayed", m) for m in lines), lines
    percents = [int(m.split()[1].rstrip("%")) for m in lines]
    assert percents == sorted(percents) and percents[-1] == 100, percents
    assert _counts(legacy) == first_release_store[1]


def test_after_the_conversion_the_store_loads_a_snapshot_and_the_original_is_kept(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]], caplog: pytest.LogCaptureFixture
) -> None:
    original = first_release_store[0] / LOG_DIR
    ensure_server(legacy)
    stop_server(legacy)
    caplog.set_level(logging.WARNING, logger="argmap.graph")
    caplog.clear()

    ensure_server(legacy)  # the next open

    assert not [m for m in _messages(caplog) if "converting" in m]
    assert logged_query_bytes(legacy) == 0
    assert any(p.kind == "b" and p.name.endswith(".rdb") for p in log_parts(legacy))
    kept = legacy / BACKUP / LOG_DIR
    assert sorted(os.listdir(kept)) == sorted(os.listdir(original))
    assert not filecmp.dircmp(kept, original).diff_files
    assert _counts(legacy) == first_release_store[1]


def test_an_interrupted_conversion_starts_over_and_leaves_no_server_behind(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]]
) -> None:
    # A conversion cut short (Ctrl-C, a kill) leaves its half-filled store and maybe its server.
    work = legacy / "converting"
    half = open_store(str(work), "argmap")
    half.run("CREATE (:Post {id: 'half-done'})")
    half.close()

    assert _counts(legacy) == first_release_store[1]
    assert not work.exists()
    assert not is_running(work)


def test_a_swap_cut_short_between_its_renames_is_finished(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]]
) -> None:
    ensure_server(legacy)
    stop_server(legacy)
    # The converted log moved aside, the original already in the backup: no log in place.
    os.replace(legacy / LOG_DIR, legacy / "appendonlydir.converted")

    assert _counts(legacy) == first_release_store[1]
    assert not (legacy / "appendonlydir.converted").exists()
    assert [p.name for p in legacy.iterdir() if p.name.startswith(BACKUP)] == [BACKUP]


def test_a_store_written_today_is_never_converted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "today"
    thread, _, _ = to_models(generate(SyntheticSpec(comments=COMMENTS)))
    store = open_store(str(data_dir), "argmap")
    write_thread(store, thread)
    store.close()
    stop_server(data_dir)
    caplog.set_level(logging.WARNING, logger="argmap.graph")
    try:
        ensure_server(data_dir)
    finally:
        stop_server(data_dir)

    assert not [m for m in _messages(caplog) if "converting" in m]
    assert not (data_dir / BACKUP).exists()
    assert server_paths(data_dir).data_dir == data_dir.resolve()


def test_a_conversion_that_cannot_run_says_why_and_the_store_loads_as_before(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]], caplog: pytest.LogCaptureFixture
) -> None:
    # Something the conversion cannot work in: a file where its folder would go.
    (legacy / "converting").write_text("not a folder", encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="argmap.graph")

    assert _counts(legacy) == first_release_store[1]

    failed = [m for m in _messages(caplog) if m.startswith("could not convert the store")]
    assert len(failed) == 1 and "loading it as it is" in failed[0]
    assert not (legacy / BACKUP).exists()


def _argmap(*args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ARGMAP, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        **kw,  # type: ignore[call-overload]
    )


def test_while_a_store_is_converted_status_stop_and_a_second_command_say_so(
    legacy: Path, first_release_store: tuple[Path, dict[str, int]]
) -> None:
    first = _argmap("threads", "--db", str(legacy))
    second: subprocess.Popen[str] | None = None
    try:
        # Caught in the middle of its replay, and held there (SIGSTOP) while others look.
        while (seen := conversion_in_progress(legacy)) is None or seen.stage != "replaying":
            assert first.poll() is None, "the conversion ended before it was seen replaying"
        os.kill(first.pid, signal.SIGSTOP)

        status = _argmap("db", "status", "--db", str(legacy)).communicate(timeout=60)[0]
        assert "being converted" in status and f"(pid {first.pid})" in status, status
        assert "% of its log" in status and "not running" not in status

        stop = _argmap("db", "stop", "--db", str(legacy))
        out, err = stop.communicate(timeout=60)
        assert stop.returncode == 1 and "nothing stopped" in err and len(err.splitlines()) == 1
        assert "being converted" in err and out == ""

        second = _argmap("threads", "--db", str(legacy))
        assert second.stderr is not None
        said, _, _ = select.select([second.stderr], [], [], 60)  # a bound, not a measure
        waiting = second.stderr.readline() if said else ""
        assert "is being converted" in waiting and "waiting for it" in waiting, waiting
        assert second.poll() is None  # it waits, and starts nothing beside the conversion
    finally:
        # Gone already when the conversion ended before it was seen: that assertion is the news.
        with contextlib.suppress(ProcessLookupError):
            os.kill(first.pid, signal.SIGCONT)
        first.wait(timeout=300)  # its server started before the fixture stops it
        if second is not None:
            out, err = second.communicate(timeout=300)
    assert first.returncode == 0
    assert second.returncode == 0, err
    assert f"{COMMENTS} comments, 0 spam" in out
    assert conversion_in_progress(legacy) is None
    assert _counts(legacy) == first_release_store[1]


def test_a_killed_conversion_whose_pid_another_process_took_is_not_said_to_convert(
    legacy: Path,
) -> None:
    first = _argmap("threads", "--db", str(legacy))
    while (seen := conversion_in_progress(legacy)) is None or seen.stage != "replaying":
        assert first.poll() is None, "the conversion ended before it was seen replaying"
    first.kill()  # SIGKILL: its note stays behind, naming its pid
    first.communicate(timeout=60)
    note = legacy / "converting" / "progress.json"
    # The OS gives that pid to an unrelated process: the note now names a live process.
    other = subprocess.Popen(["sleep", "300"])
    try:
        noted = json.loads(note.read_text(encoding="utf-8"))
        note.write_text(json.dumps({**noted, "pid": other.pid}), encoding="utf-8")

        assert conversion_in_progress(legacy) is None
        status = _argmap("db", "status", "--db", str(legacy)).communicate(timeout=60)[0]
        assert status.strip() == f"embedded FalkorDB in {legacy.resolve()}: not running", status
    finally:
        other.kill()
        other.wait()
