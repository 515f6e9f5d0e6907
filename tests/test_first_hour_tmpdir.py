"""A mistyped ``TMPDIR`` (a folder that does not exist, a file) through the real ``argmap``: the
commands that write a temporary file (``ingest URL``, ``export`` to stdout) still run, in the
folder Python's ``tempfile`` falls back to, and say so in one note naming TMPDIR and that
folder. Was: silent, the user's TMPDIR passed over without a word."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from source_server import serve_fixtures

ARGMAP = shutil.which("argmap")
HN_THREAD = "/api/v1/items/40100000"
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ADVICE = "instead (set TMPDIR to a writable folder, or unset it)"


@pytest.fixture
def server() -> Iterator[str]:
    with serve_fixtures() as url:
        yield url


def argmap(*args: str, tmpdir: Path) -> subprocess.CompletedProcess[str]:
    assert ARGMAP, "the argmap command is not installed in this environment"
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    return subprocess.run([ARGMAP, *args], env=env, capture_output=True, text=True, timeout=300)


def the_note(stderr: str, tmpdir: Path, why: str) -> Path:
    """The one note's folder the files went to instead, after checking the rest of its line."""
    (line,) = [line for line in stderr.splitlines() if "TMPDIR" in line]
    start = f"argmap: note: TMPDIR={tmpdir} cannot take a temporary file ({why}); "
    assert line.startswith(start + "temporary files go to ") and line.endswith(ADVICE), line
    instead = Path(line.removeprefix(start + "temporary files go to ").removesuffix(" " + ADVICE))
    assert instead.is_dir() and instead != tmpdir
    return instead


def posts(store: Store) -> int:
    return store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]


@pytest.mark.parametrize("kind", ["missing", "a-file"])
def test_a_url_ingest_with_a_mistyped_tmpdir_goes_in_and_says_where_it_wrote(
    argmap_env: Path, store: Store, server: str, tmp_path: Path, kind: str
) -> None:
    tmpdir = tmp_path / "tpm"  # the typo: the folder is tmp/
    if kind == "a-file":
        tmpdir.write_text("not a folder\n")
    result = argmap("ingest", f"{server}{HN_THREAD}", "-e", "offline", "-q", tmpdir=tmpdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 article, 6 comments, 7 claims")
    the_note(
        result.stderr,
        tmpdir,
        "No such file or directory" if kind == "missing" else "Not a directory",
    )
    assert posts(store) == 7


def test_a_usable_tmpdir_or_a_command_without_temporary_files_says_nothing_of_it(
    argmap_env: Path, store: Store, server: str, tmp_path: Path
) -> None:
    fine = argmap("ingest", f"{server}{HN_THREAD}", "-e", "offline", "-q", tmpdir=tmp_path)
    assert fine.returncode == 0 and "TMPDIR" not in fine.stderr, fine.stderr
    # A file is read where it is: no temporary file, so no word of TMPDIR either.
    local = argmap("ingest", str(FIXTURES / "comments.csv"), "-q", tmpdir=tmp_path / "nope")
    assert local.returncode == 0 and "TMPDIR" not in local.stderr, local.stderr


def test_an_export_to_stdout_with_a_mistyped_tmpdir_is_whole_and_says_where_it_was_made(
    argmap_env: Path, store: Store, tmp_path: Path
) -> None:
    assert argmap("ingest", str(FIXTURES / "comments.csv"), "-q", tmpdir=tmp_path).returncode == 0
    tmpdir = tmp_path / "nope"
    result = argmap("export", "-f", "json", tmpdir=tmpdir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts"]
    the_note(result.stderr, tmpdir, "No such file or directory")
