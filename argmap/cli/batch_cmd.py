"""``argmap batch status|collect ID``: follow a Batch API extraction started by ``ingest --batch``."""

from __future__ import annotations

from typing import Annotated

import typer

from argmap.cli.common import (
    DbOption,
    GraphOption,
    settings,
    store_from_options,
    warnings_to_stderr,
)
from argmap.cli.ingest_cmd import summary_line

app = typer.Typer(
    help="Batch API extractions (started by `argmap ingest --batch`).", no_args_is_help=True
)

BatchId = Annotated[str, typer.Argument(help="The batch id `argmap ingest --batch` printed.")]


@app.command("status")
def status(batch_id: BatchId, db: DbOption = None) -> None:
    """Show a batch's status and how many of its requests are done."""
    from argmap.ingest.batch import status_line

    print(status_line(batch_id, settings().llm_config(db)))


@app.command("collect")
def collect(batch_id: BatchId, db: DbOption = None, graph: GraphOption = None) -> None:
    """Store a finished batch's answers (the next round is submitted by `ingest --batch`)."""
    from argmap.ingest.batch import collect_batch

    with warnings_to_stderr(), store_from_options(db, graph) as store:
        report = collect_batch(batch_id, store, settings().llm_config(db))
        for line in report.lines:
            print(line)
        if not report.running:
            print(summary_line(report.summary))
