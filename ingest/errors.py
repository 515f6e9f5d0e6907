"""Errors raised while reading sources and extracting arguments."""

from graph.errors import ArgmapError


class SourceError(ArgmapError):
    """A source file is missing, unreadable, of an unknown format, or not a whole thread."""


class ExtractionError(ArgmapError):
    """Extraction could not run (bad configuration, cost limit, ...)."""
