"""The argmap command line: thin commands, one-line errors, nothing lost on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.embedded import server_paths
from argmap.graph.store import Store, open_store
from argmap.graph.writes import write_thread
from typer.testing import CliRunner

from argmap.cli import app
from argmap.core.resources import sample_thread

runner = CliRunner()


def node_count(falkordb_dir: Path) -> int:
    """Nodes in the test's graph of the store directory ``argmap_env`` pointed argmap at.

    Anything else is refused before a store is opened: opening one starts a server in any
    folder it is given, so a Store (or a typo'd path) silently counted a stray, empty store."""
    assert isinstance(falkordb_dir, Path) and str(falkordb_dir) == os.environ.get("ARGMAP_DB"), (
        f"node_count takes the store directory the test's argmap_env fixture made "
        f"($ARGMAP_DB, {os.environ.get('ARGMAP_DB')!r}), not {falkordb_dir!r}"
    )
    assert server_paths(falkordb_dir).pidfile.is_file(), (
        f"node_count: no server runs in {falkordb_dir} (the session's falkordb_dir starts one)"
    )
    s = open_store(str(falkordb_dir), os.environ["ARGMAP_GRAPH"])
    try:
        # The graph's revision node (graph.revision) is bookkeeping, not content.
        return s.run_read("MATCH (n) WHERE NOT n:Meta RETURN count(n) AS n")[0]["n"]
    finally:
        s.close()


@pytest.fixture
def seeded(argmap_env: Path, store: Store) -> Path:
    """The CLI's store already holds a thread, which bad input must not disturb."""
    from test_writes import tiny_thread

    write_thread(store, tiny_thread())
    return argmap_env


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    prose = tmp_path / "notes.txt"
    prose.write_text("Shopping list\n\neggs\nmilk\nbread\n")
    truncated = tmp_path / "truncated.txt"
    sample = sample_thread().read_text(encoding="utf-8")
    truncated.write_text(sample[: len(sample) // 2], encoding="utf-8")
    # Not UTF-8, and 0x81 is no Windows-1252 character (a Windows-1252 file is read, with a note).
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9 cr\xe8me".encode("latin-1") + b" \x81")
    return {
        "missing": (tmp_path / "nope.txt", "no such file"),
        "empty": (empty, "empty"),
        "binary": (binary, "looks like a PNG picture, not a thread"),
        "not a thread": (prose, "does not look like a thread"),
        "not utf-8": (latin1, "not UTF-8"),
        "truncated": (truncated, "of the 187 comments"),
    }


@pytest.mark.parametrize(
    # (a folder is a source now: tests/test_ingest_many.py)
    "case",
    ["missing", "empty", "binary", "not a thread", "not utf-8", "truncated"],
)
def test_bad_input_gets_one_line_and_leaves_the_store_unchanged(
    case: str, seeded: Path, tmp_path: Path
) -> None:
    path, expected = bad_inputs(tmp_path)[case]
    before = node_count(seeded)
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: error:")
    assert expected in lines[0]
    assert f"argmap: error: {path}: " in lines[0]  # which file (a newcomer may have named several)
    assert "Traceback" not in result.output
    assert node_count(seeded) == before


def test_node_count_refuses_anything_but_the_tests_store_directory(
    seeded: Path, store: Store, tmp_path: Path
) -> None:
    # Given a Store, or any other folder, it used to start a server there and count nothing.
    assert node_count(seeded) > 0
    elsewhere = tmp_path / "not-a-store"
    for wrong in (store, elsewhere, str(seeded)):
        with pytest.raises(AssertionError, match="argmap_env fixture made"):
            node_count(wrong)  # type: ignore[arg-type]
    assert not elsewhere.exists() and not Path(str(store)).exists()


def test_unknown_format_and_extractor_are_refused(seeded: Path, sample_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(sample_path), "--format", "docx"])
    assert result.exit_code == 1 and "unknown format 'docx'" in result.stderr
    result = runner.invoke(app, ["ingest", str(sample_path), "--extractor", "magic"])
    assert result.exit_code == 1 and "unknown extractor 'magic'" in result.stderr


def test_db_status_counts_what_the_store_holds(seeded: Path) -> None:
    result = runner.invoke(app, ["db", "status"])
    assert result.exit_code == 0
    assert "running" in result.stdout
    assert "3 Post" in result.stdout and "1 Thread" in result.stdout


def test_db_reset_empties_the_graph(seeded: Path) -> None:
    assert node_count(seeded) > 0
    result = runner.invoke(app, ["db", "reset", "--yes"])
    assert result.exit_code == 0
    assert node_count(seeded) == 0


def test_export_json_writes_a_file(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    result = runner.invoke(app, ["export", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["format"] == "argmap-json" and len(doc["posts"]) == 3


def test_console_script_manages_its_own_server(tmp_path: Path) -> None:
    """``argmap db status|stop`` as a user runs them, in a separate process."""
    env = {k: v for k, v in os.environ.items() if k not in ("ARGMAP_GRAPH", "NEO4J_URI")}
    env["ARGMAP_DB"] = str(tmp_path / "db")
    argmap = [sys.executable, "-m", "argmap"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*argmap, *args], env=env, capture_output=True, text=True, timeout=120
        )

    # Was "not running", as if a store were there, stopped.
    assert "no store there yet (argmap demo, or argmap ingest FILE" in run("db", "status").stdout
    assert run("db", "reset", "--yes").returncode == 0  # starts it on first use
    status = run("db", "status")
    assert "running (pid" in status.stdout and "empty" in status.stdout
    assert run("db", "stop").stdout.strip() == "stopped"
    assert run("db", "stop").stdout.strip() == "not running"
    assert run("db", "status").stdout.strip().endswith(": not running")  # there, stopped


def test_an_ingest_of_a_flattened_page_says_how_far_to_trust_its_rebuilt_tree(
    argmap_env: Path, store: Store, sample_path: Path, tmp_path: Path
) -> None:
    from argmap.graph.overview import tree_trust

    result = runner.invoke(app, ["ingest", str(sample_path), "-q"])
    assert result.exit_code == 0, result.output
    trust = tree_trust(store)
    assert trust.rebuilt == 172 and trust.expected_right is not None  # the genuine comments
    [line] = [x for x in result.stderr.splitlines() if "reply tree rebuilt" in x]
    assert line.startswith("argmap: note:") and f"for {trust.rebuilt} comments" in line
    assert f"about {trust.expected_right:.0%} of their parents expected right" in line
    assert trust.unsure > 0 and f"{trust.unsure} under 70% sure" in line
    assert "argmap review list --kind parent" in line
    # A source that gives every parent has nothing rebuilt to vouch for.
    csv = tmp_path / "given.csv"
    csv.write_text(
        "id,parent_id,author,text\n"
        "1,,Ann,Cities should close central streets to cars on weekends.\n"
        "2,1,Ben,Closing streets hurts the shops that rely on drivers.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", str(csv), "-q"])
    assert result.exit_code == 0, result.output
    assert "reply tree rebuilt" not in result.stderr
