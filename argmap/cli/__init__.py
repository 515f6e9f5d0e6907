"""The ``argmap`` command line. Commands are thin: they parse options and call the library.

This module stays light: :func:`main` installs the signal handlers before it imports the commands
(typer, rich, the stores: a second or more on a busy machine), so a SIGTERM or SIGHUP landing
there is one line and 143/129 too. Before, Python's default held until then and the command died
without a word (-15). ``from argmap.cli import app`` still gives the command group.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from typing import Any

from argmap.cli import signals


def main() -> None:
    """Console-script entry point."""
    signals.install()
    try:
        from argmap.cli.commands import app  # the commands: imported once a signal is handled

        app()
    except KeyboardInterrupt as exc:  # before a command ran (importing or building the commands)
        # Printed here, not by cli.common's fail: that import may be the one just stopped.
        with suppress(OSError):
            print(
                f"argmap: error: {signals.what_happened(exc)} before it started; "
                "nothing was written",
                file=sys.stderr,
            )
        signals.said()
        sys.exit(signals.exit_code(exc))


def __getattr__(name: str) -> Any:
    # `from argmap.cli import app`: the command group, imported on first use.
    if name == "app":
        from argmap.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
