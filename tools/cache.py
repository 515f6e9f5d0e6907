"""Where the test tools keep what they fetch once (axe-core from npm, JGraphT from Maven
Central): a per-user cache outside the repository, so nothing fetched is vendored and later runs
are offline."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/argmap``, else ``~/.cache/argmap`` (the XDG default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "argmap"
