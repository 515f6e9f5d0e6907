"""Grounding: a claim is kept only if its quote is really in its post.

The quote is searched verbatim first, then as models drift from their source while still
quoting it: after normalising whitespace, typographic quotes, dashes, case and Unicode
composition (é as one character or as e + a combining accent); with HTML entities (``&amp;``)
and markdown escapes (``\\*``) read back; and, for a quote that leaves words out with an
ellipsis (``...``, ``…``, ``[...]``), as its parts in order, close together. Either way the
stored quote is the exact source text at ``post.text[start:end]``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)

# An ellipsis standing for left-out words: three dots or more, the one character, either in
# brackets.
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.{3,}|…)\s*\]|\(\s*(?:\.{3,}|…)\s*\)|\.{3,}|…)\s*")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>])")
# An elided gap this long at most (about two sentences): a quote is the words a claim rests
# on, and the stored quote includes what the ellipsis left out, so a gap any longer would store
# a passage the model did not quote.
MAX_ELLIPSIS_GAP = 200
# Each part of an elided quote has at least this many words, so it is not found by chance.
MIN_PART_WORDS = 3


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs, typographic quotes and dashes made plain, dash runs made
    one, accents decomposed and case folded, and, for each character of the result, the index in
    ``text`` it came from."""
    out: list[str] = []
    index: list[int] = []
    prev = ""
    for i, raw in enumerate(text):
        for ch in unicodedata.normalize("NFD", raw).translate(_TRANSLATE):
            if ch.isspace():
                ch = " "
            if ch in " -" and prev == ch:
                continue  # "--" is how a model types a dash
            prev = ch
            out.append(ch.casefold() if len(ch.casefold()) == 1 else ch)
            index.append(i)
    return "".join(out), index


# A post's claims are grounded one after another: its text is normalised once, not per claim
# (two kept: a long post's map is large).
_normalised_post = lru_cache(maxsize=2)(normalise_with_map)


def _readings(quote: str) -> list[str]:
    """``quote``, then as it reads with HTML entities and markdown escapes undone."""
    unescaped = html.unescape(quote)
    found = [quote, unescaped, _MARKDOWN_ESCAPE.sub(r"\1", quote)]
    found.append(_MARKDOWN_ESCAPE.sub(r"\1", unescaped))
    return list(dict.fromkeys(found))


def _find_normalised(
    norm_text: str, index: list[int], quote: str, hint: int, within: int | None = None
) -> tuple[int, int] | None:
    """The span of ``quote`` in the text ``norm_text`` normalises, at or after ``hint`` if it
    is there, else the first (with ``within``: only a span starting at most that many characters
    after ``hint``); the quote's surrounding punctuation and marks count only where the text has
    them too."""
    norm_quote, _ = normalise_with_map(quote)
    core = re.sub(r"^\W+|\W+$", "", norm_quote)
    if not core:
        return None
    lead = norm_quote[: norm_quote.index(core)]
    tail = norm_quote[norm_quote.index(core) + len(core) :]
    pos = -1
    first = bisect_left(index, hint)
    # A bounded search (an elided quote's next part) never scans the rest of a long post.
    stop = len(norm_text) if within is None else first + within + len(core)
    for start_at in (first, 0) if within is None else (first,):
        pos = norm_text.find(core, start_at, stop)
        while pos >= 0 and not _on_boundaries(norm_text, pos, pos + len(core)):
            pos = norm_text.find(core, pos + 1, stop)
        if pos >= 0:
            break
    if pos < 0:
        return None
    end = pos + len(core)
    for ch in tail:  # the final period or closing mark, where the post has it too
        if end < len(norm_text) and norm_text[end] == ch:
            end += 1
        else:
            break
    for ch in reversed(lead):
        if pos > 0 and norm_text[pos - 1] == ch:
            pos -= 1
        else:
            break
    return index[pos], index[end - 1] + 1


def _on_boundaries(norm_text: str, start: int, end: int) -> bool:
    """Whether ``norm_text[start:end]`` neither starts nor stops inside an accented letter
    ("cafe" is not the start of "café")."""
    inside = (start < len(norm_text) and unicodedata.combining(norm_text[start])) or (
        end < len(norm_text) and unicodedata.combining(norm_text[end])
    )
    return not inside


def _find_elided(norm_text: str, index: list[int], quote: str, hint: int) -> tuple[int, int] | None:
    """The span from the first part of an elided quote to its last, each part found in order
    less than ``MAX_ELLIPSIS_GAP`` characters after the one before."""
    parts = [p for p in _ELLIPSIS.split(quote) if p.strip(" .,;:'\"")]
    if len(parts) < 2 or any(len(p.split()) < MIN_PART_WORDS for p in parts):
        return None
    first = _find_normalised(norm_text, index, parts[0], hint)
    tried: set[int] = set()
    while first is not None and first[0] not in tried:
        tried.add(first[0])
        start, end = first
        for part in parts[1:]:
            found = _find_normalised(norm_text, index, part, end, MAX_ELLIPSIS_GAP)
            if found is None or found[0] < end or found[0] - end > MAX_ELLIPSIS_GAP:
                break
            end = found[1]
        else:
            return start, end
        first = _find_normalised(norm_text, index, parts[0], start + 1)
    return None


def locate_quote(text: str, quote: str, hint: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` in ``text``, at or after ``hint`` where it is there too:
    verbatim, else as the model may have drifted from the text (see the module), or None."""
    quote = quote.strip()
    if not quote:
        return None
    pos = text.find(quote, hint)
    if pos < 0:
        pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    norm_text, index = _normalised_post(text)
    readings = _readings(quote)
    for reading in readings:
        span = _find_normalised(norm_text, index, reading, hint)
        if span is not None:
            return span
    for reading in readings:
        span = _find_elided(norm_text, index, reading, hint)
        if span is not None:
            return span
    return None
