"""A WordPress post with its comments, flattened to plain text (copied from a browser page).

The layout this reads (the bundled sample is one)::

    Thinking of Joining the ISO?                      <- title: the first line
    by Pham Binh on June 24, 2013                     <- byline: author and date
    ...article body...
    { 187 comments… read them below or add one }      <- count line: ends the body
    Mark Lause June 24, 2013 at 10:14 am              <- comment header: author, date, time
    ...comment body, up to the next header...
    Leave a Comment                                   <- footer: ends the comments
    { 125 trackbacks }  Previous post:  Next post:    <- page furniture, not comments

Flattening dropped the indentation of nested replies, so the thread comes out with
``reply_tree="missing"``; ``ingest.thread.prepare_thread`` rebuilds it.

Times are naive datetimes in the blog's local time: the page shows no time zone. The article's
``posted_at`` is its publication date at midnight.

A thread whose comments stop early (fewer comments than the count line announces, or no footer
after the last comment) is rejected: a cut-off export would silently lose replies.
"""

from __future__ import annotations

import re
from datetime import datetime

from argmap.core.errors import SourceError
from argmap.core.ids import post_id, stable_id
from argmap.core.models import Post, Thread

NAME = "wordpress-text"

_MONTH_NAMES = (
    "january february march april may june july august september october november december".split()
)
# Full names and three-letter abbreviations ("Jun", "Sept" too), lower case -> month number.
_MONTHS = {name[:size]: n for n, name in enumerate(_MONTH_NAMES, 1) for size in (3, len(name))}
_MONTHS["sept"] = 9
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"

BYLINE_RE = re.compile(rf"^by\s+(?P<author>\S.*?)\s+on\s+{_DATE}\s*$", re.IGNORECASE)
HEADER_RE = re.compile(rf"^(?P<author>\S.*?)\s+{_DATE}\s+at\s+{_TIME}\s*$", re.IGNORECASE)
COUNT_RE = re.compile(r"^\{\s*(?P<count>\d[\d,]*|no|one)\s+comments?\b[^}]*\}\s*$", re.IGNORECASE)
# Lines that end the comment list: the reply form, closed comments, trackbacks, post navigation.
FOOTER_RE = re.compile(
    r"^(?:leave a (?:comment|reply)|comments (?:on this entry )?are closed\.?"
    r"|\{\s*\d[\d,]*\s+trackbacks?\s*\}|previous post:.*|next post:.*)\s*$",
    re.IGNORECASE,
)
_HEADER_SCAN_RE = re.compile(
    rf"(?:^|\n)[ \t]*\n[^\n]+?\s{_DATE}\s+at\s+{_TIME}[ \t]*\n", re.IGNORECASE
)


def detect(text: str) -> bool:
    """Cheap check: a title then a "by AUTHOR on DATE" byline, or comment header lines."""
    head = text[:4096].lstrip("\ufeff")
    lines = [line.strip() for line in head.splitlines() if line.strip()][:5]
    if len(lines) >= 2 and len(lines[0]) <= 300:
        if any(BYLINE_RE.match(line) for line in lines[1:4]):
            return True
    return len(_HEADER_SCAN_RE.findall(text[:65536])) >= 2


def _date(match: re.Match[str]) -> datetime:
    month = _MONTHS[match["month"].rstrip(".").lower()]
    hour, minute = 0, 0
    if match.re is HEADER_RE:
        hour, minute = int(match["hour"]), int(match["minute"])
        ampm = (match["ampm"] or "").replace(".", "").lower()
        if ampm:
            if not 1 <= hour <= 12:
                raise ValueError(f"hour {hour} with {ampm}")
            hour = hour % 12 + (12 if ampm == "pm" else 0)
    return datetime(int(match["year"]), month, int(match["day"]), hour, minute)


def _strip_blank_lines(lines: list[str]) -> str:
    """The lines joined, without the blank lines around them; inner text is kept exactly."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


def _announced(count: str) -> int:
    word = count.lower()
    if word in ("no", "one"):
        return 0 if word == "no" else 1
    return int(word.replace(",", ""))


def parse(text: str, origin: str) -> list[Thread]:
    """The article and its comments (in page order) as one ``Thread``; ``SourceError`` if unusable."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SourceError(f"{origin}: the file is empty; give a WordPress thread export")
    title = lines[first].strip()
    byline_at, byline = None, None
    for i in range(first + 1, min(len(lines), first + 12)):
        byline = BYLINE_RE.match(lines[i].strip())
        if byline:
            byline_at = i
            break
    if byline is None or byline_at is None:
        if any(HEADER_RE.match(line.strip()) for line in lines):
            raise SourceError(
                f"{origin}: comments without their article: no 'by AUTHOR on Month D, YYYY' line "
                "under the title; include the top of the page"
            )
        raise SourceError(
            f"{origin}: not a WordPress thread: no title followed by a 'by AUTHOR on Month D, "
            "YYYY' line; check the file or pick another --format"
        )
    try:
        published = _date(byline)
    except ValueError:
        raise SourceError(
            f"{origin}: line {byline_at + 1}: {lines[byline_at].strip()!r} is not a real date; fix it"
        ) from None

    counted = next(
        (
            (i, m)
            for i in range(byline_at + 1, len(lines))
            if (m := COUNT_RE.match(lines[i].strip()))
        ),
        None,
    )
    count_at = counted[0] if counted is not None else None
    announced = _announced(counted[1]["count"]) if counted is not None else None
    comments_from = count_at + 1 if count_at is not None else byline_at + 1

    # Comment headers: header-shaped lines that start a paragraph (after a blank line).
    headers: list[tuple[int, re.Match[str]]] = []
    footer_at = None
    for i in range(comments_from, len(lines)):
        stripped = lines[i].strip()
        if FOOTER_RE.match(stripped):
            footer_at = i
            break
        match = HEADER_RE.match(stripped)
        if match and (i == comments_from or not lines[i - 1].strip()):
            headers.append((i, match))
    if count_at is None and headers:
        body_end = headers[0][0]
    else:
        body_end = count_at if count_at is not None else (footer_at or len(lines))
    body = _strip_blank_lines(lines[byline_at + 1 : body_end])
    if count_at is None and not headers and footer_at is None:
        raise SourceError(
            f"{origin}: no comment count line ('{{ N comments… }}') and no 'Leave a Comment' "
            "footer: the file looks cut off; export the whole page again"
        )
    found = len(headers)
    if announced is not None and found < announced:
        cut = " and no 'Leave a Comment' footer" if footer_at is None else ""
        raise SourceError(
            f"{origin}: truncated thread: found {found} of the {announced} comments the count line "
            f"announces{cut}; export the whole page again"
        )
    if announced is not None and found > announced:
        raise SourceError(
            f"{origin}: found {found} comment headers but the count line announces {announced}; "
            "a comment may quote a header line or two pages were joined: check the file"
        )
    if found and footer_at is None:
        raise SourceError(
            f"{origin}: truncated thread: no 'Leave a Comment' footer after comment {found} "
            f"({headers[-1][1]['author'].strip()}); export the whole page again"
        )

    thread_id = stable_id("t", NAME, title, published.date().isoformat())
    author = byline["author"].strip()
    posts = [
        Post(
            id=post_id(thread_id, 0),
            thread_id=thread_id,
            kind="article",
            author=author,
            posted_at=published,
            position=0,
            text=body,
        )
    ]
    for n, (i, match) in enumerate(headers, start=1):
        end = headers[n][0] if n < found else footer_at
        try:
            posted_at = _date(match)
        except ValueError:
            raise SourceError(
                f"{origin}: line {i + 1}: {lines[i].strip()!r} has an impossible date or time; fix it"
            ) from None
        posts.append(
            Post(
                id=post_id(thread_id, n),
                thread_id=thread_id,
                kind="comment",
                author=match["author"].strip(),
                posted_at=posted_at,
                position=n,
                text=_strip_blank_lines(lines[i + 1 : end]),
            )
        )
    return [
        Thread(
            id=thread_id,
            title=title,
            source_format=NAME,
            published_at=published,
            posts=posts,
            reply_tree="missing",
        )
    ]
