"""The From Python examples (docs/python.md, moved there from the README, and the README's short
section) run as printed, in a fresh Python process as a notebook kernel would: no error, nothing
on stderr, and each `print(...)  # expected` prints what its comment says. A scholar copies
these first; a renamed function must not leave them behind."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.embedded_stop import stop_server

ROOT = Path(__file__).resolve().parent.parent
PYTHON_PAGE = ROOT / "docs" / "python.md"
# The README's short From Python section shows the imports; the page has the worked example.
SECTIONS = [(ROOT / "README.md", "\n## From Python\n"), (PYTHON_PAGE, "# From Python\n")]


def from_python_blocks(page: Path = PYTHON_PAGE) -> list[str]:
    """The ```python blocks of ``page``'s From Python section."""
    heading = dict(SECTIONS)[page]
    text = page.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
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


@pytest.mark.parametrize("block", [b for page, _ in SECTIONS for b in from_python_blocks(page)])
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
