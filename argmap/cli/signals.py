"""SIGTERM and SIGHUP end a command the way Ctrl-C does: one line, exit code 128 + the signal.

Python's default for both is to die on the spot: no line saying what happened, and no
``finally`` runs, so an export stopped by ``docker stop``, a CI timeout or a closed terminal left
its half-written temporary file next to the one the user asked for. Raised as a
``KeyboardInterrupt``, they take the path Ctrl-C already takes (what was written is kept, an
export's temporary file is removed, LLM requests in flight are abandoned).

A signal can land while Python runs a finaliser (the redis client's parser has a ``__del__``),
where an exception is printed ("Exception ignored in ...") and dropped: the command went on and
finished as if never asked to stop. There the handler raises nothing and asks again a moment
later, once the finaliser has returned. Ctrl-C gets the same handler for the same reason.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import suppress
from types import FrameType

HANDLED = (signal.SIGTERM, signal.SIGHUP)
RETRY_AFTER = 0.01  # seconds: a finaliser is a few calls; by then it has returned
GRACE = 10.0  # seconds a stopped command may spend tidying up before it is ended
_said = threading.Event()


class Stopped(KeyboardInterrupt):
    """A command ended by SIGTERM or SIGHUP (a ``KeyboardInterrupt``, so it unwinds like Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _in_finaliser(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def _stop(signum: int, frame: FrameType | None) -> None:
    if _in_finaliser(frame):  # raised here, it would be dropped: ask again once it returned
        retry = threading.Timer(RETRY_AFTER, os.kill, (os.getpid(), signum))
        retry.daemon = True
        retry.start()
        return
    _watchdog(signum)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    # A second signal while this one unwinds means "now": the default (die) from here on.
    for sig in HANDLED:
        signal.signal(sig, signal.SIG_DFL)
    raise Stopped(signum)


def said() -> None:
    """The one line has been printed: the watchdog need not print it again."""
    _said.set()


def _watchdog(signum: int) -> None:
    # Unwinding runs the stores' clean-up; the neo4j driver, stopped inside its own pool, was
    # seen to hang there for minutes (a CI run) after Ctrl-C. What was written is committed, so
    # after GRACE the command ends as the signal asked, whatever is still tidying up.
    timer = threading.Timer(GRACE, _force_exit, (signum,))
    timer.daemon = True
    timer.start()


def _force_exit(signum: int) -> None:
    stopped: KeyboardInterrupt = Stopped(signum) if signum in HANDLED else KeyboardInterrupt()
    if not _said.is_set():
        with suppress(OSError):
            line = f"argmap: error: {what_happened(stopped)}; what was written is kept, re-run to resume\n"
            os.write(2, line.encode())
    os._exit(exit_code(stopped))


def install() -> None:
    """Turn SIGTERM and SIGHUP into ``Stopped``, and SIGINT into ``KeyboardInterrupt``, in this
    (the main) thread, none of them lost in a finaliser."""
    for sig in (signal.SIGINT, *HANDLED):
        # An ignored signal stays ignored: `nohup argmap ingest ...` must outlive its terminal.
        if signal.getsignal(sig) != signal.SIG_IGN:
            signal.signal(sig, _stop)


def behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C, SIGTERM or SIGHUP that ``exc`` was raised while handling, if any.

    The neo4j driver, stopped mid-read, rolls its transaction back on the way out, and that
    fails on its half-filled buffer (``BufferError``): the signal showed as a traceback, exit 1.
    """
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__context__
    return None


def exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's convention: 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP)."""
    return 128 + (exc.signum if isinstance(exc, Stopped) else signal.SIGINT)


def what_happened(exc: KeyboardInterrupt) -> str:
    """The start of the one line: which signal ended the command."""
    if not isinstance(exc, Stopped):
        return "interrupted"
    if exc.signum == signal.SIGHUP:
        return "stopped: the terminal closed (SIGHUP)"
    return f"stopped by {signal.Signals(exc.signum).name}"
