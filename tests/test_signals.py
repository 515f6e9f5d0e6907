"""What SIGTERM (``docker stop``, systemd, a CI timeout) and SIGHUP (the terminal closed) do to a
command: the same as Ctrl-C. One line saying so, exit code 128 + the signal, what was written
kept, an export's file either whole or not there at all, and the same command again finishes the
job. Each test runs ``argmap`` as a separate process and signals it once it is visibly at work
(its temporary export file exists, its ingest has stored extracted posts).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import open_store
from test_robustness import (
    ARGMAP,
    ROOT,
    _env,
    argmap,
    assert_no_duplicates,
    assert_same_export,
    clean_export,
    shape,
    spawn_ingest,
    thread_id_of,
    wait_for_extraction,
)

sys.path.insert(0, str(ROOT / "bench"))

from synthetic import SyntheticSpec, generate, write_to_store  # noqa: E402
from synthetic_wordpress import write_thread  # noqa: E402

STOPS = [
    pytest.param(signal.SIGTERM, "stopped by SIGTERM", id="SIGTERM"),
    pytest.param(signal.SIGHUP, "stopped: the terminal closed (SIGHUP)", id="SIGHUP"),
]


def assert_one_line(err: str, said: str) -> None:
    assert err.splitlines() == [
        f"argmap: error: {said}; what was written is kept, re-run to resume"
    ], err


@pytest.mark.parametrize(
    ("signum", "said"), [pytest.param(signal.SIGINT, "interrupted", id="SIGINT"), *STOPS]
)
@pytest.mark.parametrize("fmt", ["json", "graphml", "png", "html"])
def test_an_export_stopped_half_way_leaves_no_file_behind(
    falkordb_dir: Path, graph_name: str, tmp_path: Path, fmt: str, signum: int, said: str
) -> None:
    # Big enough that the export is still writing when its temporary file shows up.
    store = open_store(str(falkordb_dir), graph_name)
    write_to_store(store, generate(SyntheticSpec(comments=3000, seed=5)))
    folder = tmp_path / "exports"
    folder.mkdir()
    proc = subprocess.Popen(
        [*ARGMAP, "export", "-f", fmt, "-o", str(folder / f"map.{fmt}"), "--all-claims"],
        env=_env(falkordb_dir, graph_name),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        while proc.poll() is None and not any(folder.iterdir()):
            time.sleep(0.001)
        assert proc.poll() is None, "the export ended before it could be stopped"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert_one_line(err, said)
    assert list(folder.iterdir()) == []  # neither the file asked for nor its temporary one
    store.clear()
    store.close()


@pytest.mark.parametrize(("signum", "said"), STOPS)
def test_an_ingest_stopped_half_way_says_so_and_resumes_to_the_clean_graph(
    falkordb_dir: Path, graph_name: str, tmp_path: Path, signum: int, said: str
) -> None:
    path = Path(write_thread(1500, tmp_path / "thread.txt", seed=21)["path"])
    proc = spawn_ingest(falkordb_dir, graph_name, path)
    try:
        wait_for_extraction(proc, falkordb_dir, graph_name, thread_id_of(path))
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert_one_line(err, said)
    assert out == ""
    store = open_store(str(falkordb_dir), graph_name)
    try:
        assert shape(store)["unextracted"] > 0, "stopped too late: nothing was left to resume"
        again = argmap(falkordb_dir, graph_name, "ingest", str(path), "--quiet")
        assert again.returncode == 0, again.stderr
        assert_no_duplicates(shape(store))
        assert_same_export(export_json(store), clean_export(falkordb_dir, path))
    finally:
        store.clear()
        store.close()
