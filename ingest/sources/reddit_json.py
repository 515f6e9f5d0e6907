"""``reddit-json``: a thread as saved from Reddit's ``.json`` endpoint.

Reddit answers ``https://www.reddit.com/r/SUB/comments/ID/SLUG/.json`` with a two-element list:
the post's listing (one ``t3`` child) and the comments' listing (``t1`` children, each with its
replies nested in ``replies``). The reply tree is the real one: each comment's ``parent_id``
(``t1_...`` or ``t3_...``), falling back to its nesting where the parent is not in the file (a
thread saved from a comment's permalink). "Load more comments" stubs (``kind: more``) carry no
text: they are skipped, and a warning says how many comments the file did not hold.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from argmap.ingest.extract import taken_away
from argmap.ingest.sources.json_text import deep_nesting, load_json, utc_from_epoch

from argmap.core.errors import SourceError
from argmap.core.ids import REDDIT, post_id, stable_id
from argmap.core.models import Post, Thread

NAME = "reddit-json"
log = logging.getLogger(__name__)

DELETED = "[deleted]"
# Accounts that post boilerplate, not arguments; besides these, names ending in "bot".
KNOWN_BOTS = frozenset(
    name.casefold()
    for name in (
        "AutoModerator",
        "RemindMeBot",
        "WikiTextBot",
        "WikiSummarizerBot",
        "sneakpeekbot",
        "TotesMessenger",
        "RepostSleuthBot",
        "SaveVideo",
        "savevideobot",
        "haikusbot",
        "converter-bot",
        "LinkifyBot",
        "B0tRank",
        "timee_bot",
        "Reddit-Book-Bot",
    )
)
# Human names that happen to end in "bot".
_NOT_BOTS = ("abbot", "talbot", "cabot", "robot")

_LISTING = re.compile(r'"kind"\s*:\s*"Listing"')
_POST = re.compile(r'"kind"\s*:\s*"t3"')


def is_bot(author: str) -> bool:
    """Whether ``author`` is a known bot account (AutoModerator, ``...bot``, a short list)."""
    name = author.casefold()
    if name in KNOWN_BOTS:
        return True
    return name.endswith("bot") and not name.endswith(_NOT_BOTS)


def detect(text: str) -> bool:
    """A JSON list whose first element is a Listing holding a ``t3`` post."""
    head = text.lstrip()[:4096]
    return head.startswith("[") and bool(_LISTING.search(head)) and bool(_POST.search(text))


def _children(listing: Any, origin: str, what: str) -> list[Any]:
    """The ``data.children`` of a Listing, or a one-line error naming which listing is broken."""
    if isinstance(listing, dict) and listing.get("kind") == "Listing":
        children = (listing.get("data") or {}).get("children")
        if isinstance(children, list):
            return children
    raise SourceError(f"{origin}: the {what} listing is not a Reddit Listing with data.children")


def _author(data: dict[str, Any]) -> str:
    author = data.get("author")
    return author if isinstance(author, str) and author and author != DELETED else DELETED


def _shown(post: dict[str, Any]) -> dict[str, Any]:
    """The post whose text the page shows: a crosspost shows its original's (``selftext`` is
    empty on the crosspost itself, its ``url`` a bare ``/r/...`` path to the original)."""
    originals = post.get("crosspost_parent_list")
    if not post.get("selftext") and isinstance(originals, list) and originals:
        if isinstance(originals[0], dict):
            return originals[0]
    return post


def _article(post: dict[str, Any], thread_id: str) -> Post:
    title = post.get("title") or ""
    shown = _shown(post)
    body = html.unescape(shown.get("selftext") or "")
    if not body or taken_away(body):
        # A link post, or a self post whose text was removed ("[removed]"): its title (and the
        # link) is what the comments answer.
        link = shown.get("url") if not shown.get("is_self") else None
        if isinstance(link, str) and link.startswith("/"):
            link = f"https://www.reddit.com{link}"
        body = f"{title}\n\n{link}" if link else title
    author = _author(post)
    return Post(
        id=post_id(REDDIT, post["name"]),
        thread_id=thread_id,
        kind="article",
        author=author,
        posted_at=utc_from_epoch(post.get("created_utc")),
        position=0,
        text=body,
        is_spam=is_bot(author),
    )


class _Walk:
    """Depth-first walk of the comment forest, collecting posts and counting what was left out."""

    def __init__(self, origin: str, thread_id: str, article: Post, article_name: str) -> None:
        self.origin = origin
        self.thread_id = thread_id
        self.posts: list[Post] = [article]
        self.ids = {article_name: article.id}
        self.missing = 0
        self.continued = 0
        self.duplicates = 0
        # parent_id names not yet seen: the permalink save's outside comment, or a later one
        self.unseen_parents: list[str] = []

    def visit(self, children: list[Any], nesting_parent: str) -> None:
        for child in children:
            if not isinstance(child, dict):
                raise SourceError(f"{self.origin}: a comment listing holds a non-object entry")
            kind, data = child.get("kind"), child.get("data")
            if not isinstance(data, dict):
                raise SourceError(f"{self.origin}: a {kind or 'listing'} entry has no data object")
            if kind == "more":
                count = data.get("count") or 0
                if count:
                    self.missing += max(int(count), len(data.get("children") or []))
                else:
                    self.continued += 1  # "continue this thread": deeper replies, count unknown
                continue
            if kind != "t1":
                continue
            self.comment(data, nesting_parent)

    def comment(self, data: dict[str, Any], nesting_parent: str) -> None:
        cid = data.get("id")
        if not isinstance(cid, str) or not isinstance(data.get("body"), str):
            raise SourceError(
                f"{self.origin}: a comment has no id or no body; is this a Reddit .json file?"
            )
        name = data.get("name") or f"t1_{cid}"
        if name in self.ids:
            self.duplicates += 1  # the same comment twice (overlapping saves): keep the first
            return
        # The source's parent when the file holds it, else the listing the comment sits in.
        parent = data.get("parent_id")
        parent_name = parent if parent in self.ids else nesting_parent
        if isinstance(parent, str) and parent not in self.ids:
            self.unseen_parents.append(parent)
        author = _author(data)
        post = Post(
            id=post_id(REDDIT, name),
            thread_id=self.thread_id,
            kind="comment",
            author=author,
            posted_at=utc_from_epoch(data.get("created_utc")),
            position=len(self.posts),
            text=html.unescape(data["body"]),
            parent_id=self.ids[parent_name],
            is_spam=is_bot(author),
        )
        self.posts.append(post)
        self.ids[name] = post.id
        replies = data.get("replies")
        if replies:  # "" when there are none
            self.visit(_children(replies, self.origin, "replies"), name)


def parse(text: str, origin: str) -> list[Thread]:
    """The thread in a Reddit ``.json`` file, its reply tree from the source."""
    data = load_json(text, origin)
    if not (isinstance(data, list) and len(data) == 2):
        raise SourceError(
            f"{origin}: not a Reddit thread: expected the two listings (post, comments) "
            "Reddit's .json endpoint returns"
        )
    posts = [
        c.get("data")
        for c in _children(data[0], origin, "post")
        if isinstance(c, dict) and c.get("kind") == "t3"
    ]
    if not posts or not isinstance(posts[0], dict) or not posts[0].get("id"):
        raise SourceError(
            f"{origin}: the post listing holds no post (t3); save the thread's .json again"
        )
    post = posts[0]
    post.setdefault("name", f"t3_{post['id']}")
    thread_id = stable_id("t", REDDIT, post["name"])
    article = _article(post, thread_id)
    walk = _Walk(origin, thread_id, article, post["name"])
    with deep_nesting(origin):  # the walk recurses once per reply level
        walk.visit(_children(data[1], origin, "comment"), post["name"])
    if walk.missing or walk.continued:
        parts = []
        if walk.missing:
            parts.append(
                f'{walk.missing} comments were not in the file ("load more comments" links)'
            )
        if walk.continued:
            parts.append(f'{walk.continued} deeper reply chains were cut ("continue this thread")')
        log.warning(
            "%s: %s; ingesting the %d comments it holds",
            origin,
            " and ".join(parts),
            len(walk.posts) - 1,
        )
    later = sum(name in walk.ids for name in walk.unseen_parents)
    if later:
        # A parent must come first in the thread, so the comment keeps the place it is nested in.
        log.warning(
            "%s: %d comments name as parent_id a comment further down the file; each was placed "
            "under the comment it is nested in (save the thread's .json again if this is wrong)",
            origin,
            later,
        )
    if walk.duplicates:
        log.warning(
            "%s: %d comments appear more than once (same id); kept the first of each",
            origin,
            walk.duplicates,
        )
    permalink = post.get("permalink")
    return [
        Thread(
            id=thread_id,
            title=post.get("title") or f"Reddit thread {post['id']}",
            url=f"https://www.reddit.com{permalink}" if permalink else None,
            source_format=NAME,
            published_at=article.posted_at,
            posts=walk.posts,
            reply_tree="source",
        )
    ]
