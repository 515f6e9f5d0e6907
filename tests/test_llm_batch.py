"""``argmap ingest --batch`` through the real openai SDK to the local server's Files and Batches
endpoints: submission, polling, collection, level-by-level rounds, a failed and an expired batch
(their posts go into the next round), and ``argmap batch status|collect``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.graph.writes import extracted_claims
from argmap.ingest.batch import ingest_batch
from argmap.ingest.sources import load_threads
from llm_server import ChatServer

from argmap.core.config import LLMConfig

SOURCES = Path(__file__).parent / "fixtures" / "sources"
TREE = SOURCES / "comments.csv"  # parent ids given: depth 3 below the article


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with ChatServer() as s:
        yield s


def config(server: ChatServer, tmp_path: Path) -> LLMConfig:
    return LLMConfig(
        base_url=server.base_url,
        max_retries=0,
        cache_path=tmp_path / "cache.sqlite3",
        batch_path=tmp_path / "batches.sqlite3",
    )


def test_rounds_follow_the_tree_and_collect_into_the_store(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    (thread,) = load_threads(TREE)
    llm = config(server, tmp_path)
    first = ingest_batch(TREE, store, llm)
    assert first.submitted == ["batch_1"] and "round 1, 1 posts" in first.lines[-1]
    assert "about 3 more rounds" in first.lines[-1]  # article, then three levels of replies
    assert ("POST", "/v1/files") in server.batches.calls
    assert server.batches.files["file-1"]["purpose"] == "batch"
    assert server.batches.batches["batch_1"]["endpoint"] == "/v1/chat/completions"
    assert server.requests == []  # nothing answered online

    waiting = ingest_batch(TREE, store, llm)
    assert waiting.running == ["batch_1"] and "in_progress" in waiting.lines[0]
    assert waiting.submitted == []  # one round at a time

    rounds = 1
    for _ in range(10):
        report = ingest_batch(TREE, store, llm)
        rounds += len(report.submitted)
        if any("every post is extracted" in line for line in report.lines):
            break
    assert rounds == 4
    assert set(extracted_claims(store, thread.id)) == {p.id for p in thread.posts}
    assert len(server.requests) == len(thread.posts)  # each post answered once, in a batch
    # Replies were sent in a later round than their parents.
    round_of = {}
    for bid, lines in server.batches.lines.items():
        for line in lines:
            round_of[line["custom_id"]] = int(bid.split("_")[1])
    for post in thread.comments:
        parent = (
            next(p for p in thread.posts if p.id == post.parent_id)
            if post.parent_id
            else thread.article
        )
        assert round_of[f"post-{post.position}"] > round_of[f"post-{parent.position}"]


def test_each_run_sums_up_the_store_as_it_is_and_what_this_run_did(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    (thread,) = load_threads(TREE)
    genuine = sum(not p.is_spam for p in thread.posts)
    llm = config(server, tmp_path)
    ingest_batch(TREE, store, llm)  # submits the article
    waiting = ingest_batch(TREE, store, llm).summary
    # Nothing extracted yet, and none of it "left by an earlier run".
    assert (waiting.to_extract, waiting.extracted_now, waiting.claims) == (genuine, 0, 0)

    collected = ingest_batch(TREE, store, llm).summary  # the article's answer, then round 2
    stored = store.run_read("MATCH (c:Claim) RETURN count(c) AS n")[0]["n"]
    assert stored > 0
    assert (collected.to_extract, collected.extracted_now, collected.claims) == (genuine, 1, stored)

    again = ingest_batch(TREE, store, llm).summary  # round 2 still running: the store as it is
    assert (again.to_extract, again.extracted_now, again.claims) == (genuine - 1, 0, stored)


def test_failed_and_expired_batches_resubmit_what_they_did_not_answer(
    server: ChatServer, store: Store, tmp_path: Path
) -> None:
    source = SOURCES / "comments_flat.csv"
    (thread,) = load_threads(source)
    llm = config(server, tmp_path)
    server.batches.polls = 0  # each batch is finished at its first retrieve
    server.batches.outcomes = ["failed"]
    ingest_batch(source, store, llm)  # round 1: the article
    failed = ingest_batch(source, store, llm)
    assert "batch_1 (round 1, failed): 0 posts extracted, 1 not" in failed.lines[0]
    assert "not valid" in failed.lines[0]
    assert failed.submitted == ["batch_2"]  # the article again, in a new round
    assert extracted_claims(store, thread.id) == {}

    ingest_batch(source, store, llm)  # collects the article, submits the comments it frees
    comments = server.batches.lines[f"batch_{len(server.batches.batches)}"]
    assert len(comments) >= 1
    server.batches.outcomes = ["expired"]
    more = ingest_batch(source, store, llm)
    for _ in range(10):
        if any("every post is extracted" in line for line in more.lines):
            break
        more = ingest_batch(source, store, llm)
    assert set(extracted_claims(store, thread.id)) == {p.id for p in thread.posts}
    expired = [b for b in server.batches.batches.values() if b["status"] == "expired"]
    assert expired and expired[0]["request_counts"]["failed"] >= 1


def test_cli_batch_status_and_collect(server: ChatServer, argmap_env: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": server.base_url,
        "ARGMAP_LLM_CACHE": str(tmp_path / "c.sqlite3"),
        "ARGMAP_LLM_BATCHES": str(tmp_path / "b.sqlite3"),
    }

    def argmap(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "argmap", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    sent = argmap("ingest", str(TREE), "-e", "llm", "--batch")
    assert sent.returncode == 0, sent.stderr
    assert "submitted batch batch_1: round 1" in sent.stdout
    status = argmap("batch", "status", "batch_1")
    assert status.returncode == 0 and "batch batch_1: in_progress, 0 of 1" in status.stdout
    got = argmap("batch", "collect", "batch_1")
    assert got.returncode == 0, got.stderr
    assert "collected batch batch_1 (round 1, completed): 1 posts extracted" in got.stdout
    assert f"argmap ingest {TREE} --batch" in got.stdout
    missing = argmap("batch", "collect", "batch_404")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert "was not submitted" in missing.stderr
