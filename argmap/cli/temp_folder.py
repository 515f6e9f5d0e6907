"""A mistyped ``TMPDIR``: Python's ``tempfile`` passes over a ``TMPDIR`` it cannot write in and
uses ``/tmp`` (or ``/var/tmp``, or the working folder) without a word. A user who set it meant
their files to go there, so the commands that write temporary files say where they went instead.
"""

from __future__ import annotations

import os
import tempfile


def tmpdir_note() -> str | None:
    """One line when ``$TMPDIR`` is set but cannot take a file: why, and the folder Python's
    ``tempfile`` uses instead; None when it can (or is not set), or when no folder can (the
    command then fails with its own line, naming TMPDIR)."""
    asked = os.environ.get("TMPDIR")
    if not asked:
        return None
    try:  # the probe tempfile itself makes: a file created (and removed) in the folder
        with tempfile.TemporaryFile(dir=asked):
            return None
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
    try:
        instead = tempfile.gettempdir()
    except OSError:
        return None
    return (
        f"TMPDIR={asked} cannot take a temporary file ({why}); temporary files go to {instead} "
        "instead (set TMPDIR to a writable folder, or unset it)"
    )
