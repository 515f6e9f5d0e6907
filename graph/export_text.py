"""Text helpers every exporter shares: XML-safe strings, short dates, wrapping, the caption.

Comment text is untrusted and arbitrary: it may hold control characters XML 1.0 cannot carry,
markup, ``$`` signs matplotlib would read as maths, or run to pages. These helpers make it safe
to place; HTML escaping itself happens where HTML is written (``export_html``).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from datetime import date, datetime

from argmap.graph.subgraph import Subgraph

from argmap.core.wording import comments_left

# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """``text`` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("", text or "")


def right_to_left(text: str) -> bool:
    """Whether ``text`` is a right-to-left paragraph: its first strong letter is Hebrew or
    Arabic (the Unicode bidi algorithm's rule P2), so its box aligns it right."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def one_line(text: str | None) -> str:
    """Whitespace (newlines included) collapsed to single spaces; XML-safe."""
    return " ".join(xml_safe(text).split())


def wrap(text: str | None, width: int, max_lines: int | None = None) -> list[str]:
    """``text`` wrapped at ``width`` characters, cut to ``max_lines`` with an ellipsis."""
    lines = textwrap.wrap(one_line(text), width=width, break_long_words=True) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1].rstrip() if len(last) >= width else last) + "…"
    return lines


def wrap_to_width(
    text: str | None,
    width: float,
    width_of: Callable[[str], float],
    max_lines: int | None = None,
) -> list[str]:
    """``text`` broken greedily into lines no wider than ``width`` as ``width_of`` measures
    them; a word too long for a line (or a run of CJK, which has no spaces) is broken between
    characters; cut to ``max_lines`` with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in one_line(text).split(" "):
        trial = f"{line} {word}" if line else word
        if width_of(trial) <= width:
            line = trial
            continue
        if line:
            lines.append(line)
            line = ""
        for ch in word:
            if line and width_of(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
    if line or not lines:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and width_of(last.rstrip() + "…") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def short_date(value: str | date | datetime | None) -> str:
    """``24 Jun 2013`` from an ISO string or date; ``""`` when unknown or unparseable."""
    if value is None or value == "":
        return ""
    when: date
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value[:10]
    else:
        when = value
    return f"{when.day} {when:%b %Y}"


def date_range(first: str | date | None, last: str | date | None) -> str:
    """``24 Jun – 3 Jul 2013``; one date when both are the same day; ``""`` when unknown."""
    a, b = short_date(first), short_date(last)
    if not a or not b or a == b:
        return a or b
    (d1, m1, y1), (_, m2, y2) = a.split(" ", 2), b.split(" ", 2)
    if y1 != y2:
        return f"{a} – {b}"
    return f"{d1} – {b}" if m1 == m2 else f"{d1} {m1} – {b}"


def site_of(url: str | None) -> str:
    """The site a URL is on (``example.org``), or ``""``."""
    from urllib.parse import urlsplit

    host = urlsplit(one_line(url)).hostname or ""
    return host.removeprefix("www.")


def selection_summary(sg: Subgraph, with_ids: bool = False) -> str:
    """What was selected, in words: the focus and its answers, the filters, what was left out
    (``with_ids``: quote the focus claim's opening words and its id, for the dashboard;
    pictures leave both out: the framed claim is on them)."""
    sel = sg.selection
    parts = []
    if sg.focus:
        steps = "step" if sel.hops == 1 else "steps"
        which = ""
        if with_ids:  # the claim's opening words, which a reader knows it by, and its id
            text = next((one_line(n.text) for n in sg.nodes if n.id == sg.focus), "")
            opening = text if len(text) <= 60 else text[:59].rstrip() + "…"
            which = f" (“{opening}”, {sg.focus})" if opening else f" ({sg.focus})"
        if sg.edges:
            parts.append(
                f"the framed claim{which} and the strongest answers to it, up to {sel.hops} "
                f"relation {steps} away"
            )
        else:  # a lone box said "and the strongest answers to it": a reader looked for them
            parts.append(f"the framed claim{which} alone: no claim answers it and it answers none")
    else:
        parts.append("the largest conversations" if sg.truncated else "every conversation")
    if sel.people:
        parts.append("by " + ", ".join(sel.people))
    if set(sel.relation_types) != {"rebuts", "supports"}:
        parts.append("relations: " + ", ".join(sel.relation_types))
    if sel.min_confidence:
        parts.append(
            f"relations the extractor was less than {sel.min_confidence:g} sure of left out"
        )
    if sel.since or sel.until:
        parts.append(f"posted {short_date(sel.since) or '…'} to {short_date(sel.until) or '…'}")
    parts.append(sg.showing)
    return "; ".join(parts)


def more_note(sg: Subgraph) -> str:
    """``and 26 more replies — see the interactive page`` when the cap left claims out."""
    left = sg.total_nodes - len(sg.nodes)
    if left <= 0:
        return ""
    what = (
        ("reply" if left == 1 else "replies") if sg.focus else ("claim" if left == 1 else "claims")
    )
    # The page around the same claim: a bare "argmap export -f html" drew the whole graph's
    # largest conversations, where the claim the picture is about may not even be.
    around = f" --claim {sg.focus} --hops {sg.selection.hops}" if sg.focus else ""
    return f"and {left} more {what} — see the interactive page (argmap export -f html{around})"


def credit_line(sg: Subgraph, exported: date | None = None) -> str:
    """A newspaper credit: who wrote the article and when, the site, when the comments came,
    how many there are and how many are shown, and who drew the map."""
    exported = exported or date.today()
    shown = {n.post_id for n in sg.nodes if n.post_kind != "article"}
    parts = []
    for t in sg.threads:
        by = ", ".join(p for p in (one_line(t.author), short_date(t.published_at)) if p)
        if by:
            parts.append(f"Article by {by}")
        if site_of(t.url):
            parts.append(site_of(t.url))
        when = date_range(t.first_comment_at, t.last_comment_at)
        if when:
            parts.append(f"comments {when}")
    total = sum(t.comments or 0 for t in sg.threads)
    if total:  # counted as the Overview and the ingest summary count them
        spam = sum(t.spam or 0 for t in sg.threads)
        parts.append(f"{comments_left(total, spam)}, {len(shown)} shown")
    parts.append(f"argument map by argmap, {short_date(exported)}")
    return " · ".join(parts)


def caption_parts(sg: Subgraph, exported: date | None = None) -> tuple[str, str, str]:
    """(title, credit line, what is shown) for a picture's or page's caption."""
    title = " | ".join(one_line(t.title) or "Untitled thread" for t in sg.threads) or "argmap"
    return title, credit_line(sg, exported), f"Shows {selection_summary(sg)}."
