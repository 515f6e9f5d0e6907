"""The session's Neo4j fixture skips only for a machine without Java (or Maven, or Maven
Central), says so, and fails instead under ARGMAP_REQUIRE_NEO4J=1 (as in CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NEEDS_NEO4J = """
def test_needs_neo4j(neo4j_store):
    assert neo4j_store.run_read("RETURN 1 AS x") == [{"x": 1}]
"""


def run_without_java(tmp_path: Path, require: bool) -> subprocess.CompletedProcess[str]:
    """pytest on one Neo4j test, with a PATH that has python but no java."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("python3", "python"):
        if not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(sys.executable)
    test = tmp_path / "test_needs_neo4j.py"
    test.write_text(NEEDS_NEO4J)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ARGMAP_"))}
    env.pop("JAVA_HOME", None)
    env["PATH"] = str(bin_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), str(ROOT)])
    if require:
        env["ARGMAP_REQUIRE_NEO4J"] = "1"
    # The suite's conftest loaded as a plugin: the same fixtures, for a test file outside it.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "conftest"]
        + ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), str(test)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_java_the_neo4j_tests_skip_and_say_why(tmp_path: Path) -> None:
    if shutil.which("java", path=str(tmp_path / "bin")):
        pytest.fail("the stripped PATH still finds java")
    result = run_without_java(tmp_path, require=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "Neo4j tests skipped: no java: install a JDK 17 or 21" in result.stdout


def test_without_java_a_run_that_requires_neo4j_fails(tmp_path: Path) -> None:
    result = run_without_java(tmp_path, require=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Neo4j is required here (ARGMAP_REQUIRE_NEO4J) but no java" in result.stdout
