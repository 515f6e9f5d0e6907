"""One builder for the tests' hand-made threads: an article and its comments as ``Post`` fields,
each post's id ``stable_id("p", thread id, position)``."""

from __future__ import annotations

from typing import Any

from argmap.core.ids import stable_id
from argmap.core.models import Post, Thread


def post_id(tid: str, position: int) -> str:
    """The id :func:`build_thread` gives the post at ``position`` (0 is the article)."""
    return stable_id("p", tid, position)


def build_thread(
    tid: str, article: dict[str, Any], comments: list[dict[str, Any]], **thread: Any
) -> Thread:
    """Thread ``tid``: the article (position 0) then the comments in order, each from its
    ``Post`` fields (author, text, ...); ``thread`` holds the ``Thread``'s other fields."""
    posts = [Post(id=post_id(tid, 0), thread_id=tid, kind="article", position=0, **article)]
    for i, fields in enumerate(comments, start=1):
        posts.append(Post(id=post_id(tid, i), thread_id=tid, kind="comment", position=i, **fields))
    return Thread(id=tid, posts=posts, **thread)
