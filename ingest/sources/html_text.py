"""HTML fragments (a Hacker News comment, a WordPress comment body) to plain text.

Paragraphs become blank-line separated blocks, ``<br>`` a line break, list items ``- `` lines and
quoted blocks ``> `` lines (the quote cue thread reconstruction and extraction look for); links
keep their visible text; ``<pre>`` keeps its whitespace; scripts and styles are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Tags that end the current block of text.
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "figcaption",
    "hr",
    "form",
    "nav",
}
_SKIP = {"script", "style", "noscript", "template", "head", "title", "svg"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.lines: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.quote_depth = 0

    # A block is a run of lines; blocks are joined by a blank line.
    def _end_line(self) -> None:
        text = "".join(self.line)
        self.line = []
        if self.pre_depth:
            text = text.rstrip()
        else:
            text = _SPACES.sub(" ", text).strip()
        if text:
            self.lines.append("> " * self.quote_depth + text)

    def _end_block(self) -> None:
        self._end_line()
        if self.lines:
            self.blocks.append("\n".join(self.lines))
            self.lines = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            return
        self._emoji(tag, attrs)
        if tag == "br":
            self._end_line()
        elif tag in _BLOCK:
            self._end_block()
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag == "pre":
            self.pre_depth += 1
        elif tag == "li":
            # List items are lines of one block, not blocks of their own.
            self._end_line()
            self.line.append("- ")

    def _emoji(self, tag: str, attrs) -> None:
        """WordPress swaps emoji and smileys for ``<img class="emoji" alt="👍">``: keep the alt."""
        if tag != "img" or self.skip_depth:
            return
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if {"emoji", "wp-smiley"} & set(classes) and values.get("alt"):
            self.line.append(values["alt"])

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._emoji(tag, attrs)
        if tag == "br":
            self._end_line()
        elif tag in _BLOCK:
            self._end_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in _BLOCK:
            self._end_block()
        elif tag == "li":
            self._end_line()
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            # Keep preformatted line breaks: each source line is a line of the block.
            first, *rest = data.split("\n")
            self.line.append(first)
            for part in rest:
                self._end_line_keep_empty()
                self.line.append(part)
        else:
            self.line.append(data)

    def _end_line_keep_empty(self) -> None:
        text = "".join(self.line).rstrip()
        self.line = []
        self.lines.append("> " * self.quote_depth + text)

    def text(self) -> str:
        self._end_block()
        return "\n\n".join(b.strip("\n") for b in self.blocks if b.strip())


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment; ``None`` or empty input gives ``""``."""
    if not html:
        return ""
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    return parser.text()
