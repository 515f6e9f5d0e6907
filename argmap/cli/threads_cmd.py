"""``argmap threads``: the threads a store holds (the ids ``--thread`` takes)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from argmap.cli.common import DbOption, GraphOption, store_from_options
from argmap.graph.catalog import thread_summaries


def threads(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of objects.")] = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """List the store's threads, oldest first: id, title, source with the day published (UTC)
    and counts (give an id to --thread)."""
    with store_from_options(db, graph, existing=True) as store:
        rows = thread_summaries(store)
    if as_json:
        sys.stdout.write(
            json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=1) + "\n"
        )
        return
    table = Table(title="Threads in this store", title_justify="left")
    # Comments as the Overview, credit lines and the ingest summary count them: spam apart.
    counted = ("comments", "spam", "claims", "relations")
    for col in ("id", "title", "source", *counted):
        table.add_column(col, justify="right" if col in counted else "left")
    for r in rows:
        source = r.source_format or ""
        if r.published_at:  # the day in UTC, as --since/--until take it (a column did not fit)
            source += f", {r.published_at[:10]}"
        if r.url:
            source += f" {r.url}"
        table.add_row(
            *(Text(v) for v in (r.id, r.title or "", source.strip())),
            str(r.comments),
            str(r.spam),
            str(r.claims),
            str(r.relations),
        )
    Console().print(table)
