"""Small pieces of English that messages share (so "1 rows" never gets printed)."""

from __future__ import annotations


def comments_left(comments: int, spam: int) -> str:
    """How every count of a thread's comments reads (the Overview, a picture's credit line, the
    ingest summary, ``argmap threads``): the comments argmap analyses, with the spam it left out
    named apart, ``"172 comments (15 spam left out)"``; the article is not a comment."""
    text = plural(comments, "comment")
    return f"{text} ({spam} spam left out)" if spam else text


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 row"``, ``"2 rows"``; ``many`` for irregular plurals (``plural(n, "reply", "replies")``)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
