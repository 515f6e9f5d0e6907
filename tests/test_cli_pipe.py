"""A reader that leaves early (``argmap threads | head -1``, a pager closed at once): every
command stops quietly with the shell's broken-pipe code 141, whether the words were printed by
argmap itself or by rich's tables, and never with a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store
from conftest import SAMPLE_GRAPH

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "args",
    [
        ("threads",),  # a rich table
        ("query", "theses"),  # a rich table
        ("query", "theses", "--json"),  # plain print
        ("export", "-f", "json", "-o", "-"),  # plain write
    ],
    ids=" ".join,
)
def test_a_reader_that_left_gets_141_and_no_words(sample_store: Store, args: tuple[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "OPENAI_API_KEY")}
    env.update(ARGMAP_DB=sample_store.target, ARGMAP_GRAPH=SAMPLE_GRAPH, COLUMNS="120")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first word: every write breaks the pipe
    try:
        done = subprocess.run(
            [sys.executable, "-m", "argmap", *args],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=180,
            cwd=ROOT,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_reader_that_leaves_part_way_through_an_export_gets_141(sample_store: Store) -> None:
    """`argmap export -f json | head -c 10`: the sample's export (about 600 kB) is far more than a
    pipe holds, so the reader leaves while it is being written. Was: exit 0, as if all went."""
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "OPENAI_API_KEY")}
    env.update(ARGMAP_DB=sample_store.target, ARGMAP_GRAPH=SAMPLE_GRAPH)
    proc = subprocess.Popen(
        [sys.executable, "-m", "argmap", "export", "-f", "json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = os.read(proc.stdout.fileno(), 10)  # what `head -c 10` takes before it leaves
        proc.stdout.close()
        said = proc.stderr.read()
        assert proc.wait(timeout=180) == 141
    finally:
        proc.kill()
        proc.wait()
    assert first.startswith(b"{") and said == b""
