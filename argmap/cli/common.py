"""What every command shares: the settings, opening the store named by ``--db``, one-line errors."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from argmap.core.settings import Settings, get_settings
from argmap.graph.store import Store, connect

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store: a directory (embedded FalkorDB) or a bolt:// / neo4j:// URI. \\[env: ARGMAP_DB]",
    ),
]
GraphOption = Annotated[
    str | None,
    typer.Option("--graph", help="Graph name inside the store. \\[env: ARGMAP_GRAPH]", hidden=True),
]


def settings() -> Settings:
    """The settings for this command (environment and ``.env``, read when the command runs)."""
    return get_settings()


# C0 controls but newline and tab, DEL, and C1 controls (0x9b is a one-byte CSI): an author named
# "\x1b]0;pwned\x07" must not retitle the terminal, clear it or plant a hyperlink.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with terminal control characters shown as ``\\xNN`` instead of obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the Exit to raise."""
    print(f"argmap: error: {terminal_safe(message)}", file=sys.stderr)
    return typer.Exit(code)


@contextmanager
def store_from_options(db: str | None, graph: str | None = None) -> Iterator[Store]:
    """Open the store for a command (``--db``/``--graph`` over the settings) and close it afterwards."""
    store = connect(settings().store_config(db, graph))
    try:
        yield store
    finally:
        store.close()


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))


@contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Show what the library logs as a warning (a source's gaps, ...) as ``argmap: warning:`` lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_SafeFormatter("argmap: warning: %(message)s"))
    logger = logging.getLogger("argmap")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
