"""The Export page says the ``argmap export`` line that makes the same file.

``graph.export_command`` turns a selection into the command's arguments; the command's own
option parsing reads them back into the same selection (hostile names included), and the line
the page shows, run as the real CLI against the same store, writes the page's claims and
relations.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import typer
from argmap.graph import exports
from argmap.graph.export_command import PHONE_COLUMNS, export_arguments, export_command
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, SelectionError
from dashboard_pages import assert_clean, frame_data, iframe_srcdoc, open_page

from argmap.cli import app
from argmap.cli.export_cmd import selection_from_options

HOSTILE = [
    "O'Brien",
    'say "no"',
    "$HOME and $(rm -rf ~)",
    "`id`; echo pwned",
    "-rf",
    "--all-claims",
    "Zoë 张伟 שלום",
    "tab\there",
    "* ? [a]",
]
SELECTIONS = [
    Selection(),
    Selection(claim="most-rebutted", min_confidence=0.0, connected_only=True, max_nodes=12),
    Selection(claim="c_8e85738cf45e9273", hops=5, min_confidence=0.35, max_nodes=150),
    Selection(claim="-c'1 $x", hops=0, connected_only=False),
    Selection(thread_ids=["t_1", "t 2's"], people=HOSTILE, connected_only=False),
    Selection(relation_types=["rebuts"], min_confidence=0.15000000000000002),
    Selection(relation_types=["supports"], since=date(2013, 6, 24), until=date(2013, 7, 1)),
    Selection(
        since=datetime(2013, 6, 24, 18, 0, tzinfo=timezone(timedelta(hours=2))),
        until=datetime(2013, 6, 25, 9, 30),
        min_confidence=1.0,
        max_nodes=1,
    ),
]
SELECTION_OPTIONS = (
    "claim",
    "hops",
    "thread",
    "person",
    "relation",
    "since",
    "until",
    "min_confidence",
    "connected_only",
    "max_nodes",
)


def parse(line: str) -> tuple[Selection, dict]:
    """What ``argmap export``'s own parser makes of ``line``: the selection and the options."""
    argv = shlex.split(line)
    assert argv[:2] == ["argmap", "export"], line
    command = typer.main.get_command(app).commands["export"]  # type: ignore[attr-defined]
    params = command.make_context("export", argv[2:]).params
    return selection_from_options(**{k: params[k] for k in SELECTION_OPTIONS}), params


@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_command_line_reads_back_as_the_same_selection(selection: Selection) -> None:
    line = export_command(
        "csv", selection, "my file $1.zip", spreadsheet_safe=True, db="bolt://h:7687", graph="g x"
    )
    back, params = parse(line)
    # The hops mean nothing without a claim, so the line leaves them out there.
    expected = selection if selection.claim else selection.model_copy(update={"hops": 2})
    assert back == expected
    assert str(params["output"]) == "my file $1.zip" and params["format"] == "csv"
    assert params["spreadsheet_safe"] and (params["db"], params["graph"]) == (
        "bolt://h:7687",
        "g x",
    )


def test_every_argument_is_one_shell_word_and_nothing_runs() -> None:
    sel = Selection(people=HOSTILE, thread_ids=["t;reboot"])
    args = export_arguments("png", sel, "a b.png")
    line = export_command("png", sel, "a b.png")
    assert shlex.split(line)[2:] == args
    done = subprocess.run(["sh", "-c", f"printf '%s\\n' {line}"], capture_output=True, text=True)
    assert done.stdout.split("\n")[:-1] == ["argmap", "export", *args]


def fits_or_stands_alone(line: str, width: int) -> bool:
    """A shown line fits ``width`` characters, its indent and " \\" counted, or holds one
    argument alone that cannot fit a line even so (was: any line of one argument passed, so a
    35-character file name on a 39-character line did)."""
    if len(line) <= width:
        return True
    (alone,) = shlex.split(line.removesuffix(" \\"))
    return len(f"  {shlex.quote(alone)} \\") > width


# The picture's file name when a claim is drawn: 35 characters, 39 with its indent and " \".
DEFAULT_NAME = exports.default_filename("png", Selection(claim="c_8e85738cf45e9273"))
LONG_DB = "bolt://argmap-graph-store.newsroom-infrastructure.internal.example.org:7687/" + "x" * 14


@pytest.mark.parametrize(
    "output, db", [(DEFAULT_NAME, None), ("x.png", LONG_DB)], ids=["default-name", "90-char-db"]
)
def test_an_argument_too_long_for_a_phones_line_has_a_line_to_itself_with_its_backslash(
    output: str, db: str | None
) -> None:
    # A line never passes the width, indent and " \\" counted, but for one argument that
    # cannot fit even alone: that line holds it and its " \\" (the page scrolls it sideways,
    # whole; wrapped, the " \\" fell onto a row of its own and a long URI broke at its dots).
    assert len(DEFAULT_NAME) == 35 and len(LONG_DB) == 90
    sel = Selection(claim="c_8e85738cf45e9273", min_confidence=0.31, max_nodes=12)
    block = export_command("png", sel, output, db=db, graph="sample_session", width=PHONE_COLUMNS)
    lines = block.splitlines()
    long = output if db is None else db
    assert f"  {long} \\" in lines  # alone, indented, with its " \\"
    assert all(fits_or_stands_alone(line, PHONE_COLUMNS) for line in lines), block
    assert [line for line in lines if len(line) > PHONE_COLUMNS] == [f"  {long} \\"]
    assert shown_commands(block) == [
        export_command("png", sel, output, db=db, graph="sample_session")
    ]
    done = subprocess.run(["sh", "-c", f"printf '%s\\n' {block}"], capture_output=True, text=True)
    args = export_arguments("png", sel, output, db=db, graph="sample_session")
    assert done.stdout.split("\n")[:-1] == ["argmap", "export", *args]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_a_command_broken_for_a_phone_breaks_between_arguments_and_reads_back_whole(
    selection: Selection,
) -> None:
    # Was: one line, which a phone's browser wrapped inside options and file names
    # ("--min-" / "confidence"). Now the line breaks between arguments, an option with its value.
    block = export_command(
        "csv", selection, "my file $1.zip", db="bolt://h:7687", width=PHONE_COLUMNS
    )
    lines = block.splitlines()
    assert len(lines) > 1 and all(line.endswith(" \\") for line in lines[:-1])
    assert all(fits_or_stands_alone(line, PHONE_COLUMNS) for line in lines), block
    # The shell joins the lines back into the one command, every argument whole.
    assert shown_commands(block) == [
        export_command("csv", selection, "my file $1.zip", db="bolt://h:7687")
    ]
    done = subprocess.run(["sh", "-c", f"printf '%s\\n' {block}"], capture_output=True, text=True)
    args = export_arguments("csv", selection, "my file $1.zip", db="bolt://h:7687")
    assert done.stdout.split("\n")[:-1] == ["argmap", "export", *args]


def test_only_what_the_selection_sets_is_said() -> None:
    assert export_arguments("json", Selection()) == ["-f", "json"]
    assert export_arguments("aif", Selection(min_confidence=0.0), "x.aif.json") == [
        "-f",
        "aif",
        "-o",
        "x.aif.json",
        "--min-confidence",
        "0.0",
    ]


@pytest.mark.parametrize(
    "selection, reason",
    [
        (Selection(relation_types=[]), "no relation type"),
        (Selection(include_spam=True), "spam"),
    ],
)
def test_a_selection_no_command_can_state_is_refused(selection: Selection, reason: str) -> None:
    with pytest.raises(SelectionError, match=reason):
        export_arguments("json", selection)


def shown_commands(code: str) -> list[str]:
    """The commands a code block on the page shows, each on one line: a line ending in a
    backslash goes on on the next, as a shell reads it."""
    return re.sub(r" \\\n\s*", " ", code).splitlines()


def run_shown(line: str, cwd: Path) -> Path:
    """Run a command the page shows as it stands (the installed ``argmap``), in ``cwd``."""
    argv = shlex.split(line)
    argv[0] = str(Path(sys.executable).with_name("argmap"))
    done = subprocess.run(argv, cwd=cwd, env=os.environ.copy(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return cwd / argv[argv.index("-o") + 1]


def ids(doc: dict) -> tuple[set, set]:
    return {c["id"] for c in doc["claims"]}, {
        (r["source"], r["type"], r["target"]) for r in doc["relations"]
    }


def test_the_export_page_shows_the_command_that_writes_its_file(
    sample_env: Store, tmp_path: Path
) -> None:
    store = sample_env
    at = open_page("graph")
    drawn = {n["id"] for n in frame_data(iframe_srcdoc(at))["nodes"]}
    at.switch_page("views/export.py").run()
    assert_clean(at)
    captions = [c.value for c in at.caption]
    assert captions.count("Same file from the command line:") == 3  # pictures, page, data
    pictures, page, data = (c.value for c in at.code)
    assert [shlex.split(line)[3] for line in shown_commands(pictures)] == ["png", "svg", "pdf"]
    # The picture's confidence floor is said (the command's own default, guesses left out).
    assert "--min-confidence 0.31" in pictures
    # The claim drawn, by its id: "most-rebutted" names another claim once the graph grows.
    focus = shlex.split(shown_commands(pictures)[0])
    assert focus[focus.index("--claim") + 1].startswith("c_")
    assert "--graph sample_session" in page and any("`ARGMAP_DB` naming" in c for c in captions)

    # The interactive page from the command draws the claims the Graph page drew.
    html = run_shown(shown_commands(page)[0], tmp_path).read_text(encoding="utf-8")
    assert {n["id"] for n in frame_data(html)["nodes"]} == drawn

    # Narrow it, then compare the JSON from the command with the page's data download.
    at.switch_page("views/graph.py").run()
    at.sidebar.selectbox(key="g_focus").set_value("__whole__")
    at.sidebar.button_group(key="g_types").set_value(["rebuts"])
    at.sidebar.slider(key="g_conf").set_value(0.35)
    at.run()
    at.switch_page("views/export.py").run()
    assert_clean(at)
    assert len(at.code) == 3, [i.value for i in at.info] + [c.value for c in at.caption]
    json_line = shown_commands(at.code[2].value)[-1]
    assert shlex.split(json_line)[2:6] == ["-f", "json", "-o", "argmap-graph.json"]
    assert "--relation rebuts --min-confidence 0.35 --connected-only" in json_line
    from_cli = json.loads(run_shown(json_line, tmp_path).read_text(encoding="utf-8"))
    # The page's download: the selection it shows, uncapped, through the same exporter.
    full = Selection(**at.session_state["selection"]).model_copy(update={"max_nodes": None})
    page_doc = json.loads(exports.export_bytes(store, "json", full)[0])
    claims, relations = ids(from_cli)
    assert (claims, relations) == ids(page_doc) and relations
    said = " ".join(c.value for c in at.caption)
    assert f"({len(claims)} claims, {len(relations)} relation" in said


def test_the_export_pages_command_lines_fit_a_phone_and_break_only_between_arguments(
    sample_env: Store,
) -> None:
    # Was, at 390 px: each command one line, wrapped by the browser inside option names and
    # file names ("--min-" / "confidence", "argmap-" / "c_8e85…"). Now the page breaks them
    # between arguments to a phone's width: the browser wraps only an argument longer than that.
    at = open_page("export")
    assert_clean(at)
    assert len(at.code) == 3
    for code in at.code:
        lines = code.value.splitlines()
        assert all(fits_or_stands_alone(line, PHONE_COLUMNS) for line in lines), code.value
        for command in shown_commands(code.value):
            assert shlex.split(command)[:3] == ["argmap", "export", "-f"]


def drawn_claims(svg: Path) -> set[str]:
    """The claims an SVG picture draws (each one ``<g id="claim-ID">``)."""
    return set(re.findall(r'<g id="claim-([^"]+)" class="claim"', svg.read_text(encoding="utf-8")))


def test_the_export_pages_picture_is_the_one_argmap_export_draws_by_default(
    sample_env: Store, tmp_path: Path
) -> None:
    # A journalist exports "the same picture" from the page and from `argmap export` with its
    # defaults. Was: the page drew the offline extractor's guesses (the Graph page's floor, 0),
    # the command leaves them out (0.31), so the two pictures held other claims.
    at = open_page("graph")  # its filters, untouched, are what the Export page exports
    at.switch_page("views/export.py").run()
    pictures = shown_commands(at.code[0].value)
    svg_line = next(line for line in pictures if shlex.split(line)[3] == "svg")
    said = shlex.split(svg_line)
    focus = said[said.index("--claim") + 1]
    page_svg = run_shown(svg_line, tmp_path)
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("argmap")), "export", "--claim", focus, "--hops", "2"]
        + ["-o", "cli.svg"],
        cwd=tmp_path,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert drawn_claims(page_svg) == drawn_claims(tmp_path / "cli.svg") and focus in drawn_claims(
        page_svg
    )
    assert page_svg.read_bytes() == (tmp_path / "cli.svg").read_bytes()
    assert said[said.index("--min-confidence") + 1] == "0.31"  # the floor, said

    # Asked for, the guesses are drawn: the command line says so.
    at.checkbox(key="x_picture_guesses").check().run()
    assert_clean(at)
    assert "--min-confidence 0.0" in at.code[0].value


@pytest.mark.parametrize("graph_first", [False, True], ids=["export-page-first", "graph-first"])
def test_the_export_pages_interactive_page_does_not_depend_on_the_pages_seen_before(
    sample_env: Store, tmp_path: Path, graph_first: bool
) -> None:
    # One rule: the interactive page keeps the Graph page's floor (0 until it is moved), as its
    # caption says ("as on the Graph page"). Was: opened first, the Export page gave no floor
    # and the file left out the extractor's guesses (the command's 0.31); after a look at the
    # Graph page, the same button gave the guesses too (0).
    graph = open_page("graph")
    drawn = {n["id"] for n in frame_data(iframe_srcdoc(graph))["nodes"]}
    if graph_first:
        at = graph
        at.switch_page("views/export.py").run()
    else:
        at = open_page("export")
    assert_clean(at)
    (line,) = shown_commands(at.code[1].value)
    html = run_shown(line, tmp_path).read_text(encoding="utf-8")
    in_file = {n["id"] for n in frame_data(html)["nodes"]}
    assert in_file == drawn
    said = shlex.split(line)  # the floor is said, so the command does not take its own
    assert said[2:4] == ["-f", "html"] and said[said.index("--min-confidence") + 1] == "0.0"
    # The page says how many claims its file holds.
    said_on_page = " ".join(c.value for c in at.caption)
    assert (
        f"(showing {len(in_file)} of " in said_on_page and "as on the Graph page)" in said_on_page
    )
