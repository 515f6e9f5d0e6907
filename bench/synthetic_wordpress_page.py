"""A rendered synthetic thread as the sample's flattened WordPress page (title, byline, count
line, ``AUTHOR Month D, YYYY at H:MM pm`` headers, footer), and the id the parser gives it."""

from __future__ import annotations

from datetime import datetime

from argmap.core.ids import stable_id
from bench.synthetic_wordpress_render import RenderedThread

_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date(when: datetime) -> str:
    return f"{_MONTH_NAMES[when.month - 1]} {when.day}, {when.year}"


def _header_time(when: datetime) -> str:
    hour = when.hour % 12 or 12
    return f"{hour}:{when.minute:02d} {'am' if when.hour < 12 else 'pm'}"


def to_wordpress_text(rt: RenderedThread, trackbacks: int = 12) -> str:
    """The page as the sample prints it: title, byline, article, count line, comments, footer."""
    article, comments = rt.posts[0], rt.posts[1:]
    out = [rt.title, "", f"by {rt.author} on {_date(rt.published_at)}", "", article.text, ""]
    out += [f"{{ {len(comments)} comments… read them below or add one }}", ""]
    for c in comments:
        out += [
            f"{c.author} {_date(c.posted_at)} at {_header_time(c.posted_at)}",
            "",
            c.text,
            "",
            "",
        ]
    out += [
        "Leave a Comment",
        "",
        f"{{ {trackbacks} trackbacks }}",
        "",
        "Previous post:",
        "",
        "Next post:",
    ]
    return "\n".join(out) + "\n"


def thread_id(rt: RenderedThread) -> str:
    """The id the WordPress parser gives this thread (title + publication date)."""
    return stable_id("t", "wordpress-text", rt.title, rt.published_at.date().isoformat())
