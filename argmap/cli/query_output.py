"""How ``argmap query`` prints its rows: a JSON list, a table, or (a terminal too narrow for the
table) a few lines a row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from rich.table import Table
from rich.text import Text

from argmap.cli.common import console, terminal_safe, write_out

TEXT_WIDTH = 70


def short(text: str | None, width: int = TEXT_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def emit_json(rows: Sequence[BaseModel | dict[str, Any]]) -> None:
    """Print ``rows`` as a JSON list of objects."""
    data = [r.model_dump() if isinstance(r, BaseModel) else r for r in rows]
    write_out(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


_NUMERIC = {"#", "rebuttals", "supports", "rebuts", "length", "score", "size"}
_WHOLE = {"claim_id", "targets", "label"}  # ids and labels: never wrapped nor cut
_READABLE = 12  # the fewest characters a wrapping column (author, text) gets in a table


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``rows`` under ``title``: a table, or a few lines a row where the table would not fit."""
    # Text, not markup: a claim reading "[citation needed]" must print as written.
    # Control characters escaped: stored text must never drive the terminal.
    title = terminal_safe(title)
    cells = [[terminal_safe("" if v is None else str(v)) for v in row] for row in rows]
    out = console()
    if out.width < _table_width(columns, cells):
        _as_blocks(title, columns, cells)
    else:
        _as_table(title, columns, cells)
    if not rows:
        print("(no rows)")


def _table_width(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> int:
    """The narrowest table that keeps ids and counts whole and gives every other column
    ``_READABLE`` characters (borders and padding: 3 a column, plus 1)."""
    widths = [
        max([len(col), *(len(line) for c in cells for line in c[i].splitlines())])
        if col in _WHOLE or col in _NUMERIC
        else _READABLE
        for i, col in enumerate(columns)
    ]
    return sum(widths) + 3 * len(columns) + 1


def _as_table(title: str, columns: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
    # As wide as its title at least: a narrow table (no rows, short cells) broke it over lines.
    table = Table(title=title, title_justify="left", show_lines=False, min_width=len(title))
    for col in columns:
        numeric = col in _NUMERIC
        table.add_column(
            terminal_safe(col),
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=col in _WHOLE or numeric,
        )
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    console().print(table)


def _as_blocks(title: str, columns: Sequence[str], cells: Sequence[Sequence[str]]) -> None:
    """A terminal too narrow for the table (COLUMNS=50): a few lines a row, one a column,
    so author and text keep the width the ids and counts took from them (as argmap threads)."""
    out = console()
    out.print(Text(title))
    for row in cells:
        out.print()
        block = Table.grid(padding=(0, 2, 0, 0))
        block.add_column(no_wrap=True)
        block.add_column(overflow="fold")
        for col, value in zip(columns, row, strict=True):
            block.add_row(Text(terminal_safe(col)), Text(value))
        out.print(block)
