"""Which secrets files ``argmap dashboard`` lets Streamlit look for.

Streamlit looks for ``.streamlit/secrets.toml`` in the home folder, the working folder and the
served script's folder on every request, and lets any error but "no such file" out of it: with
HOME set to a regular file (``/dev/null`` for a service account, a mistyped path) every page and
``/_stcore/health`` answered HTTP 500. argmap keeps nothing in Streamlit's secrets, so a file
Streamlit cannot even look for is left off its list (``--secrets.files``); the rest are kept.
"""

from __future__ import annotations

from pathlib import Path

SECRETS = Path(".streamlit") / "secrets.toml"


def _lookup_fails(path: Path) -> bool:
    """Whether opening ``path`` fails other than with "no such file", as Streamlit's would:
    a folder on its way is a file (NotADirectoryError), unreadable, or the path is a folder."""
    try:
        with path.open("rb"):
            return False
    except FileNotFoundError:
        return False
    except OSError:
        return True


def secrets_files_args(script: Path) -> list[str]:
    """``--secrets.files`` options naming the secrets files Streamlit can look for (its own
    list, for ``script``, less those it cannot); none when it can look for all of them."""
    try:
        home: Path | None = Path.home()
    except RuntimeError:  # no HOME and no passwd entry: Streamlit's lookup fails the same way
        home = None
    candidates = [home / SECRETS if home else None, Path.cwd() / SECRETS, script.parent / SECRETS]
    usable = [path for path in candidates if path is not None and not _lookup_fails(path)]
    if len(usable) == len(candidates):
        return []  # Streamlit's default: the same files
    return [arg for path in usable for arg in ("--secrets.files", str(path))]
