"""``argmap ingest --dry-run`` after a run: it quotes only what a real run would still pay for.

A post the answer cache holds an answer for costs nothing, and a post an earlier run extracted
into the store is not asked about again; the dry run counts both, says so, and its request count
is what the next real run then sends. The CLI as a separate process, the real openai SDK to the
local chat-completions server, the real FalkorDB server.
"""

from __future__ import annotations

import os
from pathlib import Path

from llm_server import ChatServer
from test_llm_cli import graph_store, ingest


def test_after_a_run_every_post_is_answered_from_the_cache(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int
) -> None:
    first = ingest(sample_path, server.base_url)
    assert first.returncode == 0, first.stderr
    assert len(server.requests) == sample_todo

    # Extracting again (--re-extract) would take every answer from the cache: $0.
    again = ingest(sample_path, server.base_url, "--re-extract", "--dry-run")
    assert again.returncode == 0, again.stderr
    assert (
        f"{sample_todo} of {sample_todo} posts to extract answered from the cache; "
        "0 requests, $0; nothing was sent or written"
    ) in again.stdout

    # So would an ingest into another graph (same data directory, same cache).
    os.environ["ARGMAP_GRAPH"] = os.environ["ARGMAP_GRAPH"] + "_b"
    try:
        fresh = ingest(sample_path, server.base_url, "--dry-run")
        assert fresh.returncode == 0, fresh.stderr
        assert f"{sample_todo} of {sample_todo} posts to extract answered" in fresh.stdout
        assert "0 requests, $0;" in fresh.stdout
    finally:
        graph_store(llm_env).clear()
    assert len(server.requests) == sample_todo  # the dry runs sent nothing


def test_after_a_partial_run_only_the_rest_is_counted(
    llm_env: Path, server: ChatServer, sample_path: Path, sample_todo: int
) -> None:
    capped = ingest(sample_path, server.base_url, "--max-cost", "0.01", "--concurrency", "2")
    assert capped.returncode != 0 and "max-cost" in capped.stderr
    asked = len(server.requests)
    assert 0 < asked < sample_todo
    rest = sample_todo - asked

    # Resuming: the posts in the store are kept, the rest is asked about.
    resume = ingest(sample_path, server.base_url, "--dry-run")
    assert resume.returncode == 0, resume.stderr
    assert f"{asked} posts extracted by an earlier run, kept; {rest} requests," in resume.stdout

    # Extracting again: the answers the capped run paid for come from the cache.
    redo = ingest(sample_path, server.base_url, "--re-extract", "--dry-run")
    assert redo.returncode == 0, redo.stderr
    assert (
        f"{asked} of {sample_todo} posts to extract answered from the cache; {rest} requests,"
    ) in redo.stdout
    assert "about $" in redo.stdout
    assert len(server.requests) == asked  # the dry runs sent nothing

    # And a real run does just that: the cached answers free, the rest asked once each.
    real = ingest(sample_path, server.base_url, "--re-extract")
    assert real.returncode == 0, real.stderr
    assert f"{asked} answers from the LLM cache" in real.stdout
    assert len(server.requests) == sample_todo


def test_a_cache_that_cannot_be_read_is_one_line_as_for_a_run(
    llm_env: Path, server: ChatServer, sample_path: Path
) -> None:
    cache = Path(os.environ["ARGMAP_LLM_CACHE"])
    cache.write_bytes(b"not a database, " * 100)
    for args in (["--dry-run"], []):
        broken = ingest(sample_path, server.base_url, *args)
        assert broken.returncode == 1
        [line] = broken.stderr.strip().splitlines()
        assert f"LLM answer cache {cache}: file is not a database; move it aside" in line, line
    assert cache.read_bytes() == b"not a database, " * 100
    assert server.requests == []
