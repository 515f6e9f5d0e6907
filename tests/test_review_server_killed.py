"""A review decision survives a killed *server* whole or not at all (the embedded FalkorDB).

``test_review_atomic`` kills the client; here the server itself gets SIGKILL in the middle of a
decision's MULTI/EXEC block (``Store.run_unit``), and starts again from its append-only log:
- after MULTI and some of the block's statements reached it, before the EXEC: nothing of the
  decision is there (queued statements are only in the server's memory);
- after it ran the block and answered (the answer withheld from the client): all of it is there
  (the block is in the log, between MULTI and EXEC, before the server answers);
- a log whose last block was cut short while being written (what a kill in the middle of the
  write would leave): the server still starts, without that block (``aof-load-truncated``).
Then the next commands go on from there, as after a killed client.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from argmap.graph.embedded import ensure_server, server_paths, server_pid
from argmap.graph.falkordb_store import FalkorDBStore
from argmap.graph.pids import kill_and_wait
from argmap.graph.schema import ensure_schema
from argmap.graph.store import Store
from argmap.ingest.pipeline import ingest
from step_relay import StepRelay
from test_review_atomic import FIRST_WRITE, check_whole_then_next_command, first_relation, seen
from test_robustness import ARGMAP, ROOT

BEFORE_EXEC = -1  # every statement of the block, not the EXEC


def commands(block: bytes) -> list[bytes]:
    """The RESP commands (arrays of bulk strings) ``block`` holds, each with its bytes."""
    out, at = [], 0
    while at < len(block):
        start = at
        end = block.index(b"\r\n", at)
        count = int(block[at + 1 : end])
        at = end + 2
        for _ in range(count):
            end = block.index(b"\r\n", at)
            at = end + 2 + int(block[at + 1 : end]) + 2
        out.append(block[start:at])
    return out


def first(n: int) -> Callable[[bytes], bytes]:
    """The part of a MULTI block the server gets: its first ``n`` commands (MULTI counts)."""

    def part(block: bytes) -> bytes:
        sent = commands(block)
        assert sent[0].endswith(b"MULTI\r\n") and sent[-1].endswith(b"EXEC\r\n"), sent[:1]
        return b"".join(sent[:n])

    return part


def everything(block: bytes) -> bytes:
    assert commands(block)[-1].endswith(b"EXEC\r\n")
    return block


class Sample:
    """The sample ingested into a new graph of the test's own server, and commands on it."""

    def __init__(self, data_dir: Path, sample: Path, graph: str) -> None:
        self.data_dir = data_dir
        self.socket = server_paths(data_dir).socket
        self.store: Store = FalkorDBStore(data_dir, graph, self.socket)
        ensure_schema(self.store)
        ingest(sample, self.store, extractor="offline")
        self.env = {**os.environ, "ARGMAP_DB": str(data_dir), "ARGMAP_GRAPH": graph}
        self.source, self.target, self.live = first_relation(self.store)

    def reject_while_server_dies(
        self, part: Callable[[bytes], bytes], after_answer: bool
    ) -> subprocess.CompletedProcess[str]:
        """``argmap review reject`` whose block reaches the server only as ``part`` gives it;
        the server is killed then (or once it answered, ``after_answer``) and started again."""
        real = self.socket.with_name(self.socket.name + ".real")
        self.socket.rename(real)
        relay = StepRelay.unix(str(self.socket), str(real), FIRST_WRITE, 0, part)
        args = ["review", "reject", self.source, self.target, "--reviewer", "Ann"]
        proc = subprocess.Popen(
            [*ARGMAP, *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
        )
        try:
            assert relay.held.wait(120), "the decision's block never came"
            if after_answer:
                assert relay.answer_held.wait(60), "the server never answered the block"
            pid = server_pid(self.data_dir)
            assert pid is not None and kill_and_wait(pid, 30)
        finally:
            relay.close()
            self.socket.unlink()
            real.rename(self.socket)
        out, err = proc.communicate(timeout=120)  # the client finds the server gone
        ensure_server(self.data_dir)  # as the next command does: the log read back
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    def whole_or_absent(self) -> str:
        """``"whole"`` or ``"absent"``, checked by the next commands going on from there."""
        now = seen(self.store, self.source, self.target)
        check_whole_then_next_command(self.store, self.env, self.source, self.target, self.live)
        return "whole" if now["reviews"] else "absent"


@pytest.mark.parametrize(
    ("queued", "expected"),
    [(1, "absent"), (2, "absent"), (BEFORE_EXEC, "absent")],
    ids=["multi-only", "one-statement-queued", "all-queued-no-exec"],
)
def test_a_server_killed_before_the_exec_keeps_none_of_the_decision(
    falkordb_own: Path, sample_path: Path, queued: int, expected: str
) -> None:
    sample = Sample(falkordb_own, sample_path, f"queued_{queued}")
    killed = sample.reject_while_server_dies(first(queued), after_answer=False)
    assert killed.returncode != 0
    assert "lost the embedded FalkorDB" in killed.stderr, killed.stderr
    assert sample.whole_or_absent() == expected


def test_a_server_killed_after_running_the_block_keeps_all_of_the_decision(
    falkordb_own: Path, sample_path: Path
) -> None:
    sample = Sample(falkordb_own, sample_path, "answered")
    sample.reject_while_server_dies(everything, after_answer=True)
    # The client never saw the answer: it may fail, or re-send the block to the new server
    # (the decision's mark takes the version once); either way the decision is there once.
    assert sample.whole_or_absent() == "whole"


def test_a_server_killed_as_the_exec_arrives_keeps_all_or_none(
    falkordb_own: Path, sample_path: Path
) -> None:
    sample = Sample(falkordb_own, sample_path, "exec_sent")
    sample.reject_while_server_dies(everything, after_answer=False)
    assert sample.whole_or_absent() in ("whole", "absent")


def test_a_log_cut_inside_the_last_block_loads_without_it(
    falkordb_own: Path, sample_path: Path
) -> None:
    sample = Sample(falkordb_own, sample_path, "cut_log")
    done = subprocess.run(
        [*ARGMAP, "review", "reject", sample.source, sample.target, "--reviewer", "Ann"],
        env=sample.env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    pid = server_pid(falkordb_own)
    assert pid is not None and kill_and_wait(pid, 30)
    (log,) = (falkordb_own / "appendonlydir").glob("*.incr.aof")
    data = log.read_bytes()
    # The decision's block is the last MULTI/EXEC (the derived data's refresh follows it, one
    # query at a time): the log is cut in its middle, and what came after is lost with it.
    block = data.rindex(b"*1\r\n$5\r\nMULTI\r\n")
    end = data.index(b"*1\r\n$4\r\nEXEC\r\n", block)
    assert b"reject" in data[block:end]
    log.write_bytes(data[: (block + end) // 2])
    ensure_server(falkordb_own)
    assert sample.whole_or_absent() == "absent"
