"""The running server: ``start()`` launches the JVM and waits until it serves, ``Neo4jServer``
stops it, ``free_port()`` finds a port for it.

Part of tools/neo4j/server.py (import from there).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from neo4j_build import LAUNCHER_CLASS, TOOLS_DIR, Neo4jLauncherError, build, java_executable, tail
from neo4j_config import (
    DEFAULT_HEAP,
    DEFAULT_HEAP_INITIAL,
    DEFAULT_PAGECACHE,
    DEFAULT_TX_MAX,
    DEFAULT_TX_TOTAL_MAX,
    JVM_OPTIONS,
    config_lines,
)

READY = "ARGMAP-NEO4J READY"  # printed by Launcher.java once the password is set
MIN_PASSWORD_LENGTH = 8  # Neo4j's default dbms.security.auth_minimum_password_length


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _accepts(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class Neo4jServer:
    """A running server started by :func:`start`; also a context manager.

    A plain class, not a dataclass: dataclasses fail in a module loaded by file path
    without a sys.modules entry, which is how a conftest may well load the launcher.
    """

    def __init__(
        self,
        uri: str,
        bolt_port: int,
        http_port: int | None,
        data_dir: Path,
        log_path: Path,
        version: str,
        process: subprocess.Popen,
        started_in: float = 0.0,
    ) -> None:
        self.uri = uri
        self.bolt_port = bolt_port
        self.http_port = http_port
        self.data_dir = data_dir
        self.log_path = log_path
        self.version = version  # as Neo4j reports it, e.g. "5.26.30"
        self.process = process
        self.started_in = started_in  # seconds from launching java to ready

    def __repr__(self) -> str:
        return f"Neo4jServer(uri={self.uri!r}, pid={self.pid}, data_dir={str(self.data_dir)!r})"

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def http_uri(self) -> str | None:
        return f"http://127.0.0.1:{self.http_port}" if self.http_port else None

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 60.0) -> int:
        """SIGTERM (Neo4j closes its stores cleanly), then SIGKILL after ``grace`` seconds.
        Returns the exit code, 143 after a clean stop (the JVM's code for SIGTERM); calling
        it again is harmless."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> Neo4jServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(
    data_dir: str | Path,
    bolt_port: int,
    password: str,
    http_port: int | None = None,
    log_path: str | Path | None = None,
    *,
    heap: str = DEFAULT_HEAP,
    heap_initial: str = DEFAULT_HEAP_INITIAL,
    pagecache: str = DEFAULT_PAGECACHE,
    tx_total_max: str = DEFAULT_TX_TOTAL_MAX,
    tx_max: str = DEFAULT_TX_MAX,
    extra_settings: dict[str, str] | None = None,
    timeout: float = 120.0,
    tools_dir: str | Path = TOOLS_DIR,
    die_with_parent: bool = True,
) -> Neo4jServer:
    """Start Neo4j on 127.0.0.1:``bolt_port`` with its files under ``data_dir``.

    User ``neo4j`` gets ``password`` (on every start, so the one given always works).
    Returns once Bolt accepts connections and the password is set, or raises
    :class:`Neo4jLauncherError` with the end of the server's log after ``timeout`` seconds.
    ``data_dir`` is Neo4j's home: DATA/data holds the databases, DATA/logs the logs; a
    second start on the same directory sees the same data. ``log_path`` (default
    DATA/logs/launcher.log) gets the JVM's output. ``heap``/``heap_initial`` are -Xmx/-Xms;
    ``pagecache``, ``tx_total_max`` and ``tx_max`` set server.memory.pagecache.size,
    db.memory.transaction.total.max and db.memory.transaction.max; ``extra_settings`` adds
    or overrides neo4j.conf settings. With ``die_with_parent`` (Linux) the
    server gets SIGTERM when the thread that started it exits, so a killed test run leaves
    no JVM behind; start it from the main thread or pass False.
    """
    if not password or len(password) < MIN_PASSWORD_LENGTH:
        raise Neo4jLauncherError(
            f"the Neo4j password must have at least {MIN_PASSWORD_LENGTH} characters"
        )
    for port in filter(None, (bolt_port, http_port)):
        if _accepts(port):
            raise Neo4jLauncherError(f"port {port} on 127.0.0.1 is already in use")
    classpath = build(tools_dir)
    java = java_executable()

    data_dir = Path(data_dir).resolve()
    conf = data_dir / "conf" / "argmap-neo4j.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    lines = config_lines(
        bolt_port,
        http_port,
        pagecache=pagecache,
        tx_total_max=tx_total_max,
        tx_max=tx_max,
        extra=extra_settings,
    )
    conf.write_text(
        "# Written by tools/neo4j/server.py on every start.\n" + "\n".join(lines) + "\n"
    )
    log_path = Path(log_path) if log_path else data_dir / "logs" / "launcher.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)

    command = [
        java, f"-Xms{heap_initial}", f"-Xmx{heap}", *JVM_OPTIONS,
        "-cp", classpath, LAUNCHER_CLASS, str(data_dir), str(conf),
    ]  # fmt: skip
    # The password goes through the environment, not argv, so ps does not show it.
    env = {**os.environ, "NEO4J_PASSWORD": password}
    with open(log_path, "ab") as log:
        offset = log.tell()
        began = time.monotonic()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=data_dir,
            preexec_fn=_die_with_parent if die_with_parent else None,
        )
    try:
        version = _wait_ready(process, log_path, offset, bolt_port, began + timeout)
    except BaseException:
        # Includes Ctrl-C while waiting: never leave a half-started JVM behind.
        if process.poll() is None:
            process.kill()
            process.wait()
        raise
    return Neo4jServer(
        uri=f"bolt://127.0.0.1:{bolt_port}",
        bolt_port=bolt_port,
        http_port=http_port,
        data_dir=data_dir,
        log_path=log_path,
        version=version,
        process=process,
        started_in=time.monotonic() - began,
    )


def _wait_ready(process, log_path: Path, offset: int, port: int, deadline: float) -> str:
    """Wait for the READY line and an accepting Bolt port; return Neo4j's version."""
    version = None
    while True:
        if version is None:
            with open(log_path, "rb") as f:
                f.seek(offset)
                for line in f.read().decode("utf-8", "replace").splitlines():
                    if line.startswith(READY):
                        version = line.rpartition("neo4j=")[2].strip() or "unknown"
        if version is not None and _accepts(port):
            return version
        if process.poll() is not None:
            raise Neo4jLauncherError(
                f"Neo4j exited with code {process.returncode} before it was ready; "
                f"end of {log_path}:\n{_tail_file(log_path, offset)}"
            )
        if time.monotonic() > deadline:
            raise Neo4jLauncherError(
                f"Neo4j was not ready on 127.0.0.1:{port} in time; "
                f"end of {log_path}:\n{_tail_file(log_path, offset)}"
            )
        time.sleep(0.2)


def _die_with_parent() -> None:
    """In the child before exec: ask Linux for SIGTERM when the parent goes away."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the caller's stop() is the only cleanup


def _tail_file(path: Path, offset: int, lines: int = 40) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return tail(f.read().decode("utf-8", "replace"), lines)
    except OSError as exc:
        return f"(cannot read it: {exc})"
