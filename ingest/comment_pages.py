"""Comment pages: the pages of a long post's comments join one thread, whatever order they come in.

WordPress splits a post's top-level comments over pages (50 a page by default) and never splits a
reply thread between pages; each saved page holds the article and its share of the comments, and
its thread id is the post's (``sources.wordpress_html.post_url``). A page whose thread the store
already holds adds its comments to the stored ones: the article once, every comment once under its
WordPress id, and the comments renumbered 1..n in the order the pages list them.

A page's top-level threads are a run of the site's order (oldest first, or newest first), so the
page's run goes in before the first stored top-level comment that comes after the page's first
one; the page keeps its own order, and so do the stored comments. Without times (a theme that
shows none) the page goes after what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from argmap.graph.export_json import thread_posts
from argmap.graph.store import Store

from argmap.core.models import Post, Thread

# Formats whose files may each hold one page of a thread's comments.
PAGED_FORMATS = frozenset({"wordpress-html"})


def join_stored_pages(store: Store | None, thread: Thread, also: Sequence[Post] = ()) -> Thread:
    """``thread`` (one page of comments) with the comments of its other pages that ``store``
    holds, positions renumbered in page order; ``thread`` as it is if the store holds none.
    ``also``: comments of other pages the store does not hold (a dry run's earlier pages)."""
    if thread.source_format not in PAGED_FORMATS or not thread.comments:
        return thread
    rows = thread_posts(store, [thread.id])[1] if store is not None else []
    on_page = {p.id for p in thread.posts}
    held = [Post(**r) for r in rows if r["kind"] == "comment"]
    others = list({p.id: p for p in [*held, *also] if p.id not in on_page}.values())
    if not others:
        return thread  # a first ingest, or the same page again: its own positions stand
    article = thread.article
    stored = _blocks(others, article.id)
    page = _blocks(thread.comments, article.id)
    at = _insertion(stored, page)
    comments = [p for block in stored[:at] + page + stored[at:] for p in block]
    posts = [article] + [p.model_copy(update={"position": i}) for i, p in enumerate(comments, 1)]
    return thread.model_copy(update={"posts": posts})


def _blocks(comments: list[Post], article_id: str) -> list[list[Post]]:
    """``comments`` as top-level threads (a top-level comment and its replies), in their order.

    A reply whose parent is not among ``comments`` (its thread's top is on another page, or gone)
    is a block of its own, so it keeps its place rather than being lost."""
    top_of: dict[str, str] = {}
    blocks: dict[str, list[Post]] = {}
    for post in comments:
        parent = post.parent_id
        top = top_of.get(parent, post.id) if parent and parent != article_id else post.id
        top_of[post.id] = top
        blocks.setdefault(top, []).append(post)
    return list(blocks.values())


def _insertion(stored: list[list[Post]], page: list[list[Post]]) -> int:
    """Where the page's run of top-level threads goes among the stored ones."""
    times = [b[0].posted_at for b in stored + page]
    if any(t is None for t in times):
        return len(stored)
    first = _seconds(page[0][0].posted_at)
    tops = [_seconds(b[0].posted_at) for b in stored]
    # The site's direction, from the page (or, for a one-thread page, from what is stored).
    run = [_seconds(b[0].posted_at) for b in page] if len(page) > 1 else tops
    sign = -1.0 if run and run[0] > run[-1] else 1.0
    for i, top in enumerate(tops):
        if sign * top > sign * first:
            return i
    return len(stored)


def _seconds(when: datetime | None) -> float:
    return when.timestamp() if when is not None else 0.0
