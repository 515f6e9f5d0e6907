"""How far the conversion of a first-release store (``graph.log_convert``) has got, for the
processes that meet the store meanwhile.

The converting process holds the store's start lock for the whole conversion, and no server
answers on the store's socket until it ends: ``argmap db status`` said "not running", ``db stop``
said "not running" too, and a second command waited on the lock without a word. The conversion
notes in ``converting/progress.json`` its pid, its stage and how much of the log it has sent
again; they read it from there.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from pathlib import Path
from typing import IO

from argmap.graph.pids import same_process, start_ticks
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)
WORK_DIR = "converting"
_FILE = "progress.json"
_SAY_EVERY = 5.0  # seconds between two lines of a command waiting for the conversion
_STAGES = {"starting": "starting its server", "checking": "checking the converted store"}


class Conversion(BaseModel):
    """A conversion under way: who runs it, at which stage, and how many bytes of the log it
    has replayed of how many."""

    pid: int
    # When that process started (``graph.pids.start_ticks``): a conversion killed part-way leaves
    # its note, and the OS may give its pid to another process; None in an older argmap's note.
    started: int | None = None
    stage: str  # "starting", "replaying", then "checking" (the snapshot written and read back)
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> float:
        if self.stage != "replaying":
            return 100.0
        return 100.0 * min(self.done, self.total) / self.total if self.total else 0.0

    def describe(self) -> str:
        """``"replayed 40% of its log (pid 123)"``, ``"checking the converted store (pid 123)"``."""
        if self.stage == "replaying":
            return f"replayed {self.percent:.0f}% of its log (pid {self.pid})"
        return f"{_STAGES.get(self.stage, self.stage)} (pid {self.pid})"


def note_progress(work: Path, stage: str, done: int = 0, total: int = 0) -> None:
    """Note this process's conversion in ``work`` (the ``converting/`` folder) at ``stage``."""
    pid = os.getpid()
    note = Conversion(pid=pid, started=start_ticks(pid), stage=stage, done=done, total=total)
    part = work / (_FILE + ".part")
    part.write_text(note.model_dump_json(), encoding="utf-8")
    os.replace(part, work / _FILE)  # a reader never sees half a note


def conversion_in_progress(data_dir: str | Path) -> Conversion | None:
    """The conversion of the store in ``data_dir`` under way now; ``None`` when none is (no
    note, or its process is gone, its pid now another process's: a conversion killed part-way
    starts over on the next open)."""
    path = Path(data_dir).expanduser().resolve() / WORK_DIR / _FILE
    try:
        note = Conversion.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None
    return note if same_process(note.pid, note.started) else None


def take_start_lock(lock: IO[str], data_dir: Path) -> None:
    """Take the start lock of the store in ``data_dir`` (``lock``, its open lock file); while a
    conversion holds it, say so at once and then every few seconds, with how far it got."""
    said: float | None = None
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass  # held: another process starts the server (a moment), or converts the store
        conversion = conversion_in_progress(data_dir)
        if conversion is not None and (said is None or time.monotonic() - said >= _SAY_EVERY):
            log.warning(
                "the store in %s, written by an argmap before 2026-12-05, is being converted "
                "(once): %s; waiting for it",
                data_dir,
                conversion.describe(),
            )
            said = time.monotonic()
        time.sleep(0.05)
