"""``argmap ingest URL`` keeps the page in a temporary file while it reads it: a temporary folder
that cannot take it is one line that says so, and the store keeps what it held.

Each case runs the real CLI in a subprocess, in a mount namespace of its own (``unshare -m``)
where the folders are made read-only or small: we run as root, for whom ``chmod`` stops nothing,
and Python's ``tempfile`` would fall back from an unusable ``TMPDIR`` to ``/tmp``, ``/var/tmp``
and the working folder, so every one of them is made unusable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from argmap.graph.store import Store
from source_server import serve_fixtures

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ARGMAP = shutil.which("argmap")
HN_THREAD = "/api/v1/items/40100000"  # 3 KiB
WORDPRESS_PAGE = "/2023/03/14/water-butts-rule/"  # 7 KiB: more than the small folder holds


def _namespaces_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = ["unshare", "-m", "--propagation", "private", "mount", "-o", "bind,ro", "/", "/"]
    return subprocess.run(probe, capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(
    not _namespaces_work(),
    reason="needs a mount namespace (unshare -m as root, or CAP_SYS_ADMIN) to make every "
    "temporary folder unusable, which chmod cannot do for root",
)


@pytest.fixture
def server() -> Iterator[str]:
    with serve_fixtures() as url:
        yield url


def argmap(*args: str, setup: str = "true", env: dict[str, str] | None = None, cwd: Path):
    """The real ``argmap`` CLI, run after the shell commands ``setup`` in a mount namespace of
    its own (its mounts vanish with it)."""
    script = f'{setup} && exec "$@"'
    argv = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", str(ARGMAP)]
    return subprocess.run(
        [*argv, *args],
        env={**os.environ, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def posts(store: Store) -> int:
    return store.run_read("MATCH (p:Post) RETURN count(p) AS n")[0]["n"]


@pytest.fixture
def ingested(argmap_env: Path, store: Store, tmp_path: Path) -> int:
    """A thread already in the store (from a file): how many posts it holds."""
    done = argmap(
        "ingest", str(FIXTURES / "reddit_thread.json"), "-e", "offline", "-q", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert posts(store) > 0
    return posts(store)


def test_no_temporary_folder_to_write_in_is_one_line_and_loses_nothing(
    ingested: int, store: Store, server: str, tmp_path: Path
) -> None:
    url = f"{server}{HN_THREAD}"
    # TMPDIR under a regular file (no one can make it); the fallbacks and the working folder
    # read-only mounts.
    read_only = " && ".join(f'mount -o bind,ro "{d}" "{d}"' for d in ("/tmp", "/var/tmp", tmp_path))
    failed = argmap(
        "ingest", url, "-e", "offline", "-q",
        setup=read_only, env={"TMPDIR": "/dev/null/tmp"}, cwd=tmp_path,
    )  # fmt: skip
    assert failed.returncode == 1 and failed.stdout == ""
    (line,) = failed.stderr.strip().splitlines()
    assert line.startswith(f"argmap: error: {url}: cannot make a temporary file to fetch it into ")
    assert line.endswith("set TMPDIR to a writable folder, or save the page and ingest the file")
    assert posts(store) == ingested

    # With a folder to write in, the same command ingests the thread.
    again = argmap("ingest", url, "-e", "offline", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("1 article, 6 comments, 7 claims, 1 relation ")
    assert posts(store) == ingested + 7


def tiny_folder(tmp_path: Path) -> Path:
    """A folder for ``mount_tiny``: the temporary folder of a command that must run out of room."""
    small = tmp_path / "small"
    small.mkdir()
    return small


def mount_tiny(folder: Path) -> str:
    """The shell line that mounts a 4 KiB tmpfs on ``folder`` inside the command's namespace."""
    return f'mount -t tmpfs -o size=4k none "{folder}"'


def test_a_temporary_folder_too_small_for_the_page_is_one_line_and_loses_nothing(
    ingested: int, store: Store, server: str, tmp_path: Path
) -> None:
    # Was: "argmap: error: No space left on device; free some space, then re-run", which names
    # neither the page nor the folder (the file's buffer was written out only when it closed,
    # past the line that says where).
    url = f"{server}{WORDPRESS_PAGE}"
    small = tiny_folder(tmp_path)
    failed = argmap(
        "ingest", url, "-e", "offline", "-q",
        setup=mount_tiny(small), env={"TMPDIR": str(small)}, cwd=tmp_path,
    )  # fmt: skip
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.strip().splitlines() == [
        f"argmap: error: {url}: cannot keep the page while reading it (No space left on device); "
        "free space in the temporary folder (TMPDIR), or save the page and ingest the file"
    ]
    assert posts(store) == ingested

    again = argmap("ingest", url, "-e", "offline", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert posts(store) > ingested


def test_in_one_command_the_sources_before_the_page_go_in_and_the_page_says_why_not(
    argmap_env: Path, store: Store, server: str, tmp_path: Path
) -> None:
    url = f"{server}{WORDPRESS_PAGE}"
    small = tiny_folder(tmp_path)
    failed = argmap(
        "ingest", str(FIXTURES / "hn_item.json"), url, "-e", "offline",
        setup=mount_tiny(small), env={"TMPDIR": str(small)}, cwd=tmp_path,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "hn_item.json: 1 article, 6 comments, 7 claims" in failed.stdout, failed.stdout
    errors = failed.stderr.strip().splitlines()
    assert errors[0].startswith(f"argmap: error: {url}: cannot keep the page while reading it")
    assert errors[1].startswith("argmap: error: 1 of 2 sources could not be ingested")
    assert posts(store) == 7  # the file's article and comments, kept
