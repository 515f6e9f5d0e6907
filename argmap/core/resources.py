"""Files shipped inside the package: the LLM prompts and the bundled sample thread."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

SAMPLE_NAME = "joining-the-iso-2013.txt"


def prompt_files() -> Traversable:
    """The folder of versioned prompt files (``argmap.prompts``)."""
    return files("argmap.prompts")


def sample_thread() -> Path:
    """The bundled sample thread (a 2013 WordPress post with 187 comments) as a file path."""
    # pip installs unpacked, so the resource is a real file; a zipped install would need as_file().
    return Path(str(files("argmap.examples").joinpath(SAMPLE_NAME)))
