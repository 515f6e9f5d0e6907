"""``argmap export``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from graph.export_json import export_json
from ingest.cli.common import DbOption, GraphOption, fail, store_from_options, user_errors


def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    thread: Annotated[
        list[str] | None, typer.Option("--thread", help="Only this thread id (repeatable).")
    ] = None,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Export the graph (argmap JSON v1)."""
    with user_errors(), store_from_options(db, graph) as store:
        if format != "json":
            raise fail(f"unknown export format {format!r}: use json")
        text = json.dumps(export_json(store, thread), ensure_ascii=False, indent=1)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text + "\n", encoding="utf-8")
