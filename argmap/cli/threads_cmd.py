"""``argmap threads``: the threads a store holds (the ids ``--thread`` takes), and
``argmap threads delete ID``: remove one of them."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.padding import Padding
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from argmap.cli.common import (
    DbOption,
    GraphOption,
    confirm_delete,
    console,
    store_from_options,
    terminal_safe,
    write_out,
)
from argmap.cli.help_style import ArgmapCommand, ArgmapSubgroup
from argmap.core.wording import plural
from argmap.graph.catalog import ThreadSummary, thread_summaries
from argmap.graph.thread_delete import ThreadDeletion, delete_thread, plan_thread_deletion

app = typer.Typer(
    cls=ArgmapSubgroup,
    help="List the store's threads (argmap threads), or delete one (argmap threads delete ID).",
    invoke_without_command=True,
)


# Comments as the Overview, credit lines and the ingest summary count them: spam apart.
_COUNTED = ("comments", "spam", "claims", "relations")
_TEXT = ("id", "title", "source")
_COLUMNS = (*_TEXT, *_COUNTED)


@app.callback()
def threads(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of objects.")] = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """List the store's threads, oldest first: id, title, source with the day published (UTC)
    and counts (give an id to --thread)."""
    if ctx.invoked_subcommand is not None:
        return
    with store_from_options(db, graph, existing=True) as store:
        rows = thread_summaries(store)
    if as_json:
        write_out(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=1) + "\n")
        return
    out = console()
    cells = [_cells(r) for r in rows]
    if out.width < _table_width(cells):
        _print_blocks(out, cells)
        return
    table = Table(title="Threads in this store", title_justify="left")
    # The id (what --thread takes) and the counts never wrap nor get cut: title and source give.
    for col in _COLUMNS:
        wide = col in ("title", "source")
        table.add_column(col, justify="left" if col in _TEXT else "right", no_wrap=not wide)
    for c in cells:
        table.add_row(*(Text(v) for v in c))
    out.print(table)


def _cells(r: ThreadSummary) -> list[str]:
    source = r.source_format or ""
    if r.published_at:  # the day in UTC, as --since/--until take it (a column did not fit)
        source += f", {r.published_at[:10]}"
    if r.url:
        source += f" {r.url}"
    title = (r.title or "") + (
        " [partly deleted: run argmap threads delete again]" if r.deleting else ""
    )
    return [
        r.id,
        title,
        source.strip(),
        str(r.comments),
        str(r.spam),
        str(r.claims),
        str(r.relations),
    ]


def _table_width(cells: list[list[str]]) -> int:
    """The narrowest table that keeps ids and counts whole and gives title and source 12
    characters each (borders and padding: 3 a column, plus 1)."""
    fixed = [
        max([len(col), *(len(c[i]) for c in cells)])
        for i, col in enumerate(_COLUMNS)
        if col not in ("title", "source")
    ]
    return sum(fixed) + 2 * 12 + 3 * len(_COLUMNS) + 1


def _print_blocks(console: Console, cells: list[list[str]]) -> None:
    """A terminal too narrow for the table (COLUMNS=40): a few lines a thread, id first."""
    console.print("Threads in this store")
    for c in cells:
        console.print()
        console.print(Text(c[0]))
        comments, spam, claims, relations = (int(v) for v in c[3:])
        counts = (
            f"{plural(comments, 'comment')}, {spam} spam, {plural(claims, 'claim')}, "
            f"{plural(relations, 'relation')}"
        )
        for line in (*c[1:3], counts):
            if line:  # wrapped lines keep the indent, so each thread's id stands out
                console.print(Padding(Text(line), (0, 0, 0, 2)))


def _what(d: ThreadDeletion) -> str:
    """``thread 'id' ("title"): 1 post, 2 claims, ...`` — every count, zeros included."""
    title = f" ({d.title!r})" if d.title else ""
    cross = f" ({d.cross_thread} to or from another thread's claims)" if d.cross_thread else ""
    return terminal_safe(
        f"thread {d.thread_id!r}{title}: {plural(d.posts, 'post')}, {plural(d.claims, 'claim')}, "
        f"{plural(d.relations, 'relation')}{cross}, {plural(d.reviews, 'review')}, "
        f"{plural(d.persons, 'person', 'people')} who wrote in no other thread"
    )


@app.command("delete", cls=ArgmapCommand)
def delete(
    thread_id: Annotated[str, typer.Argument(help="The thread's id (argmap threads lists them).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be deleted; delete nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
    db: DbOption = None,
    graph: GraphOption = None,
) -> None:
    """Delete one thread: its posts, claims, relations, reviews, and lone authors.

    A person who also wrote in another thread stays, and so does every other thread.
    """
    with store_from_options(db, graph, existing=True) as store:
        plan = plan_thread_deletion(store, thread_id)
        if dry_run:
            print(f"would delete {_what(plan)}")
            return
        if not yes:
            confirm_delete(f"Delete {_what(plan)}?")
        # Minutes on Neo4j for a big thread (bench/thread_delete.py): show the posts going.
        with Progress(
            TextColumn("deleting posts"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            console=Console(stderr=True),
            disable=not sys.stderr.isatty(),
        ) as bar:
            task = bar.add_task("delete", total=plan.posts)
            gone = delete_thread(
                store, thread_id, progress=lambda done: bar.update(task, completed=done)
            )
        print(f"deleted {_what(gone)}")
