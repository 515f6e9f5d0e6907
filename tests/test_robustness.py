"""Robustness: an ingest killed half way, a store server killed under its users, two ingests at once.

Each test runs ``argmap`` as a user would (a separate process) on a synthetic WordPress thread
big enough to take a few seconds (``bench/synthetic_wordpress.py``), and compares what the store
ends up holding with a clean, uninterrupted run. Anything that kills a FalkorDB server uses a
private data directory; the session's server is only ever used, never stopped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.embedded import is_running, server_pid
from argmap.graph.embedded_stop import stop_server
from argmap.graph.export_json import export_json
from argmap.graph.store import Store, open_store
from argmap.ingest.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic_wordpress import write_thread  # noqa: E402

# Run from the repository root, so ``-c`` imports this checkout's packages.
ARGMAP = [sys.executable, "-m", "argmap"]
COMMENTS = 2000  # a few seconds of offline ingest: long enough to be caught half way


def _env(db: Path, graph: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI")
    }
    env.update(ARGMAP_DB=str(db), ARGMAP_GRAPH=graph)
    return env


def argmap(
    db: Path, graph: str, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARGMAP, *args],
        env=_env(db, graph),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )


def spawn_ingest(db: Path, graph: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ARGMAP, "ingest", str(path), "--quiet"],
        env=_env(db, graph),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def threads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three different synthetic threads (page text) and their ids."""
    out = tmp_path_factory.mktemp("robust")
    files = {}
    for seed in (11, 12, 13):
        info = write_thread(COMMENTS if seed == 11 else 600, out / f"thread-{seed}.txt", seed=seed)
        files[seed] = Path(info["path"])
    return files


@pytest.fixture
def private_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory whose server this test may kill; stopped at the end."""
    db = tmp_path / "db"
    yield db
    stop_server(db)


def extracted(db: Path, graph: str, tid: str | None = None) -> int:
    """Posts marked extracted (by a fresh connection: the caller's may be dead)."""
    store = open_store(str(db), graph)
    try:
        rows = store.run_read(
            "MATCH (p:Post) WHERE p.extracted IS NOT NULL AND ($tid IS NULL OR p.thread_id = $tid) "
            "RETURN count(p) AS n",
            {"tid": tid},
        )
        return rows[0]["n"]
    finally:
        store.close()


def wait_for_extraction(proc: subprocess.Popen[str], db: Path, graph: str, tid: str) -> int:
    """Poll until the running ingest has stored some extracted posts; their count."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert proc.poll() is None, (
            f"the ingest ended before it could be interrupted: {proc.communicate()}"
        )
        n = extracted(db, graph, tid)
        if n:
            return n
        time.sleep(0.02)
    raise AssertionError("the ingest extracted nothing within 240 s")


def shape(store: Store) -> dict[str, int]:
    """Node and relationship counts, and duplicates of anything keyed by id."""
    one = lambda q: store.run_read(q)[0]["n"]  # noqa: E731
    return {
        "posts": one("MATCH (p:Post) RETURN count(p) AS n"),
        "post_ids": one("MATCH (p:Post) RETURN count(DISTINCT p.id) AS n"),
        "claims": one("MATCH (c:Claim) RETURN count(c) AS n"),
        "claim_ids": one("MATCH (c:Claim) RETURN count(DISTINCT c.id) AS n"),
        "people": one("MATCH (u:Person) RETURN count(u) AS n"),
        "people_ids": one("MATCH (u:Person) RETURN count(DISTINCT u.id) AS n"),
        "makes": one("MATCH (:Post)-[r:MAKES]->(:Claim) RETURN count(r) AS n"),
        "wrote": one("MATCH (:Person)-[r:WROTE]->(:Post) RETURN count(r) AS n"),
        "contains": one("MATCH (:Thread)-[r:CONTAINS]->(:Post) RETURN count(r) AS n"),
        "replies": one("MATCH (:Post)-[r:REPLIES_TO]->(:Post) RETURN count(r) AS n"),
        "relations": one("MATCH (:Claim)-[r:REBUTS|SUPPORTS]->(:Claim) RETURN count(r) AS n"),
        "relation_pairs": one(
            "MATCH (a:Claim)-[r:REBUTS|SUPPORTS]->(b:Claim) "
            "RETURN count(DISTINCT a.id + '>' + b.id + ':' + type(r)) AS n"
        ),
        "unextracted": one(
            "MATCH (p:Post) WHERE p.extracted IS NULL AND NOT p.is_spam RETURN count(p) AS n"
        ),
    }


def assert_no_duplicates(s: dict[str, int]) -> None:
    assert s["posts"] == s["post_ids"] == s["wrote"] == s["contains"]
    assert s["claims"] == s["claim_ids"] == s["makes"]
    assert s["people"] == s["people_ids"]
    assert s["relations"] == s["relation_pairs"]
    assert s["unextracted"] == 0


def assert_same_export(got: dict, want: dict) -> None:
    """Equal exports; if not, say which rows differ (a whole-dict diff of thousands is unreadable)."""
    if got == want:
        return
    diff = {}
    for key in want:
        a = (
            {json.dumps(x, sort_keys=True) for x in got.get(key, [])}
            if isinstance(want[key], list)
            else set()
        )
        b = (
            {json.dumps(x, sort_keys=True) for x in want[key]}
            if isinstance(want[key], list)
            else set()
        )
        if a != b or got.get(key) != want[key]:
            diff[key] = {"only_got": sorted(a - b)[:3], "only_want": sorted(b - a)[:3]}
    raise AssertionError(f"exports differ: {json.dumps(diff, indent=1)[:4000]}")


def clean_export(db: Path, path: Path) -> dict:
    """The export of ``path`` ingested alone, uninterrupted, into a graph of its own."""
    store = open_store(str(db), f"clean_{uuid.uuid4().hex[:8]}")
    try:
        ingest(path, store, extractor="offline")
        return export_json(store)
    finally:
        store.clear()
        store.close()


def test_an_ingest_killed_half_way_resumes_to_the_clean_graph(
    falkordb_dir: Path, graph_name: str, threads: dict[int, Path]
) -> None:
    path = threads[11]
    tid = thread_id_of(path)
    proc = spawn_ingest(falkordb_dir, graph_name, path)
    try:
        wait_for_extraction(proc, falkordb_dir, graph_name, tid)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    store = open_store(str(falkordb_dir), graph_name)
    try:
        half = shape(store)
        assert half["posts"] == COMMENTS + 1  # posts are written before extraction starts
        assert half["unextracted"] > 0, "killed too late: nothing was left to resume"
        again = argmap(falkordb_dir, graph_name, "ingest", str(path), "--quiet")
        assert again.returncode == 0, again.stderr
        after = shape(store)
        assert_no_duplicates(after)
        assert_same_export(export_json(store), clean_export(falkordb_dir, path))
    finally:
        store.clear()
        store.close()


def thread_id_of(path: Path) -> str:
    return json.loads(path.with_name(path.stem + ".parents.json").read_text())["thread_id"]


def test_two_ingests_at_once_into_one_store_both_complete_intact(
    private_dir: Path, threads: dict[int, Path]
) -> None:
    # A fresh directory: both processes also race to start its server.
    a, b = threads[12], threads[13]
    procs = [spawn_ingest(private_dir, "shared", p) for p in (a, b)]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        assert " comments, " in out and " claims, " in out
    store = open_store(str(private_dir), "shared")
    try:
        assert_no_duplicates(shape(store))
        for path in (a, b):
            alone = clean_export(private_dir, path)
            assert_same_export(export_json(store, [thread_id_of(path)]), alone)
            assert len(alone["posts"]) == 601 and alone["claims"]
        assert len(export_json(store)["threads"]) == 2
    finally:
        store.close()


def test_processes_opening_a_new_graph_at_once_all_get_it(
    falkordb_dir: Path, graph_name: str
) -> None:
    # Each creates the schema it finds missing; all but one are told it exists by then. Ten
    # rounds of six processes, each round on a new graph, make the race likely every run.
    rounds, start = 10, time.time() + 3
    code = (
        "import sys, time; from argmap.graph.store import open_store\n"
        f"for k in range({rounds}):\n"
        f"    time.sleep(max(0, {start} + 0.3 * k - time.time()))\n"
        "    open_store(sys.argv[1], f'{sys.argv[2]}_{k}').close()\n"
        "print('ok')"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(falkordb_dir), graph_name],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    assert all(rc == 0 and out.strip() == "ok" for (out, _), rc in results), results
    for k in range(rounds):
        store = open_store(str(falkordb_dir), f"{graph_name}_{k}")
        try:
            indexed = store.run_read(
                "CALL db.indexes() YIELD label, properties RETURN label, properties"
            )
            assert {(r["label"], p) for r in indexed for p in r["properties"]} >= {
                ("Post", "id"),
                ("Claim", "id"),
                ("Person", "id"),
                ("Thread", "id"),
                ("Post", "text"),
            }
        finally:
            store.close()


def test_the_server_killed_under_an_ingest_is_one_line_and_the_next_command_restarts_it(
    private_dir: Path, threads: dict[int, Path], sample_path: Path, tmp_path: Path
) -> None:
    graph = "g"
    first = argmap(private_dir, graph, "ingest", str(sample_path), "--quiet")
    assert first.returncode == 0, first.stderr
    store = open_store(str(private_dir), graph)
    before = export_json(store)
    store.close()

    # Killed between commands: the next command starts a new server on the same data.
    os.kill(server_pid(private_dir), signal.SIGKILL)
    out = tmp_path / "after-kill.json"
    exported = argmap(private_dir, graph, "export", "--format", "json", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text()) == before

    # Killed while an ingest writes: one line saying what happened and what to do.
    path = threads[11]
    proc = spawn_ingest(private_dir, graph, path)
    try:
        wait_for_extraction(proc, private_dir, graph, thread_id_of(path))
        os.kill(server_pid(private_dir), signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("argmap: error: lost the embedded FalkorDB") and "re-run" in lines[0]

    # The next command restarts it: what was stored is intact, and the ingest resumes.
    again = argmap(private_dir, graph, "ingest", str(path), "--quiet")
    assert again.returncode == 0, again.stderr
    store = open_store(str(private_dir), graph)
    try:
        sample_tid = before["threads"][0]["id"]
        assert export_json(store, [sample_tid]) == before
        assert_no_duplicates(shape(store))
        assert_same_export(
            export_json(store, [thread_id_of(path)]), clean_export(private_dir, path)
        )
    finally:
        store.close()


def test_the_dashboard_says_when_its_server_died_and_recovers_on_the_next_run(
    private_dir: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """One line that tells a reader of the page what to do (reload it, not "re-run the
    command"), and the next run is the page as it was: the same threads chosen, not all."""
    from dashboard_pages import german_thread
    from streamlit.testing.v1 import AppTest

    graph = "dash"
    german = german_thread(tmp_path)
    assert argmap(private_dir, graph, "ingest", str(sample_path), "--quiet").returncode == 0
    assert argmap(private_dir, graph, "ingest", str(german), "--quiet").returncode == 0
    for key, value in _env(private_dir, graph).items():
        monkeypatch.setenv(key, value)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEO4J_URI"):
        monkeypatch.delenv(var, raising=False)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=180).run()
    picker = at.sidebar.multiselect(key="threads")
    picker.set_value([t for t in picker.options if t.startswith("Soll die")]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    chosen = at.sidebar.multiselect(key="threads").value
    assert len(chosen) == 1
    shown = " ".join(str(m.value) for m in at.get("metric"))
    assert at.title[0].value == "Soll die Stadtbibliothek schließen?"  # the chosen thread's
    os.kill(server_pid(private_dir), signal.SIGKILL)
    # Until its socket is dead, not 0.2 s: a loaded machine can take longer to end a killed
    # process, and a run before then would meet the dying server, not the lost one.
    deadline = time.monotonic() + 60
    while is_running(private_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_running(private_dir)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] and "lost the embedded FalkorDB" in at.error[0].value
    assert "reload the page" in at.error[0].value and "re-run" not in at.error[0].value
    at.run()  # the next run reopens the store, which restarts the server
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.sidebar.multiselect(key="threads").value == chosen
    assert at.title[0].value == "Soll die Stadtbibliothek schließen?"
    assert " ".join(str(m.value) for m in at.get("metric")) == shown
