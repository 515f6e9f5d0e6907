"""Small pieces of English that messages share (so "1 rows" never gets printed)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 row"``, ``"2 rows"``; ``many`` for irregular plurals (``plural(n, "reply", "replies")``)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
