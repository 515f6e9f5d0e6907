"""Commands that only look — an LLM dry run, the review and eval commands — create no store and
no graph for a name that does not exist; they say what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from argmap.graph.servers import graph_sizes
from argmap.graph.store import Store
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()


def test_a_dry_run_creates_no_store_and_no_graph(
    tmp_path: Path, sample_path: Path, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGMAP_GRAPH", raising=False)
    fresh = tmp_path / "never"
    result = runner.invoke(app, ["ingest", str(sample_path), "--dry-run", "--db", str(fresh)])
    assert result.exit_code == 0, result.output
    assert "requests" in result.stdout and not fresh.exists()
    target = Path(sample_store.target)
    args = ["ingest", str(sample_path), "--dry-run", "--db", str(target), "--graph", "dry1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "dry1" not in graph_sizes(target)


@pytest.mark.parametrize(
    "command",
    [["review", "history", "c_nope"], ["review", "list"], ["eval", "--against-reviews"]],
)
def test_review_and_eval_name_a_missing_graph_and_create_none(
    sample_store: Store, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGMAP_GRAPH", raising=False)
    target = Path(sample_store.target)
    result = runner.invoke(app, [*command, "--db", str(target), "--graph", "tyop"])
    assert result.exit_code == 1
    assert "no graph 'tyop'" in result.stderr
    assert "tyop" not in graph_sizes(target)


def test_an_ingest_that_fails_before_writing_leaves_no_graph_behind(
    tmp_path: Path, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ARGMAP_GRAPH", raising=False)
    target = Path(sample_store.target)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["ingest", str(empty), "--db", str(target), "--graph", "bad3"])
    assert result.exit_code == 1 and "the file is empty" in result.stderr
    assert "bad3" not in graph_sizes(target)
    # A graph that holds threads stays whatever fails.
    args = ["ingest", str(empty), "--db", str(target), "--graph", sample_store.graph_name]
    assert runner.invoke(app, args).exit_code == 1
    assert graph_sizes(target)[sample_store.graph_name] > 0
