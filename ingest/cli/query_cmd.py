"""``argmap query ...`` and ``argmap cypher`` (debate analysis; see graph/queries.py)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Named queries over the argument graph.", no_args_is_help=True)


def cypher(query: str) -> None:
    """Run a read-only Cypher query."""
    raise typer.Exit(2)
