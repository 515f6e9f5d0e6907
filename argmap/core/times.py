"""One convention for every time argmap stores: timezone-aware UTC.

A source that gives no zone (the flattened WordPress page, a CSV without an offset) is read as
UTC. Stores written before this convention hold naive ISO strings; ``parse_utc`` reads both, so
a store mixing them never subtracts a naive time from an aware one.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive ``value`` is taken to be UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_iso(value: datetime | None) -> str | None:
    """The ISO 8601 text argmap stores for ``value`` (always with ``+00:00``)."""
    return as_utc(value).isoformat() if value is not None else None


def utc_now() -> str:
    """Now as argmap stores the time of a review: UTC, always with microseconds and ``+00:00``
    (one length, so the text sorts as the time does)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def parse_utc(text: str) -> datetime:
    """A stored ISO time as an aware UTC datetime (``ValueError`` if it is not one)."""
    return as_utc(datetime.fromisoformat(text))


def as_stored_now(text: str | None) -> str | None:
    """A stored time's text as argmap writes it today (``utc_iso``): an old store's naive text
    gains its ``+00:00``, so one export never mixes the two; text that is no ISO time is kept."""
    if not text:
        return text
    try:
        return parse_utc(text).isoformat()
    except ValueError:
        return text


def as_review_time(text: str | None) -> str | None:
    """A stored review time as ``utc_now`` writes it: argmap before 2026-12-07 wrote them with
    ``Z`` (``2026-12-06T10:00:00.000000Z``); text that is no ISO time is kept."""
    if not text:
        return text
    try:
        return parse_utc(text).isoformat(timespec="microseconds")
    except ValueError:
        return text
