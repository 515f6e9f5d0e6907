"""Settings a user can get wrong: each is one line naming the variable, before anything runs,
and an empty value means the default rather than the working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.settings import Settings, default_data_dir, default_state_dir

runner = CliRunner()


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        (
            "ARGMAP_DB",
            "http://example.org/x",
            "give a directory (the embedded store) or a Neo4j URI",
        ),
        ("ARGMAP_GRAPH", "  ", "give a graph name"),
        ("ARGMAP_LLM_TIMEOUT", "0", "greater than 0"),
        ("ARGMAP_LLM_TIMEOUT", "-5", "greater than 0"),
        ("ARGMAP_CONNECT_TIMEOUT", "0", "greater than 0"),
        ("ARGMAP_LLM_MAX_RETRIES", "-1", "greater than or equal to 0"),
    ],
)
def test_an_unusable_setting_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARGMAP_DB", str(tmp_path / "db"))
    monkeypatch.setenv(variable, value)
    result = runner.invoke(app, ["threads"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"argmap: error: {variable}=") and says in line, line
    assert os.listdir(tmp_path) == []  # nothing created: no store, no server files


def test_an_empty_store_setting_means_the_default_not_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARGMAP_DB", "")
    assert Settings().db == str(default_data_dir())
    monkeypatch.setenv("ARGMAP_DB", "bolt://127.0.0.1:7687")
    assert Settings().db == "bolt://127.0.0.1:7687"


def test_an_empty_state_dir_means_the_default_not_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ARGMAP_STATE_DIR=` uncommented from .env.example: argmap's notes of the servers it
    started stay where `argmap db list` looks, not in whatever directory the command ran in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARGMAP_STATE_DIR", "")
    assert Settings().state_dir == default_state_dir()
    monkeypatch.setenv("ARGMAP_STATE_DIR", str(tmp_path / "state"))
    assert Settings().state_dir == tmp_path / "state"


def test_the_suite_never_uses_the_users_own_store(argmap_state_dir: Path) -> None:
    # A test that names no store lands in the session's folder: the run cannot start (and
    # leave running) a server in ~/.local/share/argmap, or write into the store $ARGMAP_DB names.
    assert "ARGMAP_DB" not in os.environ and "NEO4J_URI" not in os.environ
    session = argmap_state_dir.parent
    assert session in default_data_dir().parents
    assert session in Path(Settings().store_config().target).parents
