"""Find Java and build the launcher: compile it and resolve Neo4j's jars with Maven, cached.

Part of tools/neo4j/server.py (import from there): ``build()`` returns the classpath the
server runs with, and :class:`Neo4jLauncherError` is what every part of the launcher raises.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
NEO4J_VERSION = "5.26.30"  # keep in step with <neo4j.version> in pom.xml
LAUNCHER_CLASS = "argmap.neo4j.Launcher"


class Neo4jLauncherError(RuntimeError):
    """The server could not be built or started; the message says what to do."""


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
                + tail(output, 40)
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


def tail(text: str, lines: int) -> str:
    """The last ``lines`` lines of ``text`` (for error messages quoting a tool's output)."""
    return "\n".join(text.splitlines()[-lines:])
