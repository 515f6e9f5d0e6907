"""The ``argmap`` command group: every command, and the one place errors and signals become one
line (``argmap.cli.main`` installs the signal handlers, then imports this)."""

from __future__ import annotations

import errno
import os
import sys
import threading
from contextlib import suppress
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

try:  # Typer 0.2x raises the click it vendors; older Typer, click's own
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - Typer before it vendored click
    from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[assignment]

from argmap.cli import (
    batch_cmd,
    dashboard_cmd,
    db_cmd,
    eval_cmd,
    export_cmd,
    ingest_cmd,
    query_cmd,
    review_cmd,
    signals,
    threads_cmd,
)
from argmap.cli.common import fail, note
from argmap.cli.help_style import ArgmapCommand, adopt, tidy
from argmap.core.errors import ArgmapError

if TYPE_CHECKING:
    # Typer vendors click as ``typer._click`` and types ``TyperGroup.invoke`` with its Context;
    # no public name re-exports that class (``typer.Context`` is a subclass of it).
    from typer import _click


class ArgmapGroup(TyperGroup):
    """The top-level command group: the one place an ``ArgmapError`` becomes one line on stderr."""

    def get_params(self, ctx: _click.Context) -> list[Any]:
        return tidy(super().get_params(ctx))

    def get_command(self, ctx: _click.Context, cmd_name: str) -> Any:
        return adopt(super().get_command(ctx, cmd_name))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:  # `argmap --bogus`
            raise _usage_line(exc) from None

    def invoke(self, ctx: _click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            except UsageError as exc:  # a mistyped command or option, a missing argument
                raise _usage_line(exc) from None
            except Exception as exc:  # a library's clean-up that failed under a signal
                interrupt = signals.behind(exc)
                if interrupt is None:
                    raise
                raise interrupt from None
        except ArgmapError as exc:
            # What was said before it failed (a file read as Windows-1252) explains the error.
            for line in getattr(exc, "__notes__", ()):
                note(line)
            raise fail(str(exc)) from None
        except KeyboardInterrupt as exc:  # Ctrl-C, and SIGTERM/SIGHUP (cli.signals)
            code = signals.exit_code(exc)
            try:
                stop = fail(
                    f"{signals.what_happened(exc)}; what was written is kept, re-run to resume",
                    code,
                )
            except OSError:  # SIGHUP: the terminal that would show the line is gone
                stop = typer.Exit(code)
            signals.said()
            others = [t for t in threading.enumerate() if t is not threading.main_thread()]
            if any(t.is_alive() and not t.daemon for t in others):
                # LLM requests still in flight: Python would wait for each (and its retries,
                # minutes) before exiting. What was written is committed; their answers go.
                with suppress(OSError):  # a closed terminal (SIGHUP) cannot take them
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
            raise stop from None
        except BrokenPipeError:  # `argmap export | head`: the reader left; nothing to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
            where = f" ({exc.filename})" if exc.filename else ""
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                todo = "free some space, then re-run"
            elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):
                todo = "check the path and its permissions, then re-run"
            else:
                todo = "re-run once that is fixed"
            raise fail(f"{exc.strerror or exc}{where}; {todo}") from None


def _usage_line(exc: UsageError) -> Exception:
    """A usage error as one ``argmap: error:`` line naming the help to read, exit code 2 as click's.

    Typer draws these as a boxed panel under the usage line (five lines for a typo); the
    suggestion ("Did you mean 'ingest'?") is in the message and stays.
    """
    if isinstance(exc, NoArgsIsHelpError):  # `argmap db` alone: the help is the answer
        return exc
    where = exc.ctx.command_path if exc.ctx is not None else "argmap"
    what = exc.format_message().strip()
    if not what.endswith((".", "?", "!")):
        what += "."
    return fail(f"{what} See `{where} --help`.", exc.exit_code)


app = typer.Typer(
    name="argmap",
    cls=ArgmapGroup,
    help="Turn a comment thread into an argument graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"argmap {package_version('argmap')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print argmap's version and exit."
        ),
    ] = False,
) -> None:
    """Turn a comment thread into an argument graph."""


app.command("ingest", cls=ArgmapCommand)(ingest_cmd.ingest)
app.command("export", cls=ArgmapCommand)(export_cmd.export)
app.command("eval", cls=ArgmapCommand)(eval_cmd.eval_labels)
app.command("demo", cls=ArgmapCommand)(dashboard_cmd.demo)
app.command("dashboard", cls=ArgmapCommand)(dashboard_cmd.dashboard)
app.command("cypher", cls=ArgmapCommand)(query_cmd.cypher)
app.add_typer(threads_cmd.app, name="threads")
app.add_typer(db_cmd.app, name="db")
app.add_typer(query_cmd.app, name="query")
app.add_typer(batch_cmd.app, name="batch")
app.add_typer(review_cmd.app, name="review")
