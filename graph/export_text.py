"""Text helpers every exporter shares: XML-safe strings, short dates, wrapping, the caption.

Comment text is untrusted and arbitrary: it may hold control characters XML 1.0 cannot carry,
markup, ``$`` signs matplotlib would read as maths, or run to pages. These helpers make it safe
to place; HTML escaping itself happens where HTML is written (``export_html``).
"""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime

from argmap.graph.subgraph import Subgraph

# Characters XML 1.0 forbids (C0 controls other than tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """``text`` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("", text or "")


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


def selection_summary(sg: Subgraph) -> str:
    """What was selected, in words: the focus and hops, the filters, "showing N of M"."""
    sel = sg.selection
    parts = []
    if sg.focus:
        steps = "step" if sel.hops == 1 else "steps"
        parts.append(
            f"the framed claim ({sg.focus}) and every claim within {sel.hops} relation {steps} of it"
        )
    else:
        parts.append("whole graph" + (", claims in a relation only" if sel.connected_only else ""))
    if sel.people:
        parts.append("by " + ", ".join(sel.people))
    if set(sel.relation_types) != {"rebuts", "supports"}:
        parts.append("relations: " + ", ".join(sel.relation_types))
    if sel.min_confidence > 0:
        parts.append(f"confidence ≥ {sel.min_confidence:g}")
    if sel.since or sel.until:
        parts.append(f"posted {short_date(sel.since) or '…'} to {short_date(sel.until) or '…'}")
    parts.append(sg.showing)
    return "; ".join(parts)


def caption_parts(sg: Subgraph, exported: date | None = None) -> tuple[str, str, str]:
    """(title, source line, selection line) for a picture's or page's caption."""
    exported = exported or date.today()
    if sg.threads:
        title = " | ".join(one_line(t.title) or t.id for t in sg.threads)
        sources = []
        for t in sg.threads:
            by = ", ".join(p for p in (one_line(t.author), short_date(t.published_at)) if p)
            where = one_line(t.url) or f"{t.source_format or 'a'} file (thread {t.id})"
            sources.append(f"Article by {by} · Source: {where}" if by else f"Source: {where}")
        source = " | ".join(sources)
    else:
        title, source = "argmap", "Source: (no thread selected)"
    selection = f"Shows {selection_summary(sg)}."
    if sg.labelled:
        selection += (
            " Fill: grounded label over the whole graph (IN: every rebuttal of the claim is itself"
            " defeated; OUT: a rebuttal that stands defeats it; UNDEC: neither)."
        )
    selection += f" Exported {short_date(exported)} with argmap."
    return title, source, selection
