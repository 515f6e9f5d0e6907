"""``argmap ingest --extractor llm`` on the bundled sample, as a user runs it: a separate process,
the real openai SDK, a local chat-completions server on a real socket, the real FalkorDB server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store, open_store
from argmap.ingest.sources import load_threads
from llm_server import ChatServer

ARGMAP = [sys.executable, "-m", "argmap"]


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


def ingest(sample: Path, base_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENAI_BASE_URL": base_url}
    return subprocess.run(
        [*ARGMAP, "ingest", str(sample), "--extractor", "llm", "-q", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def graph_store(falkordb_dir: Path) -> Store:
    return open_store(str(falkordb_dir), os.environ["ARGMAP_GRAPH"])


def test_sample_ingests_and_a_rerun_makes_no_request(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int
) -> None:
    first = ingest(sample_path, server.base_url, "--concurrency", "8")
    assert first.returncode == 0, first.stderr
    assert "extractor: llm/gpt-4o-mini" in first.stdout and "tokens" in first.stdout
    assert len(server.requests) == sample_todo
    assert server.max_in_flight <= 8
    store = graph_store(llm_env)
    try:
        claims = store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) RETURN p.text AS text, c.quote AS quote, "
            "c.start AS start, c.end AS end, c.model AS model, c.prompt_version AS pv"
        )
        assert claims
        assert all(c["text"][c["start"] : c["end"]] == c["quote"] for c in claims)
        assert {(c["model"], c["pv"]) for c in claims} == {("gpt-4o-mini", "extract.v2")}
        rels = store.run_read("MATCH (:Claim)-[r:REBUTS|SUPPORTS]->(:Claim) RETURN count(r) AS n")
        assert rels[0]["n"] > 0
    finally:
        store.close()

    again = ingest(sample_path, server.base_url, "--concurrency", "8")
    assert again.returncode == 0, again.stderr
    assert len(server.requests) == sample_todo  # nothing pending: nothing asked

    # A fresh graph re-extracts every post, from the answer cache.
    os.environ["ARGMAP_GRAPH"] = os.environ["ARGMAP_GRAPH"] + "_b"
    try:
        fresh = ingest(sample_path, server.base_url)
        assert fresh.returncode == 0, fresh.stderr
        assert f"{sample_todo} answers from the LLM cache" in fresh.stdout
        assert len(server.requests) == sample_todo
    finally:
        graph_store(llm_env).clear()


def test_server_down_fails_cleanly_and_a_later_run_completes(
    llm_env: Path, sample_path: Path, sample_todo: int
) -> None:
    with ChatServer() as gone:
        dead_url = gone.base_url  # nothing listens there once it is stopped
    down = ingest(sample_path, dead_url)
    assert down.returncode != 0
    assert "Traceback" not in down.stderr
    lines = down.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{sample_todo} of {sample_todo} posts not extracted; re-run to retry" in lines[0]
    assert "cannot reach the LLM endpoint" in lines[0]
    store = graph_store(llm_env)
    try:
        posts = store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]
        assert posts == len(load_threads(sample_path)[0].posts)  # the thread was stored first
    finally:
        store.close()

    with ChatServer() as back:
        later = ingest(sample_path, back.base_url)
        assert later.returncode == 0, later.stderr
        assert len(back.requests) == sample_todo


def test_max_cost_stops_cleanly_and_the_rest_follows_later(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int
) -> None:
    capped = ingest(sample_path, server.base_url, "--max-cost", "0.01", "--concurrency", "2")
    assert capped.returncode != 0 and "Traceback" not in capped.stderr
    assert "max-cost" in capped.stderr and "re-run to retry" in capped.stderr
    spent = len(server.requests)
    assert 0 < spent < sample_todo
    cost = float(capped.stdout.split("$")[-1].split()[0])
    assert cost <= 0.01

    rest = ingest(sample_path, server.base_url)
    assert rest.returncode == 0, rest.stderr
    assert len(server.requests) == sample_todo  # each post asked once over both runs


def test_dry_run_sends_and_writes_nothing(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int
) -> None:
    dry = ingest(sample_path, server.base_url, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert f"{sample_todo} requests" in dry.stdout and "$" in dry.stdout
    assert server.requests == []
    store = graph_store(llm_env)
    try:
        assert store.run_read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    finally:
        store.close()


def test_ctrl_c_stops_an_llm_ingest_with_requests_in_flight(
    llm_env: Path, server: ChatServer, sample_path: Path
) -> None:
    import signal
    import time

    server.latency = 120.0  # every answer hangs: requests stay in flight
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url, "ARGMAP_LLM_TIMEOUT": "60"}
    proc = subprocess.Popen(
        [*ARGMAP, "ingest", str(sample_path), "--extractor", "llm", "-q", "--concurrency", "4"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):  # until the first requests reach the server
            if server.requests:
                break
            time.sleep(0.1)
        assert server.requests, "no request reached the server"
        proc.send_signal(signal.SIGINT)
        # Without the fix the process waits out every request in flight (minutes).
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1] == (
        "argmap: error: interrupted; what was written is kept, re-run to resume"
    )
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("signum", "said"),
    [
        pytest.param(15, "stopped by SIGTERM", id="SIGTERM"),
        pytest.param(1, "stopped: the terminal closed (SIGHUP)", id="SIGHUP"),
    ],
)
def test_sigterm_or_sighup_stops_an_llm_ingest_in_flight_and_the_rerun_pays_once_per_answer(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int, signum: int, said: str
) -> None:
    server.latency = 0.2  # four requests always in flight
    env = {**os.environ, "OPENAI_BASE_URL": server.base_url}
    proc = subprocess.Popen(
        [*ARGMAP, "ingest", str(sample_path), "--extractor", "llm", "-q", "--concurrency", "4"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while proc.poll() is None and len(server.answered()) < 6:
            time.sleep(0.01)
        assert proc.poll() is None, "the ingest ended before it was stopped"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum, err
    assert err.strip().splitlines()[-1] == (
        f"argmap: error: {said}; what was written is kept, re-run to resume"
    )
    first = {r.post_text for r in server.answered()}
    assert len(first) < sample_todo, "stopped too late: nothing was left to resume"
    asked_before = len(server.requests)
    rest = ingest(sample_path, server.base_url, "--concurrency", "4")
    assert rest.returncode == 0, rest.stderr
    again = [r.post_text for r in server.requests[asked_before:] if r.post_text in first]
    # Only answers still on their way in (at most one per request in flight) are asked again.
    assert len(again) <= 4, again
