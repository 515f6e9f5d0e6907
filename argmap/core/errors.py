"""Errors a user can act on. The CLI prints their message as one line, never a traceback."""


class ArgmapError(Exception):
    """Base class for errors whose message tells the user what went wrong and what to do."""


class StoreUnavailable(ArgmapError):
    """The graph store cannot be reached or started."""


class StoreClosed(StoreUnavailable):
    """A store was used after its ``close()`` (or the end of its ``with`` block)."""


class ReadOnlyViolation(ArgmapError):
    """A query sent to the read-only console tried to write."""


class QueryError(ArgmapError):
    """A query was rejected by the store (syntax error, time limit, ...)."""


class SourceError(ArgmapError):
    """A source file is missing, unreadable, of an unknown format, or not a whole thread."""


class UnknownFormat(SourceError):
    """A file is no thread of any format argmap reads: empty, not text (a PDF, a picture), or of
    no known format. A folder's such files are skipped with a note; named alone, it is the error."""

    NO_FORMAT = "not a thread of a format argmap reads"  # text no detector took: --format may

    def __init__(self, message: str, what: str = NO_FORMAT):
        super().__init__(message)
        self.what = what  # a few words for the line saying a folder's file was skipped


class ExtractionError(ArgmapError):
    """Extraction could not run (bad configuration, cost limit, ...)."""


class ReviewError(ArgmapError):
    """A review action cannot apply (no such item, a parent that would make a cycle, ...)."""


class ReviewConflict(ReviewError):
    """Someone else changed the item since it was loaded: reload it and decide again."""
