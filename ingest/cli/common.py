"""What every command shares: one-line errors, and opening the store named by ``--db``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from graph.errors import ArgmapError
from graph.store import Store, open_store

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Store: a directory (embedded FalkorDB) or a bolt:// / neo4j:// URI. \\[env: ARGMAP_DB]"),
]
GraphOption = Annotated[
    str | None,
    typer.Option("--graph", help="Graph name inside the store. \\[env: ARGMAP_GRAPH]", hidden=True),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the Exit to raise."""
    print(f"argmap: error: {message}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn argmap's own errors into one line on stderr and a non-zero exit, no traceback."""
    try:
        yield
    except ArgmapError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; what was written is kept, re-run to resume", 130) from None


@contextmanager
def store_from_options(db: str | None, graph: str | None = None) -> Iterator[Store]:
    """Open the store for a command and close it afterwards."""
    store = open_store(db, graph)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Show what the library logs as a warning (a source's gaps, ...) as ``argmap: warning:`` lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("argmap: warning: %(message)s"))
    loggers = [logging.getLogger(name) for name in ("ingest", "graph")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
