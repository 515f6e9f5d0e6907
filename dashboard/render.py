"""Turning untrusted comment text into safe Markdown or HTML for the dashboard.

Comment text (authors, quotes, claims, post bodies) comes from strangers. Streamlit's own
widgets (tables, metrics, ``st.text``) escape it by themselves and are preferred; these
helpers are for the few places that compose Markdown or HTML around it:

- ``md`` for ``st.markdown``: Streamlit already refuses raw HTML there, but Markdown itself
  would still turn ``![x](http://...)`` into an image loaded from the network, ``[x](...)``
  into a link, ``$...$`` into LaTeX and ``:red[...]`` into coloured text, and a bare
  ``https://...``, ``www.…`` or ``name@host`` into a link, and `` -> ``, `` -- ``, `` >= ``
  into an arrow, a dash, a sign (see ``_RUN_BREAK``).
- ``message`` for a one-line message (an error, a review's outcome) that may hold ids or names
  from the graph: ``st.error``, ``st.success`` and the like render Markdown too.
- ``esc`` / ``quoted`` / ``highlighted_post`` for ``st.html`` (which Streamlit also sanitises).
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all
# leaves no Markdown syntax (emphasis, links, images, headings, tables, directives) active.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'^@])")

# Escapes do not stop everything: after parsing, Streamlit's Markdown (remark-gfm) looks for
# web and mail addresses in each run of plain text, its escapes and character references
# ("&#58;") already decoded, and makes them links; Streamlit then turns ":streamlit:",
# ":material_x:" and emoji ":shortcodes:" in those runs into pictures. A ``:color[...]``
# directive given no colour is a bare <span>: wrapping the first character of each place where
# such a find would begin ends the run there, so nothing is found, and a reader sees (and
# copies) the same characters. Where one would begin: "http://", "https://" and "www." (any
# case), every "@" of an address, every ":" before a name.
# Streamlit also retypes "->", "<-", "<->", "--", ">=", "<=" and "~=" standing alone in a run
# (a scholar quoting "costs -> up" read "costs → up"); "alone" means between spaces or at a
# run's ends, and a run also ends at each span above, so every such pair is broken wherever it
# stands: the span holds its second character, and neither side is a pair any more.
_RUN_BREAK = re.compile(
    r"https?://|www\.|@|:(?=[\w+-])|(?<=-)[->]|(?<=<)[-=]|(?<=[>~])=", re.IGNORECASE
)


def _plain(flat: str, special: re.Pattern[str]) -> str:
    """``flat`` with ``special`` characters backslash-escaped and its runs broken (``_RUN_BREAK``)."""
    out, last = [], 0
    for found in _RUN_BREAK.finditer(flat):
        at = found.start()
        before, colon = flat[last:at], ""
        if before.endswith(":"):  # no directive opens right after a ":" left as it is ("a::b")
            before, colon = before[:-1], "\\:"
        first = flat[at] if flat[at].isalnum() else "\\" + flat[at]  # "@", ":" as punctuation
        out += [special.sub(r"\\\1", before), colon, f":color[{first}]"]
        last = at + 1
    out.append(special.sub(r"\\\1", flat[last:]))
    return "".join(out)


def md(text: str | None, limit: int | None = None) -> str:
    """``text`` as literal Markdown on one line (whitespace collapsed), cut at ``limit`` chars.

    What Streamlit shows is the text's own characters: no link, picture or formatting.
    """
    flat = " ".join((text or "").split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return _plain(flat, _MD_SPECIAL)


# A code span: its words are literal in Markdown, so argmap's own "`argmap review list`" hints
# keep their look; whatever else the message holds (a claim id from an imported file, a
# reviewer's name) is escaped, or ``![x](http://...)`` in an id would load an image.
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
# What opens a construct inside one line (links and images need "[", raw HTML and autolinks
# "<", emphasis, math, strikethrough, entities); a message's ".", ":" and "()" stay readable.
_MESSAGE_SPECIAL = re.compile(r"([\\`*_\[\]<>#+|~$&])")
# At its start a line can also open a list ("- ", "1. ") or a heading: an id may come first.
_LINE_START = re.compile(r"^(\d*)([-=.)])")


def message(text: str | None) -> str:
    """A one-line message as literal Markdown, its `code spans` kept as code."""
    parts = _CODE_SPAN.split(" ".join((text or "").split()))
    for i in range(0, len(parts), 2):  # the text between code spans
        parts[i] = _plain(parts[i], _MESSAGE_SPECIAL)
    parts[0] = _LINE_START.sub(r"\1\\\2", parts[0])
    return "".join(parts)


def esc(text: str | None) -> str:
    """``text`` escaped for HTML content and attribute values."""
    return html.escape(text or "", quote=True)


# A word longer than its box (a 150-character address, a German compound) breaks where it must;
# words that fit wrap between words as before. Without it, a quote on Chains or a post on Graph,
# Search and Review ran ~800 px past its box: a phone's page scrolled sideways, the words cut off.
_WRAP_LONG_WORDS = "overflow-wrap: anywhere; "


def wrapping(fragment: str) -> str:
    """``fragment`` (HTML, already escaped) in a block whose long words break at its edge."""
    return f'<div style="{_WRAP_LONG_WORDS}">{fragment}</div>'


def quoted(text: str | None, lang: str | None = None) -> str:
    """HTML of a verbatim quote set off as a block quote, on one line, all of it escaped.

    Not Markdown's ``>``: Streamlit draws that in a faded grey (3.88:1 on white, under the
    4.5:1 WCAG AA asks for). This one keeps the page's own text colour, in either theme.
    ``lang``: the quote's language ("" when unknown; ``None``: not given, no attribute).
    """
    flat = " ".join((text or "").split())
    lang_attr = f' lang="{esc(lang)}"' if lang is not None else ""
    return (
        # dir="auto": an Arabic or Hebrew quote reads right to left, its rule on its start side.
        f'<blockquote{lang_attr} dir="auto" style="margin: 0 0 0.5em; padding-block: 0.1em; '
        f"padding-inline: 0.9em 0; border-inline-start: 3px solid #999; {_WRAP_LONG_WORDS}"
        'color: inherit;">'
        f"“{esc(flat)}”</blockquote>"
    )


def short(text: str | None, limit: int = 90) -> str:
    """Plain text on one line, cut at ``limit`` characters (for labels that escape themselves)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote_window(text: str, start: int, end: int, context: int) -> tuple[str, str, str]:
    """``(before, quote, after)``: up to ``context`` characters either side of
    ``text[start:end]``, cut at a space where there is one near, "…" where the post goes on."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    if lo > 0:
        space = text.find(" ", lo, start)
        lo = space + 1 if 0 <= space < lo + 40 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space > hi - 40 else hi
    before = ("… " if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + (" …" if hi < len(text) else "")
    return before, text[start:end], after


def highlighted_post(
    text: str,
    start: int | None,
    end: int | None,
    context: int = 700,
    scroll: bool = True,
    lang: str | None = None,
) -> str:
    """HTML of a post with ``text[start:end]`` (the claim's quote) marked, all of it escaped.

    A long post is cut to ``context`` characters either side of the quote, so the mark is in
    view; the cuts are shown as "…". ``scroll`` keeps a long post in a box of fixed height
    (``False``: the excerpt is shown whole, so nothing hides the mark in a narrow column).
    ``lang``: the thread's language ("" when unknown; ``None``: not given, no attribute), so the
    English page around it does not claim the post's words.
    """
    text = text or ""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        body = esc(text)
    else:
        before, quote, after = quote_window(text, start, end, context)
        body = f"{esc(before)}<mark>{esc(quote)}</mark>{esc(after)}"
    height = "max-height: 24em; overflow-y: auto; " if scroll else ""
    # A box that scrolls takes the keyboard focus (Tab, then the arrow keys scroll it) and
    # names itself to a screen reader.
    focus = ' tabindex="0" role="region" aria-label="The post"' if scroll else ""
    focus += f' lang="{esc(lang)}"' if lang is not None else ""
    return (
        f'<div{focus} dir="auto" style="white-space: pre-wrap; {_WRAP_LONG_WORDS}'
        "font-family: inherit; line-height: 1.5; "
        f"{height}padding: 0.5em; border: 1px solid #ddd; "
        f'border-radius: 0.4em;">{body}</div>'
    )
