"""Lay the source tree out as it installs, for tools that read files rather than import them.

The repository keeps graph/, ingest/, dashboard/ ... at the top and pyproject.toml maps them into
one package, ``argmap``; mypy and import-linter look for ``argmap/graph/`` on disk. This builds a
folder of symlinks with that shape (the real files stay where they are) and runs each tool in it:

    python tools/source_view.py mypy          # type-check argmap (core, graph, ingest, cli, dashboard)
    python tools/source_view.py lint-imports  # the layer contracts in pyproject.toml

Paths in the tools' output are given back as repository paths.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_dirs(root: Path = ROOT) -> dict[str, Path]:
    """``pyproject.toml``'s ``package-dir``: dotted package name -> folder in the repository."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["setuptools"]["package-dir"]
    return {name: root / folder for name, folder in mapping.items()}


def build_view(dest: Path, root: Path = ROOT) -> Path:
    """Symlink every mapped package into ``dest`` at its import path; returns ``dest``."""
    dirs = package_dirs(root)
    top = dest / "argmap"
    top.mkdir(parents=True)
    for entry in dirs["argmap"].iterdir():
        if entry.name != "__pycache__":
            (top / entry.name).symlink_to(entry)
    for name, folder in dirs.items():
        if name != "argmap":
            (dest / name.replace(".", "/")).symlink_to(folder, target_is_directory=True)
    return dest


def repo_paths(text: str, root: Path = ROOT) -> str:
    """Turn ``argmap/graph/store.py`` in a tool's output back into ``graph/store.py``."""
    # Longest names first, so argmap.graph wins over argmap.
    for name, folder in sorted(package_dirs(root).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(name.replace(".", "/") + "/", os.path.relpath(folder, root) + "/")
    return text


TOOLS = {
    "mypy": ["-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "argmap"],
    "lint-imports": [
        "-c",
        "from importlinter.cli import lint_imports_command; lint_imports_command()",
        "--no-cache",
        str(ROOT / "pyproject.toml"),
    ],
}


def run(tool: str) -> subprocess.CompletedProcess[str]:
    """Run ``tool`` (``mypy`` or ``lint-imports``) on a fresh view; output in repository paths."""
    with tempfile.TemporaryDirectory(prefix="argmap-view-") as tmp:
        view = build_view(Path(tmp))
        # The view first on the path, so imports resolve to it rather than to the editable install.
        env = dict(os.environ, PYTHONPATH=str(view), MYPYPATH=str(view))
        done = subprocess.run(
            [sys.executable, *TOOLS[tool]],
            cwd=view,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    return subprocess.CompletedProcess(
        done.args, done.returncode, repo_paths(done.stdout), repo_paths(done.stderr)
    )


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in TOOLS:
        sys.exit(f"usage: python tools/source_view.py {{{'|'.join(TOOLS)}}}")
    result = run(sys.argv[1])
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    sys.exit(result.returncode)
