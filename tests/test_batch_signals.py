"""``argmap ingest --batch`` stopped by a signal while it submits a batch or polls one: one line,
128 + the signal, and the next run carries on with the SAME batch. A batch is paid for when it
runs: one submitted twice costs twice. Each test runs the real CLI as a process against the local
OpenAI-compatible server (its Files and Batches endpoints), which holds its answer back so the
signal lands exactly while the SDK waits for it, the server having done what it was asked."""

from __future__ import annotations

import json
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from llm_server import ChatServer
from test_llm_batch import TREE
from test_robustness import ARGMAP, ROOT, _env
from test_signals import STOPS, assert_one_line, start, stop_when

SIGNALS = [pytest.param(signal.SIGINT, "interrupted", id="SIGINT"), *STOPS]


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


@pytest.fixture
def env(server: ChatServer, falkordb_dir: Path, graph_name: str, tmp_path: Path) -> dict[str, str]:
    return {
        **_env(falkordb_dir, graph_name),
        "OPENAI_BASE_URL": server.base_url,
        "ARGMAP_LLM_CACHE": str(tmp_path / "cache.sqlite3"),
        "ARGMAP_LLM_BATCHES": str(tmp_path / "batches.sqlite3"),
        "ARGMAP_LLM_MAX_RETRIES": "0",
    }


def ingest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ARGMAP, "ingest", str(TREE), "-e", "llm", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def stopped_while_held(server: ChatServer, env: dict[str, str], hold: str, signum: int) -> str:
    """Run the batch ingest, stop it while the server holds back its answer to ``hold``; stderr."""
    server.batches.hold = hold
    proc = start(["ingest", str(TREE), "-e", "llm", "--batch"], env, stdout=subprocess.PIPE)
    try:
        out, err = stop_when(proc, server.batches.held.is_set, signum)
    finally:
        server.batches.release.set()
    assert proc.returncode == 128 + signum, err
    assert out == ""  # not "submitted batch ...": the user was not told of one
    return err


@pytest.mark.parametrize(("signum", "said"), SIGNALS)
def test_stopped_while_the_batch_is_submitted_the_rerun_takes_up_that_batch(
    server: ChatServer, env: dict[str, str], store: Store, signum: int, said: str
) -> None:
    err = stopped_while_held(server, env, "create", signum)
    assert_one_line(err, said)
    assert list(server.batches.batches) == ["batch_1"]  # the API made it; argmap never heard

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert (
        "found batch batch_1 of round 1, submitted by an earlier run that did not hear back"
        in again.stdout
    )
    assert "batch batch_1 (round 1) is in_progress" in again.stdout
    assert list(server.batches.batches) == ["batch_1"]  # not submitted (and paid for) twice
    assert uploads(server) == 1

    collected = ingest(env)
    assert "collected batch batch_1 (round 1, completed): 1 posts extracted" in collected.stdout
    assert "submitted batch batch_2: round 2" in collected.stdout  # the next round, as usual


@pytest.mark.parametrize(("signum", "said"), SIGNALS)
def test_stopped_while_polling_the_rerun_collects_the_same_batch(
    server: ChatServer, env: dict[str, str], store: Store, signum: int, said: str
) -> None:
    first = ingest(env)
    assert "submitted batch batch_1: round 1" in first.stdout, first.stderr
    err = stopped_while_held(server, env, "retrieve", signum)
    assert_one_line(err, said)

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert "collected batch batch_1 (round 1, completed): 1 posts extracted" in again.stdout
    assert list(server.batches.batches) == ["batch_1", "batch_2"]  # batch_2: round 2
    assert len(server.batches.lines["batch_2"]) == 2  # the article's two replies, not the article


@pytest.mark.parametrize(("signum", "said"), SIGNALS[:1])
def test_a_batch_found_finished_after_a_stopped_submission_is_collected_by_the_same_run(
    server: ChatServer, env: dict[str, str], store: Store, signum: int, said: str
) -> None:
    server.batches.polls = 0  # finished at its first retrieve
    assert_one_line(stopped_while_held(server, env, "create", signum), said)
    with urllib.request.urlopen(f"{server.base_url}/batches/batch_1") as answer:  # a day later
        assert json.load(answer)["status"] == "completed"

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert "found batch batch_1 of round 1" in again.stdout
    assert "collected batch batch_1 (round 1, completed): 1 posts extracted" in again.stdout
    assert len(server.batches.lines["batch_2"]) == 2  # round 2: the replies, not the article again


def uploads(server: ChatServer) -> int:
    return server.batches.calls.count(("POST", "/v1/files"))


def test_a_round_whose_batch_the_api_never_made_is_submitted_from_the_file_already_uploaded(
    server: ChatServer, env: dict[str, str], store: Store
) -> None:
    server.batches.drop = "create"  # the connection dies before the API made the batch
    failed = ingest(env)
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "the Batch API call failed" in failed.stderr
    assert (server.batches.batches, uploads(server)) == ({}, 1)

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert (
        "submitted batch batch_1 of round 1 from the file an earlier run uploaded" in again.stdout
    )
    assert uploads(server) == 1  # the same file: nothing uploaded twice
    assert server.batches.batches["batch_1"]["input_file_id"] == "file-1"


@pytest.mark.parametrize(("signum", "said"), SIGNALS[:1])
def test_stopped_during_the_upload_the_rerun_submits_from_that_file_and_leaves_none_unused(
    server: ChatServer, env: dict[str, str], store: Store, signum: int, said: str
) -> None:
    assert_one_line(stopped_while_held(server, env, "upload", signum), said)
    assert (list(server.batches.files), server.batches.batches) == (["file-1"], {})

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert (
        "submitted batch batch_1 of round 1 from the file an earlier run uploaded" in again.stdout
    )
    assert uploads(server) == 1  # the file already there: no second one left unused
    assert server.batches.batches["batch_1"]["input_file_id"] == "file-1"
    collected = ingest(env)
    assert "collected batch batch_1 (round 1, completed): 1 posts extracted" in collected.stdout


def test_an_upload_the_api_never_took_is_dropped_and_its_posts_go_again(
    server: ChatServer, env: dict[str, str], store: Store
) -> None:
    server.batches.drop = "upload"  # the connection dies before the API kept the file
    failed = ingest(env)
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "the Batch API call failed" in failed.stderr
    assert server.batches.files == {}

    again = ingest(env)
    assert again.returncode == 0, again.stderr
    assert (
        "round 1, stopped while its requests were uploaded, never reached the API" in again.stdout
    )
    assert "submitted batch batch_1: round 1" in again.stdout
    assert list(server.batches.files) == ["file-1"]
