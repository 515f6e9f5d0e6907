"""Which secrets files ``argmap dashboard`` lets Streamlit look for: all of Streamlit's own,
less one it cannot even look for (a folder on its way is a file), which failed every request.
The served dashboard itself is in ``test_dashboard_http``."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.cli.dashboard_cmd import LAUNCHER
from argmap.cli.streamlit_secrets import secrets_files_args


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A home folder and a working folder of the test's own; returns them."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    return home, work


def _files(args: list[str]) -> list[str]:
    assert args[::2] == ["--secrets.files"] * (len(args) // 2), args
    return args[1::2]


def test_a_home_folder_leaves_streamlits_own_list(folders: tuple[Path, Path]) -> None:
    assert secrets_files_args(LAUNCHER) == []


def test_a_secrets_file_there_leaves_streamlits_own_list(folders: tuple[Path, Path]) -> None:
    home, _ = folders
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text('token = "kept"\n')
    assert secrets_files_args(LAUNCHER) == []


def test_a_home_that_is_a_file_is_left_off(folders: tuple[Path, Path]) -> None:
    home, work = folders
    home.rmdir()
    home.write_text("a file, not a folder\n")
    assert _files(secrets_files_args(LAUNCHER)) == [
        str(work / ".streamlit" / "secrets.toml"),
        str(LAUNCHER.parent / ".streamlit" / "secrets.toml"),
    ]


def test_a_streamlit_folder_that_is_a_file_is_left_off(folders: tuple[Path, Path]) -> None:
    home, work = folders
    (work / ".streamlit").write_text("a file, not a folder\n")
    assert _files(secrets_files_args(LAUNCHER)) == [
        str(home / ".streamlit" / "secrets.toml"),
        str(LAUNCHER.parent / ".streamlit" / "secrets.toml"),
    ]
