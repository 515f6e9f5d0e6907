"""Ctrl-C, SIGTERM and SIGHUP on a command writing to Neo4j 5 (the session's real server): one
line, 128 + the signal, no transaction left open that makes the next command wait, and the same
command again gives the graph an uninterrupted run gives. Each test runs ``argmap`` as a separate
process and signals it once its ingest has stored extracted posts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.export_json import export_json
from argmap.graph.store import Store
from test_robustness import (
    ARGMAP,
    ROOT,
    assert_no_duplicates,
    assert_same_export,
    clean_export,
    shape,
    thread_id_of,
)
from test_signals import STOPS, assert_one_line

sys.path.insert(0, str(ROOT / "bench"))

from synthetic_wordpress import write_thread  # noqa: E402

pytestmark = pytest.mark.neo4j


def _extracted(store: Store, tid: str) -> int:
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.extracted IS NOT NULL AND p.thread_id = $tid RETURN count(p) AS n",
        {"tid": tid},
    )
    return rows[0]["n"]


@pytest.mark.parametrize(
    ("signum", "said"), [pytest.param(signal.SIGINT, "interrupted", id="SIGINT"), *STOPS]
)
def test_an_ingest_into_neo4j_stopped_half_way_resumes_to_the_clean_graph(
    neo4j_env: Store, falkordb_dir: Path, tmp_path: Path, signum: int, said: str
) -> None:
    store = neo4j_env
    path = Path(write_thread(1500, tmp_path / "thread.txt", seed=21)["path"])
    tid = thread_id_of(path)
    proc = subprocess.Popen(
        [*ARGMAP, "ingest", str(path), "--quiet"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    try:
        while proc.poll() is None and not _extracted(store, tid):
            pass  # each count is a round trip to the server: no sleep needed
        assert proc.poll() is None, f"the ingest ended before it was stopped: {proc.stderr}"
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert_one_line(err, said)
    assert out == ""
    assert shape(store)["unextracted"] > 0, "stopped too late: nothing was left to resume"
    # The next command is not held up by a transaction the stopped one left open (a lock would
    # make this ingest wait out its timeout and fail).
    again = subprocess.run(
        [*ARGMAP, "ingest", str(path), "--quiet"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        timeout=600,
    )
    assert again.returncode == 0, again.stderr
    assert_no_duplicates(shape(store))
    assert_same_export(export_json(store), clean_export(falkordb_dir, path))
