"""The README's From Python examples run as printed, in a fresh Python process as a notebook
kernel would: no error, nothing on stderr, and each `print(...)  # expected` prints what its
comment says. A scholar copies these first; a renamed function must not leave them behind."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.embedded_stop import stop_server

README = Path(__file__).resolve().parent.parent / "README.md"


def from_python_blocks() -> list[str]:
    """The ```python blocks of the README's From Python section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```python\n(.*?)^```", section, flags=re.S | re.M)


def expected_prints(block: str) -> list[str]:
    """What each `print(...)  # TEXT` line of ``block`` says it prints."""
    return [m.group(1) for m in re.finditer(r"^\s*print\(.*\)  # (.+)$", block, flags=re.M)]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Where the example runs: its relative `argmap-data` and `exports/` land here."""
    yield tmp_path
    stop_server(tmp_path / "argmap-data")


def test_the_section_has_a_worked_example() -> None:
    blocks = from_python_blocks()
    assert blocks and all(expected_prints(b) for b in blocks)


@pytest.mark.parametrize("block", from_python_blocks())
def test_a_from_python_example_runs_and_prints_what_it_says(block: str, folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", block], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # the library says nothing of its own
    printed = done.stdout.splitlines()
    assert printed == expected_prints(block)
    for picture in re.findall(r'"(exports/[^"]+\.png)"', block):
        assert (folder / picture).read_bytes().startswith(b"\x89PNG")
