"""What Streamlit's Markdown makes of ``dashboard.render``'s output, read back in Python: the
text a reader sees, and the runs of plain text in which Streamlit looks for addresses to link,
shortcodes to draw and pairs to retype as symbols (its patterns, copied here).

``md`` and ``message`` escape punctuation with backslashes and wrap single characters in a bare
``:color[x]`` span; a run ends at each span (headless Chromium checks the real rendering in
``tests/test_dashboard_comment_links.py``).
"""

from __future__ import annotations

import re

WRAPPED = re.compile(r":color\[(\\.|[^\\\]])\]")
ESCAPED = re.compile(r"\\(.)")
CODE_SPAN = re.compile(r"(?<!\\)(`[^`]+`)")  # a message's own `argmap ...` hints
# remark-gfm (mdast-util-gfm-autolink-literal), run on each run of text after parsing, where
# it makes a link of a web address and of a mail address; Streamlit's :streamlit:, :material_x:
# and remark-emoji's shortcodes. Without their checks of the character before: stricter.
# Streamlit's typographic symbols (its StreamlitMarkdown's remark plugin, 1.67): a pair standing
# alone in a run becomes an arrow, a dash or a sign ("a -> b" reads "a → b").
FINDS = {
    "web address": re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE),
    "mail address": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    "shortcode": re.compile(r":[\w+-]+:"),
    "typographic symbol": re.compile(r"(?:^|(?<=\s))(?:<->|->|<-|--|>=|<=|~=)(?=\s|$)"),
}


def unwrapped(markdown: str) -> str:
    """``markdown`` with each one-character span replaced by its character (escapes kept)."""
    return WRAPPED.sub(r"\1", markdown)


def shown(markdown: str) -> str:
    """The text a reader sees (and copies): spans unwrapped, escapes decoded, code as written."""
    parts = CODE_SPAN.split(markdown)
    return "".join(
        part[1:-1] if i % 2 else ESCAPED.sub(r"\1", unwrapped(part)) for i, part in enumerate(parts)
    )


def runs(markdown: str) -> list[str]:
    """The runs of plain text, decoded, that Streamlit searches one at a time (code aside)."""
    texts = CODE_SPAN.split(markdown)[0::2]
    return [ESCAPED.sub(r"\1", run) for text in texts for run in WRAPPED.split(text)[0::2]]


def finds(markdown: str) -> list[tuple[str, str]]:
    """What Streamlit would make a link, a picture or a symbol of: (kind, text) for each find."""
    return [
        (kind, found.group(0))
        for run in runs(markdown)
        for kind, pattern in FINDS.items()
        for found in pattern.finditer(run)
    ]
