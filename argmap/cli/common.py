"""What every command shares: the settings, opening the store named by ``--db``, one-line errors."""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from argmap.core.errors import ArgmapError, StoreUnavailable
from argmap.core.settings import Settings, get_settings
from argmap.graph.catalog import EMPTY_STORE, EmptyStore, require_thread
from argmap.graph.embedded import ensure_server, server_paths
from argmap.graph.servers import SERVERS, drop_graph_if_empty, graph_sizes, register
from argmap.graph.store import Store, connect, is_neo4j_target

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="STORE",
        help="Store: a directory (embedded FalkorDB) or a bolt:// / neo4j:// URI. \\[env: ARGMAP_DB]",
    ),
]
ExtractorOption = Annotated[
    str,
    typer.Option(
        "--extractor", "-e", help="auto (llm if configured, else offline), offline or llm."
    ),
]
GraphOption = Annotated[
    str | None,
    typer.Option(
        "--graph",
        metavar="NAME",
        help="Graph name inside the store. \\[env: ARGMAP_GRAPH]",
    ),
]


def settings() -> Settings:
    """The settings for this command (environment and ``.env``, read when the command runs);
    a value that cannot be used stops the command with one line naming the variable."""
    from pydantic import ValidationError

    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "a setting"
        raise fail(
            f"{name}={first.get('input')!r} in the environment or .env: {first['msg']}; "
            "fix or unset it"
        ) from None


# C0 controls but newline and tab, DEL, and C1 controls (0x9b is a one-byte CSI): an author named
# "\x1b]0;pwned\x07" must not retitle the terminal, clear it or plant a hyperlink.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with terminal control characters shown as ``\\xNN`` instead of obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich exits 1 on its own; the command group turns this into the shell's quiet 141.
        raise BrokenPipeError


def console() -> Console:
    """A rich console for a command's output on stdout; a reader who left ends it with 141."""
    return _Console()


def write_out(data: str | bytes) -> None:
    """Write ``data`` to stdout whole, or raise ``BrokenPipeError`` if the reader left part-way.

    Python's buffered stdout took a large write the reader cut short (`argmap export | head -c
    10`: 64 KiB went, the rest was dropped) as done, and the command exited 0, not the 141 a
    reader who left gets from every other command; the file descriptor is written directly.
    """
    out = sys.stdout
    try:
        fd = out.fileno()
    except (AttributeError, io.UnsupportedOperation):  # captured: CliRunner, a notebook
        out.write(data if isinstance(data, str) else data.decode("utf-8"))
        out.flush()
        return
    out.flush()  # what was printed before comes first
    view = memoryview(
        data if isinstance(data, bytes) else data.encode(out.encoding, out.errors or "strict")
    )
    while view:
        view = view[os.write(fd, view) :]


def note(message: str) -> None:
    """Print ``message`` as one ``argmap: note:`` line on stderr (something to know, not an error)."""
    print(f"argmap: note: {terminal_safe(message)}", file=sys.stderr)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the Exit to raise."""
    print(f"argmap: error: {terminal_safe(message)}", file=sys.stderr)
    return typer.Exit(code)


def confirm_delete(question: str) -> None:
    """Ask ``question``; unless the answer is yes, stop with one line saying nothing was deleted.

    Click's own "Aborted." said neither what was kept nor how a script answers (``--yes``).
    """
    try:
        agreed = typer.confirm(question, default=False)
    except typer.Abort:  # stdin closed (a script, a pipe) or Ctrl-C at the question
        print(file=sys.stderr)  # the question's line was left open
        raise fail(
            "nothing deleted: the question got no answer; pass --yes to delete without asking"
        ) from None
    if not agreed:
        raise fail("nothing deleted (you answered no)")


def unreadable_state(state_dir: Path) -> str | None:
    """The line to say when ``state_dir`` cannot hold argmap's notes of the servers it started:
    ``argmap db list`` and ``db stop --all`` would say "no embedded server running" of servers
    that run unnoted."""
    try:
        (state_dir / SERVERS).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _state_line(state_dir, exc, "servers started while it is so are not listed")
    return None


def _state_line(state_dir: Path, exc: OSError, consequence: str) -> str:
    return (
        f"cannot write argmap's state folder {state_dir} ({exc.strerror or exc}): "
        f"{consequence}; set ARGMAP_STATE_DIR to a writable folder"
    )


def register_store(state_dir: Path, target: str) -> str | None:
    """Note the embedded store ``target`` where ``argmap db list`` and ``db stop --all`` look
    (``state_dir``); when that cannot be written, the line to say (the command carries on)."""
    try:
        register(state_dir, target)
    except OSError as exc:
        return _state_line(
            state_dir, exc, "`argmap db list` and `db stop --all` will not see this store's server"
        )
    return None


@contextmanager
def store_from_options(
    db: str | None, graph: str | None = None, existing: bool = False
) -> Iterator[Store]:
    """Open the store for a command (``--db``/``--graph`` over the settings) and close it afterwards.

    ``existing``: the command works on what is stored (reads it, or reviews it), so a store
    that holds no thread is an error (``EmptyStore``) — and a directory that does not exist is
    not created, nor a server started for it (a mistyped ``ARGMAP_DB`` must not leave an empty
    store behind).
    """
    options = settings()
    config = options.store_config(db, graph)
    embedded = not is_neo4j_target(config.target)
    if embedded and Path(config.target).expanduser().is_file():
        # Before it is noted as a store `argmap db list` would look for (ingest, db reset too).
        raise StoreUnavailable(file_not_store(Path(config.target).expanduser()))
    if existing and embedded:
        check_embedded_exists(config.target, config.graph)
    unnoted = None
    if embedded:
        # Noted before connect starts its server: a Ctrl-C or SIGTERM landing while it starts
        # left a server `argmap db list` and `db stop --all` never saw.
        unnoted = register_store(options.state_dir, config.target)
    store = connect(config)
    if unnoted:  # said once the store opened: a store that cannot open has its own error line
        note(unnoted)
    try:
        if existing:
            require_thread(store)
        yield store
    finally:
        store.close()


@contextmanager
def existing_store(db: str | None, graph: str | None = None) -> Iterator[Store | None]:
    """The store, or None when the embedded store or its graph does not exist yet: for a
    command that only looks at what is stored (``ingest --dry-run``) and must not create it."""
    config = settings().store_config(db, graph)
    if not is_neo4j_target(config.target):
        try:
            check_embedded_exists(config.target, config.graph)
        except EmptyStore:
            yield None
            return
    with store_from_options(db, graph) as store:
        yield store


@contextmanager
def dropped_if_left_empty(db: str | None, graph: str | None = None) -> Iterator[None]:
    """Around a write that may fail before it writes a thread (an empty file, a refused
    export): an embedded graph the command created is deleted again, not left empty."""
    config = settings().store_config(db, graph)
    embedded = not is_neo4j_target(config.target)
    fresh = embedded and config.graph not in graph_sizes(config.target)
    try:
        yield
    except ArgmapError:
        if fresh:
            drop_graph_if_empty(config.target, config.graph)
        raise


class _SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record))


def require_store(db: str | None, graph: str | None = None) -> None:
    """``EmptyStore`` when ``--db``/``ARGMAP_DB`` names an embedded store that does not exist, or
    ``--graph``/``ARGMAP_GRAPH`` a graph it does not hold (a typo): for a command that reads
    whatever is there, so an empty graph is no error but a missing one is (connecting would
    create it)."""
    config = settings().store_config(db, graph)
    if not is_neo4j_target(config.target):
        check_embedded_exists(config.target, config.graph)


def file_not_store(path: Path) -> str:
    """The line for ``--db``/``ARGMAP_DB`` naming a regular file."""
    return (
        f"{path} is a file, not a store: check ARGMAP_DB / --db "
        "(a store is a folder, or a bolt:// URI)"
    )


def _no_store(path: Path) -> str:
    # Not EMPTY_STORE's "this store holds no thread": there is no store to hold anything.
    return (
        f"no store at {path}: check ARGMAP_DB / --db, or ingest a thread there first "
        "(argmap ingest FILE, or argmap demo)"
    )


def check_embedded_exists(target: str, graph: str) -> None:
    """``EmptyStore`` naming what is wrong when ``target`` holds no graph called ``graph``."""
    path = Path(target).expanduser()
    if path.exists() and not path.is_dir():
        # Not "ingest a thread there first": ingesting into a file fails too.
        raise EmptyStore(file_not_store(path))
    if not path.is_dir():
        raise EmptyStore(_no_store(path))
    if (
        not server_paths(path).pidfile.exists()
        and not any(path.glob("*.rdb"))
        and not (path / "appendonlydir").exists()
    ):
        raise EmptyStore(f"{path} is not an argmap store: check ARGMAP_DB / --db")
    ensure_server(path)  # a store that exists: reading it may start its server
    graphs = graph_sizes(path)
    if graph not in graphs:
        others = ", ".join(sorted(graphs)) or "none"
        raise EmptyStore(
            f"no graph {graph!r} in {path} (its graphs: {others}; check ARGMAP_GRAPH / --graph): "
            f"{EMPTY_STORE}"
        )


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
