"""Switching extractors on a thread already in the store: the LLM after the offline demo.

A user who ran `argmap demo` (offline) and then set OPENAI_API_KEY expects the next ingest to use
the model. It keeps what is stored (re-running never redoes paid work), so it must say so and
name the option that redoes it, and `--dry-run` must estimate what the real run would send."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store
from llm_server import ChatServer

THREAD = """id,author,posted_at,parent_id,text,title
p1,Council Office,2024-05-02T09:00:00Z,,"The library will close on Sundays to save money.",Library Sunday closing
c1,Ines,2024-05-02T09:30:00Z,,"Closing on Sunday hurts working parents most, since it is their only free day.",
c2,Tomas,2024-05-02T09:50:00Z,c1,"Weekday evenings would serve working parents just as well as Sundays do.",
c3,Ines,2024-05-02T10:10:00Z,c2,"Evening hours end at seven, before most shifts end, so they would not.",
"""


@pytest.fixture
def thread_file(tmp_path: Path) -> Path:
    path = tmp_path / "library.csv"
    path.write_text(THREAD, encoding="utf-8")
    return path


def argmap(*args: str, base_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ARGMAP_LLM_CACHE": "off"}
    if base_url:
        env["OPENAI_BASE_URL"] = base_url
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def extractors(store: Store) -> set[str]:
    rows = store.run_read("MATCH (c:Claim) RETURN DISTINCT c.extractor AS e")
    return {r["e"] for r in rows}


def test_an_llm_run_after_the_offline_one_says_what_it_kept_and_how_to_redo_it(
    argmap_env: Path, store: Store, server: ChatServer, thread_file: Path
) -> None:
    offline = argmap("ingest", str(thread_file), "-e", "offline", "-q")
    assert offline.returncode == 0, offline.stderr
    assert extractors(store) == {"offline"}

    dry = argmap("ingest", str(thread_file), "-e", "llm", "--dry-run", base_url=server.base_url)
    assert dry.returncode == 0, dry.stderr
    assert "0 requests" in dry.stdout
    assert (
        "argmap: note: 4 posts kept the extraction of an earlier run (offline); "
        "add --re-extract to extract them again with llm" in dry.stderr
    )

    kept = argmap("ingest", str(thread_file), "-e", "llm", "-q", base_url=server.base_url)
    assert kept.returncode == 0, kept.stderr
    assert server.requests == []  # nothing was sent: what is stored stays
    assert "4 posts kept the extraction of an earlier run (offline)" in kept.stderr
    assert extractors(store) == {"offline"}

    # --dry-run --re-extract estimates what the re-extraction will send (was: 0 requests).
    dry = argmap(
        "ingest",
        str(thread_file),
        "-e",
        "llm",
        "--dry-run",
        "--re-extract",
        base_url=server.base_url,
    )
    assert dry.returncode == 0, dry.stderr
    assert "dry run [gpt-4o-mini]: 4 requests" in dry.stdout
    assert "kept" not in dry.stderr

    redo = argmap(
        "ingest", str(thread_file), "-e", "llm", "-q", "--re-extract", base_url=server.base_url
    )
    assert redo.returncode == 0, redo.stderr
    assert len(server.requests) == 4
    assert "kept" not in redo.stderr
    assert extractors(store) == {"llm"}


def test_a_rerun_with_the_same_extractor_has_nothing_to_say(
    argmap_env: Path, store: Store, thread_file: Path
) -> None:
    for _ in range(2):
        done = argmap("ingest", str(thread_file), "-e", "offline", "-q")
        assert done.returncode == 0, done.stderr
        assert "note" not in done.stderr
