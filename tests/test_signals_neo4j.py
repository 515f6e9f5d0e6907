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
from test_signals import STOPS, assert_one_line, start, stop_when

sys.path.insert(0, str(ROOT / "bench"))

from synthetic import SyntheticSpec, generate, write_to_store  # noqa: E402
from synthetic_wordpress import write_thread  # noqa: E402

pytestmark = pytest.mark.neo4j


def _extracted(store: Store, tid: str) -> int:
    rows = store.run_read(
        "MATCH (p:Post) WHERE p.extracted IS NOT NULL AND p.thread_id = $tid RETURN count(p) AS n",
        {"tid": tid},
    )
    return rows[0]["n"]


def run_again(*args: str) -> subprocess.CompletedProcess[str]:
    """``argmap ARGS`` run to the end, as the user re-runs the command that was stopped."""
    return subprocess.run(
        [*ARGMAP, *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        timeout=600,
    )


@pytest.mark.parametrize(
    ("signum", "said"), [pytest.param(signal.SIGINT, "interrupted", id="SIGINT"), *STOPS]
)
def test_an_ingest_into_neo4j_stopped_half_way_resumes_to_the_clean_graph(
    neo4j_env: Store, falkordb_dir: Path, tmp_path: Path, signum: int, said: str
) -> None:
    store = neo4j_env
    path = Path(write_thread(1500, tmp_path / "thread.txt", seed=21)["path"])
    tid = thread_id_of(path)
    proc = start(["ingest", str(path), "--quiet"], dict(os.environ), stdout=subprocess.PIPE)
    # Each count is a round trip to the server: no pause needed between them.
    out, err = stop_when(proc, lambda: _extracted(store, tid), signum, pause=0)
    assert proc.returncode == 128 + signum, err
    assert_one_line(err, said)
    assert out == ""
    assert shape(store)["unextracted"] > 0, "stopped too late: nothing was left to resume"
    # The next command is not held up by a transaction the stopped one left open (a lock would
    # make this ingest wait out its timeout and fail).
    again = run_again("ingest", str(path), "--quiet")
    assert again.returncode == 0, again.stderr
    assert_no_duplicates(shape(store))
    assert_same_export(export_json(store), clean_export(falkordb_dir, path))


@pytest.mark.parametrize(
    ("signum", "said"), [pytest.param(signal.SIGINT, "interrupted", id="SIGINT"), *STOPS]
)
def test_a_thread_deletion_on_neo4j_stopped_half_way_is_finished_by_running_it_again(
    neo4j_env: Store, signum: int, said: str
) -> None:
    store = neo4j_env
    write_to_store(store, generate(SyntheticSpec(comments=3000, seed=5)))
    tid = store.run_read("MATCH (t:Thread) RETURN t.id AS id")[0]["id"]
    posts = shape(store)["posts"]
    delete = ["threads", "delete", tid, "--yes"]
    proc = start(delete, dict(os.environ))
    _, err = stop_when(proc, lambda: shape(store)["posts"] != posts, signum, pause=0)
    assert proc.returncode == 128 + signum, err
    assert_one_line(err, said)
    assert 0 < shape(store)["posts"] < posts, "stopped too late: nothing was left to delete"
    again = run_again(*delete)
    assert again.returncode == 0, again.stderr
    left = "MATCH (n) WHERE n:Thread OR n:Post OR n:Claim OR n:Person RETURN count(n) AS n"
    assert store.run_read(left)[0]["n"] == 0  # the store's own counters may stay
