"""Grounding: a claim is kept only if its quote is really in its post.

The quote is searched verbatim first, then after normalising whitespace, typographic quotes and
dashes (models often "straighten" quotes); either way the stored quote is the exact source text
at ``post.text[start:end]``.
"""

from __future__ import annotations

import re

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
        "\u2026": ".",
    }
)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs, typographic quotes and dashes made plain and case folded,
    and, for each character of the result, the index in ``text`` it came from."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        ch = ch.translate(_TRANSLATE)
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        out.append(ch.casefold() if len(ch.casefold()) == 1 else ch)
        index.append(i)
    return "".join(out), index


_normalise_with_map = normalise_with_map  # the old private name, kept for existing imports


def locate_quote(text: str, quote: str, hint: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` in ``text`` (verbatim, else normalised), or None."""
    quote = quote.strip()
    if not quote:
        return None
    pos = text.find(quote, hint)
    if pos < 0:
        pos = text.find(quote)
    if pos >= 0:
        return pos, pos + len(quote)
    norm_text, index = normalise_with_map(text)
    norm_quote, _ = normalise_with_map(quote)
    norm_quote = re.sub(r"^\W+|\W+$", "", norm_quote) or norm_quote
    pos = norm_text.find(norm_quote)
    if pos < 0 or not norm_quote:
        return None
    start = index[pos]
    end = index[pos + len(norm_quote) - 1] + 1
    return start, end
