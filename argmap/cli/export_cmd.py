"""``argmap export``: the whole graph or the claims around one claim, in any export format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from argmap.cli.common import DbOption, GraphOption, fail, note, store_from_options, write_out
from argmap.cli.temp_folder import tmpdir_note
from argmap.graph.catalog import check_thread_ids
from argmap.graph.exports import (
    FORMATS,
    check_spreadsheet_safe,
    choose_format,
    default_filename,
    export_bytes,
    format_defaults,
    get_format,
)
from argmap.graph.exports import export as run_export
from argmap.graph.picture_style import PictureOptions
from argmap.graph.subgraph import MOST_REBUTTED, RELATION_TYPES, Selection, resolve_focus

PICTURE_HINT = (
    "that was the map as JSON data; for a picture add -o picture.png "
    "(or -o map.html for an interactive page)"
)
FORMAT_HELP = "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


def _when(value: str | None, option: str) -> date | datetime | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: use a date like 2013-06-24 or 2013-06-24T18:00") from None


def selection_from_options(
    claim: str | None,
    hops: int,
    thread: Sequence[str] | None,
    person: Sequence[str] | None,
    relation: Sequence[str] | None,
    since: str | None,
    until: str | None,
    min_confidence: float | None,
    connected_only: bool | None,
    max_nodes: int | None,
) -> Selection:
    """The selection ``argmap export``'s filter options state (the reverse of
    ``graph.export_command.export_arguments``); a bad value stops the command with one line."""
    for r in relation or ():
        if r not in RELATION_TYPES:
            raise fail(f"--relation {r!r}: use {' or '.join(RELATION_TYPES)}")
    try:
        return Selection(
            claim=claim,
            hops=hops,
            thread_ids=list(thread) if thread else None,
            people=list(person) if person else None,
            relation_types=list(relation) if relation else list(RELATION_TYPES),
            since=_when(since, "--since"),
            until=_when(until, "--until"),
            min_confidence=min_confidence,
            max_nodes=max_nodes,
            connected_only=connected_only,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise fail(f"--{where.replace('_', '-')}: {first['msg']}") from None


def export(
    ctx: typer.Context,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=FORMAT_HELP + ". Default: from the -o file's ending, else json.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write; '-' for stdout (text formats). "
            "Default: stdout for json, else argmap-<claim>-<N>hops.<ext> here "
            "(tip: keep exports in an exports/ folder listed in .gitignore).",
        ),
    ] = None,
    claim: Annotated[
        str | None,
        typer.Option(
            "--claim",
            metavar="ID",
            help=f"Only this claim and its neighbours ('{MOST_REBUTTED}': the claim with most rebuttals).",
        ),
    ] = None,
    hops: Annotated[
        int, typer.Option("--hops", help="Relation steps around --claim.", min=0, max=20)
    ] = 2,
    thread: Annotated[
        list[str] | None,
        typer.Option("--thread", metavar="ID", help="Only this thread id (repeatable)."),
    ] = None,
    person: Annotated[
        list[str] | None,
        typer.Option("--person", metavar="NAME", help="Only claims by this author (repeatable)."),
    ] = None,
    relation: Annotated[
        list[str] | None,
        typer.Option("--relation", metavar="TYPE", help="Only rebuts or supports (repeatable)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Posted on or after (ISO date).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Posted on or before (ISO date).")
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            help="Drop relations below this (default: 0.31 for pictures and html, leaving out "
            "the offline extractor's guesses; 0 for data).",
            min=0.0,
            max=1.0,
        ),
    ] = None,
    connected_only: Annotated[
        bool | None,
        typer.Option(
            "--connected-only/--all-claims",
            help="Whole graph: only claims in a relation (default for pictures and html).",
        ),
    ] = None,
    max_nodes: Annotated[
        int | None,
        typer.Option(
            "--max-nodes",
            help="Node cap (default: 12 for pictures, 60 for html, none else).",
            min=1,
        ),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            help="Picture width in pixels (PNG; SVG's width). Default: 1600, wider when the map "
            "is so wide its text would be drawn under 96 dpi.",
            min=320,
            max=8000,
        ),
    ] = None,
    font_size: Annotated[
        float, typer.Option("--font-size", help="Picture claim text size in points.", min=6, max=24)
    ] = 11.0,
    dark: Annotated[
        bool, typer.Option("--dark", help="Picture: light text on a dark background.")
    ] = False,
    no_colours: Annotated[
        bool,
        typer.Option("--no-colours", help="Picture: no fills for whether claims stand."),
    ] = False,
    spreadsheet_safe: Annotated[
        bool,
        typer.Option(
            "--spreadsheet-safe",
            help="CSV only, for Excel or LibreOffice: a text cell that starts like a formula "
            "(= + - @, a tab) gets a ' in front, so it is shown, not run, and each file starts "
            "with a UTF-8 byte-order mark, so Excel shows accents and emoji. Default: text "
            "verbatim, plain UTF-8, for pandas and R.",
        ),
    ] = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Export the graph, or the subgraph around one claim, as a picture, a page or data."""
    spec = get_format(choose_format(format, output))
    hops_source = ctx.get_parameter_source("hops")
    if claim is None and hops_source is not None and hops_source.name == "COMMANDLINE":
        # It changed nothing: the whole graph went out, as without it.
        note(
            "--hops counts relation steps around --claim; without --claim the whole graph "
            "is exported (add --claim ID, or --claim most-rebutted)"
        )
    check_spreadsheet_safe(spec.name, spreadsheet_safe)  # before the store is opened
    selection = selection_from_options(
        claim=claim,
        hops=hops,
        thread=thread,
        person=person,
        relation=relation,
        since=since,
        until=until,
        min_confidence=min_confidence,
        connected_only=connected_only,
        max_nodes=max_nodes,
    )
    to_stdout = (output is None and spec.name == "json") or str(output) == "-"
    if to_stdout and spec.binary:
        raise fail(f"{spec.name} is binary: give -o FILE")
    picture = PictureOptions(width=width, font_size=font_size, dark=dark, colours=not no_colours)
    with store_from_options(db, graph, existing=True) as store:
        check_thread_ids(store, thread)
        # Resolved here (with the format's defaults), so a default file name says which claim
        # it shows.
        focus = resolve_focus(store, format_defaults(spec.name, selection))
        # The format's defaults stay unset in what is exported: a picture of claims that have no
        # relation then says which option would draw them, not that no claim matches.
        selection = selection.model_copy(update={"claim": focus})
        if to_stdout:  # made in a temporary folder first
            moved = tmpdir_note()
            if moved:
                note(moved)
            data, _ = export_bytes(store, spec.name, selection, picture, spreadsheet_safe)
            write_out(data)  # a full disk says so here, as one line, not at exit
            if format is None and output is None and sys.stdout.isatty():
                # Someone who typed `argmap export --claim X` to see the claim's map got a
                # screenful of JSON; a pipe gets the JSON alone, as before.
                print(PICTURE_HINT, file=sys.stderr)
            return
        path = output or Path(default_filename(spec.name, selection))
        # Said, not asked: a default name is the same for a variant (--dark, another
        # --min-confidence), and the earlier file went without a word.
        replaced = " (replaced the file that was there)" if Path(path).is_file() else ""
        run_export(store, spec.name, selection, path, picture, spreadsheet_safe)
    print(f"wrote {spec.name} to {path}{replaced}", file=sys.stderr)
