"""``argmap export``: every format from the command line, default file names, one-line errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest
from argmap.graph.store import Store
from argmap.graph.subgraph import most_rebutted_claim
from PIL import Image
from typer.testing import CliRunner

from argmap.cli import app

runner = CliRunner()


@pytest.fixture
def seeded(argmap_env: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The CLI's store holds the hostile test graph; the working directory is a fresh one."""
    from export_data import write_nasty

    data = write_nasty(store)
    monkeypatch.chdir(tmp_path)
    return data


def run(*args: str):
    return runner.invoke(app, ["export", *args])


def one_line_error(result) -> str:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_json_goes_to_stdout_by_default(seeded) -> None:
    _, claims, rels = seeded
    result = run()
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "argmap-json" and len(doc["claims"]) == len(claims)
    assert len(doc["relations"]) == len(rels)


def test_pictures_get_default_names_for_the_claim(seeded, store: Store, tmp_path: Path) -> None:
    _, claims, _ = seeded
    top = most_rebutted_claim(store)
    result = run("--format", "png", "--claim", "most-rebutted", "--hops", "2")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / f"argmap-{top}-2hops.png"
    assert result.stderr.strip() == f"wrote png to {path.name}"
    with Image.open(path) as img:
        assert img.format == "PNG" and img.width >= 1600
    # A variant under the same default name replaces the first picture, and says so.
    result = run("--format", "png", "--claim", "most-rebutted", "--hops", "2", "--dark")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == f"wrote png to {path.name} (replaced the file that was there)"
    for fmt in ("svg", "pdf"):
        assert run("-f", fmt, "--claim", claims[2].id, "--hops", "1").exit_code == 0
    ElementTree.parse(tmp_path / f"argmap-{claims[2].id}-1hops.svg")
    assert (tmp_path / f"argmap-{claims[2].id}-1hops.pdf").read_bytes().startswith(b"%PDF")


def test_data_formats_from_the_command_line(seeded, tmp_path: Path) -> None:
    import arguebuf

    _, claims, rels = seeded
    assert run("-f", "graphml", "-o", "g.graphml").exit_code == 0
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert (g.number_of_nodes(), g.number_of_edges()) == (len(claims), len(rels))
    assert run("-f", "aif").exit_code == 0  # default name: argmap-graph.aif.json
    assert len(arguebuf.load.file(tmp_path / "argmap-graph.aif.json").atom_nodes) == len(claims)
    assert run("-f", "csv").exit_code == 0
    with zipfile.ZipFile(tmp_path / "argmap-graph.zip") as zf:
        assert zf.read("claims.csv").decode("utf-8").count("\nc_") == len(claims)
    assert run("-f", "csv", "-o", "tables").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "claims.csv",
        "posts.csv",
        "relations.csv",
    ]
    result = run("-f", "html", "-o", "-")
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("<!DOCTYPE html>")


def test_filters_reach_the_selection(seeded) -> None:
    thread, claims, rels = seeded
    result = run("-f", "json", "--relation", "supports", "--min-confidence", "0.6")
    doc = json.loads(result.stdout)
    expected = {(r.source, r.target) for r in rels if r.type == "supports" and r.confidence >= 0.6}
    assert {(r["source"], r["target"]) for r in doc["relations"]} == expected
    result = run("-f", "json", "--person", "bob", "--person", "Eve")
    names = {"bob", "eve"}
    assert {c["id"] for c in json.loads(result.stdout)["claims"]} == {
        c.id for c in claims if thread.post(c.post_id).author.casefold() in names
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "gif"], "unknown export format 'gif'"),
        # What to do, too: a mistyped id or "most-rebuted" got no way forward.
        (
            ["-f", "png", "--claim", "most-rebuted"],
            "no claim with id 'most-rebuted' in this graph: find one with argmap query search "
            "WORDS (or query contested), or give --claim most-rebutted",
        ),
        (["-f", "png", "-o", "-"], "png is binary"),
        (["-f", "png", "-o", "/proc/no/such/dir/x.png"], "cannot make its folder"),
        (["--since", "2013-13-45"], "--since '2013-13-45'"),
        (["--relation", "refutes"], "--relation 'refutes'"),
        (["-f", "png", "--person", "nobody at all"], "nothing to draw"),
    ],
)
def test_bad_options_get_one_line(seeded, args: list[str], message: str) -> None:
    assert message in one_line_error(run(*args))


def test_an_export_under_a_file_names_the_file_in_the_way(seeded, tmp_path: Path) -> None:
    # Was "cannot make its folder (File exists)": which file, of the path's parts, said nothing.
    notes = tmp_path / "notes"
    notes.write_text("not a folder")
    error = one_line_error(run("-f", "png", "-o", str(notes / "pictures" / "top.png")))
    assert f"{notes} is a file, not a folder" in error
    assert notes.read_text() == "not a folder"


def test_a_failed_export_keeps_the_existing_file(seeded, tmp_path: Path) -> None:
    target = tmp_path / "keep.png"
    target.write_bytes(b"yesterday's picture")
    one_line_error(run("-f", "png", "--person", "nobody at all", "-o", str(target)))
    assert target.read_bytes() == b"yesterday's picture"


def test_most_rebutted_on_an_empty_graph_says_so(
    argmap_env: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # An empty graph is said first (issue 15), before any claim is looked for.
    assert "this store holds no thread — ingest one first" in one_line_error(
        run("-f", "png", "--claim", "most-rebutted")
    )
    assert list(tmp_path.iterdir()) == []


def test_an_export_makes_its_missing_folder(seeded, tmp_path: Path) -> None:
    """The README's `-o exports/top.png` works in a fresh checkout (was: "does not exist")."""
    target = tmp_path / "exports" / "deeper" / "top.png"
    result = run("-f", "png", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_place_that_cannot_be_written_is_one_line(seeded, tmp_path: Path) -> None:
    import subprocess
    import sys

    # /proc takes no new file, even from root.
    line = one_line_error(run("-f", "json", "-o", "/proc/argmap-export.json"))
    assert "cannot write /proc/argmap-export.json" in line
    line = one_line_error(run("-f", "png", "-o", "/proc/argmap-export.png"))
    assert "cannot write /proc/argmap-export.png" in line
    # Standard output on a full disk.
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "argmap", "export", "-f", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "argmap: error: No space left on device; free some space, then re-run"
    ]


def test_a_width_past_the_limit_is_a_usage_error_not_a_traceback(seeded) -> None:
    result = run("-f", "png", "--width", "9000", "-o", "x.png")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "8000" in result.output and "--width" in result.output


def test_a_picture_of_an_article_nobody_answered_names_the_option_that_draws_it(
    argmap_env: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An article with no comments: one claim, no relation. It said "no claim matches this
    # selection", sending the user to look for a typo.
    from argument_graphs import write_debate

    write_debate(store, theses=["a"])
    monkeypatch.chdir(tmp_path)
    for fmt in ("png", "html"):
        line = one_line_error(run("-f", fmt, "-o", f"x.{fmt}"))
        assert "claims match this selection, but none has a relation" in line
        assert "--all-claims" in line
        assert run("-f", fmt, "--all-claims", "-o", f"x.{fmt}").exit_code == 0


def _export_to(stdout: str, *args: str) -> tuple[bytes, str]:
    """``argmap export ARGS`` run as a user runs it, its standard output a terminal (a real
    pseudo-terminal) or a pipe: what came out on each stream."""
    import os
    import pty
    import subprocess
    import sys

    argv = [sys.executable, "-m", "argmap", "export", *args]
    if stdout == "pipe":
        done = subprocess.run(argv, capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr.decode()
    leader, follower = pty.openpty()
    proc = subprocess.Popen(argv, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=120) == 0, err
    return out.replace(b"\r\n", b"\n"), err


def test_json_on_a_terminal_says_how_to_get_a_picture_and_a_pipe_gets_json_alone(
    seeded,
) -> None:
    claim = seeded[1][0].id
    out, err = _export_to("terminal", "--claim", claim)
    assert claim in {c["id"] for c in json.loads(out)["claims"]}  # the JSON as before
    assert err.strip().splitlines() == [
        "that was the map as JSON data; for a picture add -o picture.png "
        "(or -o map.html for an interactive page)"
    ]
    piped, err = _export_to("pipe", "--claim", claim)
    assert json.loads(piped) == json.loads(out) and err == ""
    # Asked for JSON by name, it is not told otherwise.
    _, err = _export_to("terminal", "--claim", claim, "-f", "json")
    assert err == ""
