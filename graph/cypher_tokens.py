"""Cypher as tokens, the way the server reads it, for the read path's checks
(``graph.cypher_scope``, ``graph.cypher_functions``).

Comments and spaces are skipped (any non-ASCII character that is not part of a name counts as
space), quoted names (```dbms`.`listConfig```) are unquoted, strings are single tokens.
"""

from __future__ import annotations

import re

# One token: a comment or space (skipped), a string, a quoted name, a bare name, anything else.
# Any non-ASCII character that is not part of a name counts as space: a server that reads one
# (a zero-width space, say) as a separator must not see a call this check did not.
_TOKEN = re.compile(
    r"(?P<skip>(?:\s|[^\w\x00-\x7f])+|//[^\n]*|/\*.*?(?:\*/|\Z))"
    r"|(?P<str>'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?)"
    r"|(?P<quoted>`(?:[^`]|``)*`?)"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<other>\d+|.)",
    re.DOTALL,
)


class Tok:
    """One token: its kind (``name``, ``quoted``, ``str``, ``other``) and its text."""

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str) -> None:
        self.kind, self.text = kind, text

    @property
    def is_name(self) -> bool:
        return self.kind in ("name", "quoted")

    def word(self) -> str:
        """The keyword this token could be (a quoted name is never a keyword)."""
        return self.text.upper() if self.kind == "name" else ""


def tokens(query: str) -> list[Tok]:
    """The tokens of ``query``, comments and spaces left out, quoted names unquoted."""
    out: list[Tok] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind == "skip":
            continue
        text = m.group()
        if kind == "quoted":
            text = text[1:].removesuffix("`").replace("``", "`")
        out.append(Tok(kind, text))
    return out


def dotted_span(toks: list[Tok], i: int) -> tuple[str, int] | None:
    """The dotted name (a procedure's, a function's) starting at ``toks[i]`` and the index of
    the token after it, or None when ``toks[i]`` is not a name (a subquery's ``{``/``(``)."""
    parts: list[str] = []
    while i < len(toks) and toks[i].is_name:
        parts.append(toks[i].text)
        if i + 2 < len(toks) and toks[i + 1].text == "." and toks[i + 2].is_name:
            i += 2
            continue
        i += 1
        break
    return (".".join(parts), i) if parts else None


def dotted_name(toks: list[Tok], i: int) -> str | None:
    """The dotted name starting at ``toks[i]`` (``dotted_span``), or None."""
    span = dotted_span(toks, i)
    return span[0] if span else None
