"""Start a real Neo4j 5.26 Community server, built from Maven Central jars, on 127.0.0.1.

For argmap's tests, CI and development: no Docker, no tarball download, stdlib only.

    from server import build, start, free_port        # tools/neo4j on sys.path
    server = start(tmp_dir, free_port(), "a-password")  # builds on first use
    ...  # neo4j.GraphDatabase.driver(server.uri, auth=("neo4j", "a-password"))
    server.stop()

Development, in the foreground until Ctrl-C (password from NEO4J_PASSWORD):

    python tools/neo4j/server.py --data .neo4j --port 7687

The Java side (pom.xml, src/main/java/argmap/neo4j/Launcher.java) is a thin main() around
Neo4j's embedded DBMS with its Bolt (and optionally HTTP) connector; every setting comes
from the config file this module writes, so what the server runs with is visible in
DATA/conf/argmap-neo4j.conf.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
NEO4J_VERSION = "5.26.30"  # keep in step with <neo4j.version> in pom.xml
READY = "ARGMAP-NEO4J READY"  # printed by Launcher.java once the password is set
LAUNCHER_CLASS = "argmap.neo4j.Launcher"
MIN_PASSWORD_LENGTH = 8  # Neo4j's default dbms.security.auth_minimum_password_length

# Test-sized memory. The transaction limits sit well below the heap, so a runaway query
# whose memory Neo4j tracks (collect, ORDER BY, DISTINCT, aggregation) fails with
# Neo.TransientError.General.MemoryPoolOutOfMemoryError and the server lives on.
DEFAULT_HEAP = "1g"  # -Xmx
DEFAULT_HEAP_INITIAL = "256m"  # -Xms: an idle server stays near 500 MB RSS instead of 700
DEFAULT_PAGECACHE = "256m"
DEFAULT_TX_TOTAL_MAX = "512m"  # all running transactions together
DEFAULT_TX_MAX = "256m"  # any one transaction

# The JVM options Neo4j's own launcher uses that matter here, minus -XX:+AlwaysPreTouch
# (it would commit the whole heap up front: a 1 GiB RSS for an idle test server).
# Deliberately no -XX:+ExitOnOutOfMemoryError: some memory is not tracked (a list
# comprehension over range(1, 1500000000) fills the heap), and without the flag Neo4j
# answers that query with Neo.TransientError.General.OutOfMemoryError and serves the next;
# with it, the JVM exits.
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


class Neo4jLauncherError(RuntimeError):
    """The server could not be built or started; the message says what to do."""


# --------------------------------------------------------------------------- build


def java_executable() -> str:
    """``$JAVA_HOME/bin/java`` when JAVA_HOME is set, else ``java`` on PATH (Neo4j 5.26
    runs on Java 17 or 21)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        java = Path(java_home) / "bin" / "java"
        if not java.is_file():
            raise Neo4jLauncherError(f"JAVA_HOME={java_home} has no bin/java; unset it or fix it")
        return str(java)
    java = shutil.which("java")
    if not java:
        raise Neo4jLauncherError(
            "no java: install a JDK 17 or 21 (apt-get install openjdk-17-jdk-headless) "
            "or set JAVA_HOME"
        )
    return java


def _build_inputs(tools_dir: Path) -> list[Path]:
    return [tools_dir / "pom.xml", *sorted((tools_dir / "src").rglob("*.java"))]


def _cached_classpath(tools_dir: Path) -> str | None:
    """The classpath of an earlier build that is still good, else None."""
    target = tools_dir / "target"
    cp_file = target / "classpath.txt"
    launcher = target / "classes" / Path(*LAUNCHER_CLASS.split(".")).with_suffix(".class")
    # Touched after each good build: Maven leaves an unchanged classpath.txt's mtime alone.
    stamp = target / ".built"
    if not (cp_file.is_file() and launcher.is_file() and stamp.is_file()):
        return None
    if any(p.stat().st_mtime > stamp.stat().st_mtime for p in _build_inputs(tools_dir)):
        return None
    jars = cp_file.read_text().strip().split(os.pathsep)
    # A wiped ~/.m2 leaves the file pointing at nothing: rebuild (and download) then.
    if not jars or not all(Path(j).is_file() for j in jars):
        return None
    return os.pathsep.join([str(target / "classes"), *jars])


def build(tools_dir: str | Path = TOOLS_DIR) -> str:
    """Compile the launcher and resolve Neo4j's jars with Maven; return the classpath.

    The first build downloads about 160 MB (jars and Maven plugins) into ~/.m2, about 25 s
    on a fast line; later builds are offline (about 6 s), and a build whose inputs have not
    changed is skipped entirely.
    Safe to call from several processes at once (pytest-xdist workers).
    """
    tools_dir = Path(tools_dir).resolve()
    cached = _cached_classpath(tools_dir)
    if cached:
        return cached
    java_executable()  # fail on a missing JDK before blaming Maven
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jLauncherError(
            "no mvn: install Maven 3 (apt-get install maven); it fetches Neo4j's jars "
            "from Maven Central once, into ~/.m2"
        )
    target = tools_dir / "target"
    target.mkdir(exist_ok=True)
    with open(target / ".build.lock", "w") as lock:
        _flock(lock)
        cached = _cached_classpath(tools_dir)  # another process may have just built it
        if cached:
            return cached
        began = time.time()
        result = subprocess.run(
            [mvn, "-B", "-q", "-Dstyle.color=never", "-f", str(tools_dir / "pom.xml"), "compile"],
            cwd=tools_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            hint = (
                "Maven Central was not reachable and ~/.m2 lacks the jars"
                if any(s in output for s in ("resolve", "transfer", "Unknown host", "offline"))
                else "see Maven's output"
            )
            raise Neo4jLauncherError(
                f"building the Neo4j launcher failed ({hint}): mvn -q compile in {tools_dir}\n"
                + _tail(output, 40)
            )
        stamp = target / ".built"
        stamp.touch()
        os.utime(stamp, (began, began))  # inputs edited during the build count as newer
    cached = _cached_classpath(tools_dir)
    if not cached:
        raise Neo4jLauncherError(f"mvn succeeded but left no target/classpath.txt in {tools_dir}")
    return cached


def _flock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, a concurrent build only wastes time
        return
    fcntl.flock(handle, fcntl.LOCK_EX)


# --------------------------------------------------------------------------- start


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
    without a sys.modules entry, which is how a conftest may well load this one.
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


def config_lines(
    bolt_port: int,
    http_port: int | None = None,
    *,
    pagecache: str = DEFAULT_PAGECACHE,
    tx_total_max: str = DEFAULT_TX_TOTAL_MAX,
    tx_max: str = DEFAULT_TX_MAX,
    extra: dict[str, str] | None = None,
) -> list[str]:
    """The neo4j.conf settings the launcher runs with."""
    settings = {
        # Loopback only, plain Bolt (no certificates to manage for a local test server).
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        # Drivers using neo4j:// get this address back in the routing table.
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.tls_level": "DISABLED",
        "server.http.enabled": "true" if http_port else "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        # No usage reports to neo4j.com (pom.xml also leaves the reporter's jar out).
        "dbms.usage_report.enabled": "false",
        "server.memory.pagecache.size": pagecache,
        "db.memory.transaction.total.max": tx_total_max,
        "db.memory.transaction.max": tx_max,
        # Netty waits 5 s of quiet per event loop group before closing Bolt, so a clean stop
        # took about 10 s; 0 makes it well under a second. An internal setting: if a newer
        # 5.26.x drops it, strict config validation refuses to start and says so.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
    }
    if http_port:
        settings["server.http.listen_address"] = f"127.0.0.1:{http_port}"
        settings["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
    settings.update(extra or {})
    return [f"{k}={v}" for k, v in settings.items()]


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


def _tail(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _tail_file(path: Path, offset: int, lines: int = 40) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return _tail(f.read().decode("utf-8", "replace"), lines)
    except OSError as exc:
        return f"(cannot read it: {exc})"


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run a Neo4j 5.26 Community server on 127.0.0.1 until Ctrl-C "
        "(password of user neo4j from NEO4J_PASSWORD).",
    )
    parser.add_argument("--data", required=True, help="directory for the databases and logs")
    parser.add_argument("--port", type=int, default=7687, help="Bolt port (default 7687)")
    parser.add_argument("--http-port", type=int, help="also serve Neo4j's HTTP API on this port")
    parser.add_argument("--heap", default=DEFAULT_HEAP, help=f"JVM heap (default {DEFAULT_HEAP})")
    parser.add_argument("--pagecache", default=DEFAULT_PAGECACHE)
    parser.add_argument("--tx-total-max", default=DEFAULT_TX_TOTAL_MAX)
    parser.add_argument("--tx-max", default=DEFAULT_TX_MAX)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for start")
    args = parser.parse_args(argv)

    password = os.environ.get("NEO4J_PASSWORD", "")
    if not password:
        parser.error("set NEO4J_PASSWORD: it becomes the password of user neo4j")
    data_dir = Path(args.data)
    log_path = data_dir / "logs" / "launcher.log"
    print(
        f"starting Neo4j {NEO4J_VERSION} in {data_dir.resolve()} (log: {log_path}) ...", flush=True
    )
    try:
        server = start(
            data_dir, args.port, password, http_port=args.http_port, log_path=log_path,
            heap=args.heap, pagecache=args.pagecache, tx_total_max=args.tx_total_max,
            tx_max=args.tx_max, timeout=args.timeout,
        )  # fmt: skip
    except Neo4jLauncherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(
        f"Neo4j {server.version} ready in {server.started_in:.1f}s at {server.uri}"
        + (f" (HTTP {server.http_uri})" if server.http_port else "")
        + f", user neo4j, pid {server.pid}. Ctrl-C stops it.",
        flush=True,
    )
    # Ctrl-C reaches the JVM too (same process group) and it shuts down by itself; wait
    # for that, or send SIGTERM ourselves when we are the one told to stop.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = server.process.wait()
        print(f"Neo4j exited with code {code}; see {log_path}", file=sys.stderr)
        return code or 1
    except KeyboardInterrupt:
        print("stopping Neo4j ...", flush=True)
        while True:
            try:  # a second Ctrl-C must not orphan the JVM mid-shutdown
                server.stop()
                break
            except KeyboardInterrupt:
                continue
        print("stopped", flush=True)
        return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
