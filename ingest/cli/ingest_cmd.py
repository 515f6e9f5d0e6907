"""``argmap ingest``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.cli.common import DbOption, GraphOption, fail, store_from_options, user_errors
from ingest.pipeline import IngestSummary, ingest as run_ingest


def summary_line(s: IngestSummary) -> str:
    """The one-line summary printed at the end of an ingest."""
    line = (
        f"{s.posts} posts ({s.spam} spam), {s.claims} claims, {s.relations} relations "
        f"in {s.seconds:.1f}s [extractor: {s.extractor}{'/' + s.model if s.model else ''}]"
    )
    if s.dropped_claims or s.dropped_relations:
        line += f"; dropped {s.dropped_claims} ungrounded claims, {s.dropped_relations} relations"
    if s.prompt_tokens or s.completion_tokens:
        line += (
            f"; tokens {s.prompt_tokens} in / {s.completion_tokens} out, ${s.cost_usd:.4f}"
        )
    return line


def ingest(
    source: Annotated[str, typer.Argument(help="A thread file (or argmap JSON export).")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="auto, wordpress-text or argmap-json.")
    ] = "auto",
    extractor: Annotated[
        str, typer.Option("--extractor", "-e", help="auto (llm if configured, else offline), offline or llm.")
    ] = "auto",
    db: DbOption = None,
    graph: GraphOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest a thread: parse it, rebuild replies, extract claims and relations into the store."""
    with user_errors(), store_from_options(db, graph) as store:
        show = not quiet and sys.stderr.isatty()
        with Progress(
            TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            transient=True, disable=not show,
        ) as bar:
            task = bar.add_task("extract", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            summary = run_ingest(Path(source), store, fmt=format, extractor=extractor, progress=progress)
        print(summary_line(summary))
        if summary.pending:
            raise fail(
                f"{summary.pending} of {summary.to_extract} posts not extracted; re-run to retry "
                f"(first error: {summary.errors[0]})"
            )
