"""``argmap ingest`` with the new sources: a file with "load more" gaps, a URL, a URL that fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from source_server import serve_fixtures
from typer.testing import CliRunner

from argmap.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
runner = CliRunner()


@pytest.fixture
def server() -> Iterator[str]:
    with serve_fixtures() as url:
        yield url


def test_ingest_reddit_file_warns_on_stderr_about_missing_comments(
    argmap_env: Path, store: Store
) -> None:
    result = runner.invoke(
        app, ["ingest", str(FIXTURES / "reddit_thread.json"), "-e", "offline", "-q"]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "not in the file" in line]
    assert len(warnings) == 1 and "16 comments were not in the file" in warnings[0]
    assert result.stdout.startswith(
        "1 article, 6 comments (2 spam left out), 9 claims, 1 relation "
    )


def test_ingest_a_url(argmap_env: Path, store: Store, server: str) -> None:
    result = runner.invoke(
        app, ["ingest", f"{server}/api/v1/items/40100000", "-e", "offline", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 article, 6 comments, 7 claims, 1 relation ")


def test_ingest_a_url_that_fails_is_one_line(argmap_env: Path, server: str) -> None:
    result = runner.invoke(app, ["ingest", f"{server}/gone", "-q"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0] == (
        f"argmap: error: {server}/gone: the server answered HTTP 404 Not Found; "
        "check the address, or save the page and ingest the file"
    )


def test_a_dash_for_standard_input_says_argmap_does_not_read_it(
    argmap_env: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: "-: no such file; check the path", after ``cat thread.csv | argmap ingest -``."""
    monkeypatch.chdir(tmp_path)  # no file named "-" here
    result = runner.invoke(app, ["ingest", "-", "-e", "offline"], input="id,author,text\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "argmap: error: -: argmap does not read standard input; save the thread to a file and "
        "give its path"
    ]
