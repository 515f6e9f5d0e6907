"""``hn-json``: a Hacker News thread from the Algolia items API (``/api/v1/items/ID``).

The item is the story (or the comment the thread was fetched from) with its replies nested in
``children``; each comment's ``text`` is HTML, converted to plain text here. Deleted comments
(no author, no text) stay in the tree so their replies keep their parent.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from argmap.ingest.sources.html_text import html_to_text
from argmap.ingest.sources.json_text import load_json, utc_from_epoch

from argmap.core.errors import SourceError
from argmap.core.ids import HN, post_id, stable_id
from argmap.core.models import Post, Thread

log = logging.getLogger(__name__)

NAME = "hn-json"
DELETED = "[deleted]"
ITEM_URL = "https://news.ycombinator.com/item?id={}"

_ITEM_KEYS = re.compile(r'"(?:story_id|created_at_i)"\s*:')
_CHILDREN = re.compile(r'"children"\s*:\s*\[')


def detect(text: str) -> bool:
    """A JSON object with the Algolia item keys (``story_id``/``created_at_i`` and ``children``)."""
    return (
        text.lstrip().startswith("{")
        and bool(_ITEM_KEYS.search(text))
        and bool(_CHILDREN.search(text))
    )


ALGOLIA_ITEM = "https://hn.algolia.com/api/v1/items/{}"
_FIREBASE_KEYS = re.compile(r'"(?:by|kids|descendants)"\s*:')
_FIREBASE_TYPE = re.compile(r'"type"\s*:\s*"(?:story|comment|poll|job)"')
_SEARCH_KEYS = re.compile(r'"(?:nbHits|hitsPerPage)"\s*:')
_STORY_ID = re.compile(r'"story_id"\s*:\s*"?(\d+)')
_ITEM_ID = re.compile(r'"id"\s*:\s*(\d+)')


def unreadable(text: str) -> str | None:
    """What to fetch instead, for Hacker News JSON that is not a thread: an item from the
    official (Firebase) API, whose replies are only ids under ``kids``, or a page of Algolia
    search hits. ``None`` for anything else."""
    head = text.lstrip()[:65536]
    if not head.startswith(("{", "[")) or _CHILDREN.search(head):
        return None
    if _SEARCH_KEYS.search(head) and '"hits"' in head:
        story = _STORY_ID.search(head)
        target = ALGOLIA_ITEM.format(story.group(1) if story else "STORY_ID")
        return (
            "this is a page of Hacker News search hits (Algolia's /search), not a thread; "
            f"save {target} and ingest that"
        )
    if _FIREBASE_TYPE.search(head) and _FIREBASE_KEYS.search(head):
        item = _ITEM_ID.search(head)
        number = item.group(1) if item else "ID"
        return (
            "this is Hacker News JSON from the official (Firebase) API, which argmap does not "
            f"read as a thread; save {ALGOLIA_ITEM.format(number)} (the whole thread in one file) "
            f'and ingest that, or run: argmap ingest "{ITEM_URL.format(number)}"'
        )
    return None


def _timestamp(item: dict[str, Any]) -> datetime | None:
    value = item.get("created_at")
    if isinstance(value, str) and value:
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            stamp = None
        if stamp is not None:
            return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    return utc_from_epoch(item.get("created_at_i"))


def _check(item: Any, origin: str) -> dict[str, Any]:
    if not isinstance(item, dict) or item.get("id") is None:
        raise SourceError(f"{origin}: an item has no id; is this a Hacker News items API response?")
    children = item.get("children", [])
    if not isinstance(children, list):
        raise SourceError(f"{origin}: item {item['id']}: 'children' is not a list")
    return item


def _article_text(item: dict[str, Any]) -> str:
    body = html_to_text(item.get("text"))
    if body:
        return body
    # A link story: its title (and link) is what the comments answer.
    title, url = item.get("title") or "", item.get("url")
    return f"{title}\n\n{url}" if url else title or DELETED


def parse(text: str, origin: str) -> list[Thread]:
    """The thread in an Algolia item file, its reply tree from the source."""
    reason = unreadable(text)
    if reason:
        raise SourceError(f"{origin}: {reason}")
    root = _check(load_json(text, origin), origin)
    if not isinstance(root.get("children"), list):
        raise SourceError(f"{origin}: not a Hacker News item: it has no 'children' list")
    thread_id = stable_id("t", HN, root["id"])
    article = Post(
        id=post_id(HN, root["id"]),
        thread_id=thread_id,
        kind="article",
        author=root.get("author") or DELETED,
        posted_at=_timestamp(root),
        position=0,
        text=_article_text(root),
    )
    posts = [article]
    ids: dict[Any, str] = {root["id"]: article.id}
    # Depth-first, children in the order the API lists them (the page's order).
    stack: list[tuple[dict[str, Any], Any]] = [
        (_check(c, origin), root["id"]) for c in reversed(root["children"])
    ]
    duplicates = 0
    while stack:
        item, nesting_parent = stack.pop()
        if item["id"] in ids:
            duplicates += 1  # the same item twice: keep the first, and say so below
            continue
        parent = item.get("parent_id")
        deleted = item.get("author") is None and item.get("text") is None
        post = Post(
            id=post_id(HN, item["id"]),
            thread_id=thread_id,
            kind="comment",
            author=item.get("author") or DELETED,
            posted_at=_timestamp(item),
            position=len(posts),
            text=DELETED if deleted else html_to_text(item.get("text")),
            parent_id=ids[parent if parent in ids else nesting_parent],
        )
        posts.append(post)
        ids[item["id"]] = post.id
        stack.extend((_check(c, origin), item["id"]) for c in reversed(item.get("children") or []))
    if duplicates:
        log.warning(
            "%s: %d items appear more than once (same id); kept the first of each",
            origin,
            duplicates,
        )
    title = root.get("title") or f"Hacker News item {root['id']}"
    return [
        Thread(
            id=thread_id,
            title=title,
            url=ITEM_URL.format(root["id"]),
            source_format=NAME,
            published_at=article.posted_at,
            posts=posts,
            reply_tree="source",
        )
    ]
