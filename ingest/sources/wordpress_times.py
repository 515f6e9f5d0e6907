"""Times as a saved WordPress page gives them: ISO 8601 in a ``<time datetime>`` (with the site's
offset) or words in the site's own time ("June 24, 2013 at 10:14 am"), read into UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from argmap.core.times import as_utc

# "June 24, 2013 at 12:01 pm", "24 June 2013 at 12:01", "2013-06-24 12:01" ...
_DATE_FORMATS = (
    "%B %d, %Y at %I:%M %p",
    "%B %d, %Y at %H:%M",
    "%d %B %Y at %I:%M %p",
    "%d %B %Y at %H:%M",
    "%B %d, %Y %I:%M %p",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d at %H:%M",
    "%b %d, %Y at %I:%M %p",
    "%B %d, %Y",
    "%d %B %Y",
    "%Y-%m-%d",
)


def read_stamp(value: str | None) -> datetime | None:
    """A time as the page gives it, from ISO 8601 or WordPress's usual date wordings: aware when
    it carries an offset (a ``<time datetime>``), naive when it is words in the site's own time;
    ``None`` if unreadable ("2 hours ago" on a saved page: relative to a moment it does not keep).
    """
    if not value:
        return None
    text = " ".join(value.split())
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        cleaned = re.sub(r"\s*\|.*$|\s*\(.*?\)\s*|\s*Edit\s*$", "", text).strip()
        cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned).replace(" @ ", " at ")
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(cleaned, fmt)
            except ValueError:
                continue
    return None


def parse_when(value: str | None, zone: tzinfo = UTC) -> datetime | None:
    """``read_stamp``'s time in UTC; a naive one (words without a zone) is read in ``zone``."""
    return in_utc(read_stamp(value), zone)


def in_utc(stamp: datetime | None, zone: tzinfo = UTC) -> datetime | None:
    """``stamp`` in UTC, a naive ``stamp`` taken to be in ``zone``."""
    if stamp is None:
        return None
    return as_utc(stamp.replace(tzinfo=zone) if stamp.tzinfo is None else stamp)


def page_zone(stamps: list[datetime | None]) -> tzinfo:
    """The site's offset, from the first time the page gives with one (the article's
    ``<time datetime>``, a comment's); UTC if none does. WordPress prints the words of a time
    in the site's zone, so a page mixing words and ``<time datetime>`` reads them alike (the
    offset is that of one moment: across a DST change the words may be an hour off)."""
    return next((s.tzinfo for s in stamps if s is not None and s.tzinfo is not None), UTC)
