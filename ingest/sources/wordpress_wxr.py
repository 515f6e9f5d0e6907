"""``wordpress-wxr``: a WordPress site's own export (Tools → Export: WordPress eXtended RSS).

One file holds the whole site; each published post or page with at least one comment becomes a
thread (a published post without comments has no debate to map, and comes in with its first
comment when the site is exported again). Attachments, menu items, drafts, private and
scheduled posts are left out, counted in one warning; so is a published post behind a password:
its owner meant it (and its comments) for the people given the password, not for a map anyone
can be shown.

The export gives the true reply tree (``wp:comment_parent``), times in UTC (``*_gmt``) and the
site owner's moderation: a comment marked ``spam`` is kept as spam, one awaiting moderation
(``0``) is kept as a comment, one in the trash is left out, and so are pingbacks, trackbacks and
editorial notes (WordPress 6.9's ``note``). A reply whose parent is left out (or not in the file)
answers its nearest kept ancestor, else the article. Comments are ordered as WordPress shows
them threaded: depth first, replies in time order.

Ids are those of a saved page of the same post (``wordpress-html``): the thread is the post's
link, a comment its WordPress id, so a newer export (or the saved page) lands on the same nodes
and adds only the new comments.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from argmap.ingest.sources.html_text import html_to_text
from argmap.ingest.sources.wordpress_html import post_url
from argmap.ingest.sources.wxr_reader import (
    EXPORT_AGAIN,
    WP_NAMESPACE,
    WxrChannel,
    WxrComment,
    WxrItem,
    WxrSource,
    read_wxr,
)

from argmap.core.errors import SourceError
from argmap.core.ids import post_id, stable_id
from argmap.core.models import Post, Thread
from argmap.core.wording import plural

NAME = "wordpress-wxr"
log = logging.getLogger(__name__)

THREAD_TYPES = ("post", "page")
COMMENT_TYPES = ("", "comment")
NO_TIME = "0000-00-00 00:00:00"
ANONYMOUS = "Anonymous"  # what WordPress shows for a comment without an author name

_WP_NAMESPACE = re.compile(r'xmlns:\w+\s*=\s*["\']' + re.escape(WP_NAMESPACE) + r"1\.\d+/?[\"']")
# Markup that means the HTML already has its paragraphs (the block editor's, a <pre>).
_HAS_PARAGRAPHS = re.compile(r"<(?:p|pre|div)[\s>]", re.I)
_BLANK_LINE = re.compile(r"\n\s*\n")


def detect(text: str) -> bool:
    """An RSS document declaring WordPress's export namespace (an RSS feed does not)."""
    head = text.lstrip()[:16384]
    return (
        head.startswith(("<?xml", "<rss", "<!--"))
        and _before_html(head, "<rss")
        and bool(_WP_NAMESPACE.search(head))
    )


def _before_html(head: str, tag: str) -> bool:
    """``tag`` opens the document before any ``<html``: a saved page that quotes a feed or an
    export in its text is still a page."""
    at, html = head.find(tag), head.lower().find("<html")
    return at >= 0 and (html < 0 or at < html)


def unreadable(text: str) -> str | None:
    """What to save instead, for an RSS or Atom feed: it holds no comments, or only some."""
    head = text.lstrip()[:4096]
    if not head.startswith(("<?xml", "<rss", "<feed", "<!--")) or _WP_NAMESPACE.search(head):
        return None
    if _before_html(head, "<rss") or _before_html(head, "<feed"):
        return (
            "this is an RSS/Atom feed, not a WordPress export (a feed lists recent posts, not "
            "their comment threads); on the site, use Tools → Export → All content and ingest "
            "that file, or save the post's page with its comments"
        )
    return None


def _when(value: str) -> datetime | None:
    """A WordPress GMT time (``2024-03-01 12:00:00``); None for ``0000-00-00 00:00:00``."""
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def _plain(html: str) -> str:
    """Plain text of a post's or comment's HTML. WordPress stores a comment (and a classic
    editor's post) with blank lines for paragraphs and adds the ``<p>`` only when it shows it
    (wpautop): do that first, or the paragraphs run together."""
    if not _HAS_PARAGRAPHS.search(html):
        blocks = [b.strip() for b in _BLANK_LINE.split(html.replace("\r\n", "\n"))]
        html = "".join(f"<p>{b.replace(chr(10), '<br>')}</p>" for b in blocks if b)
    return html_to_text(html)


def _kept(comment: WxrComment) -> bool:
    return comment.type in COMMENT_TYPES and comment.approved != "trash"


def _parents(item: WxrItem, kept: dict[str, WxrComment]) -> tuple[dict[str, str], int]:
    """Each kept comment's parent among the kept ones ("0": the article), and how many answer
    a comment left out or not in the file (they move up to the nearest kept ancestor)."""
    given = {c.id: c.parent for c in item.comments}
    parents: dict[str, str] = {}
    moved = 0
    for cid, comment in kept.items():
        parent, seen = comment.parent, {cid}
        while parent != "0" and parent not in kept and parent in given and parent not in seen:
            seen.add(parent)
            parent = given[parent]
        if parent != "0" and parent not in kept:
            parent = "0"
        moved += parent != comment.parent
        parents[cid] = parent
    return parents, moved


def _threaded(kept: dict[str, WxrComment], parents: dict[str, str]) -> tuple[list[str], int]:
    """Comment ids depth first, replies in time order (WordPress's threaded view); a comment in
    a loop of parents (a hand-edited file) is taken up to answer the article. Returns how many."""

    def order(cid: str) -> tuple[str, int, str]:
        number = kept[cid].id
        return (kept[cid].date_gmt, int(number) if number.isdigit() else 0, number)

    children: dict[str, list[str]] = {}
    for cid in sorted(kept, key=order):
        children.setdefault(parents[cid], []).append(cid)
    out: list[str] = []
    placed: set[str] = set()

    def walk(first: list[str]) -> None:
        stack = list(reversed(first))
        while stack:
            cid = stack.pop()
            if cid not in placed:  # a loop comes back to a placed comment: stop there
                placed.add(cid)
                out.append(cid)
                stack.extend(reversed(children.get(cid, [])))

    walk(children.get("0", []))
    loops = 0
    for cid in sorted(kept, key=order):
        if cid not in placed:  # in a loop: it answers the article, its replies follow it
            loops += 1
            parents[cid] = "0"
            walk([cid])
    return out, loops


def _thread(item: WxrItem, channel: WxrChannel, origin: str, counts: Counter[str]) -> Thread:
    link = item.link or item.guid or f"{channel.link}?p={item.post_id}"
    url = post_url(link)[0]
    thread_id = stable_id("t", "wordpress", url)
    author = channel.authors.get(item.creator, item.creator) or "Unknown"
    when = _when(item.date_gmt)
    title = item.title or url
    article = Post(
        id=post_id(thread_id, "article"),
        thread_id=thread_id,
        kind="article",
        author=author,
        posted_at=when,
        position=0,
        text=_plain(item.content) or title,
    )
    kept: dict[str, WxrComment] = {}
    for c in item.comments:
        if c.id and c.id not in kept and _kept(c):
            kept[c.id] = c
    parents, moved = _parents(item, kept)
    ordered, loops = _threaded(kept, parents)
    counts["moved"] += moved
    counts["loops"] += loops
    posts = [article]
    for cid in ordered:
        c = kept[cid]
        counts["pending"] += c.approved == "0"
        posts.append(
            Post(
                id=post_id(thread_id, f"comment-{cid}"),
                thread_id=thread_id,
                kind="comment",
                author=" ".join(c.author.split()) or ANONYMOUS,
                posted_at=_when(c.date_gmt),
                position=len(posts),
                text=_plain(c.content),
                parent_id=(
                    article.id
                    if parents[cid] == "0"
                    else post_id(thread_id, f"comment-{parents[cid]}")
                ),
                is_spam=c.approved == "spam",  # the site owner's own mark
            )
        )
    return Thread(
        id=thread_id,
        title=title,
        url=url,
        source_format=NAME,
        published_at=when,
        posts=posts,
        reply_tree="source",
    )


def _left_out_comment(comment: WxrComment, counts: Counter[str]) -> None:
    if comment.type in ("pingback", "trackback"):
        counts["pingbacks/trackbacks"] += 1
    elif comment.type not in COMMENT_TYPES:
        counts[f"{comment.type} (not a comment)"] += 1
    elif comment.approved == "trash":
        counts["in the trash"] += 1


def parse(text: str, origin: str) -> list[Thread]:
    """Every published post or page of the export that has comments, as a thread each."""
    _check_namespace(text, origin)
    return _threads(text, origin)


def parse_file(path: Path, origin: str, encoding: str | None = None) -> list[Thread]:
    """``parse`` of the export in file ``path``, read as a stream: a site's export can be
    hundreds of MB, and only its commented posts need be in memory."""
    with path.open("rb") as f:
        return parse_stream(f, origin, encoding)


def parse_stream(f: BinaryIO, origin: str, encoding: str | None = None) -> list[Thread]:
    """``parse`` of the export in ``f`` (binary, seekable, read from its start) as a stream;
    in ``encoding`` if given (``--encoding``), else in the one its XML declaration names."""
    _check_namespace(f.read(16384).decode(encoding or "utf-8-sig", errors="replace"), origin)
    f.seek(0)
    if encoding is None:
        return _threads(f, origin)
    # Decoded here, a piece at a time: the parser given text ignores the declaration.
    return _threads(codecs.getreader(encoding)(f), origin, encoding)


def _check_namespace(head: str, origin: str) -> None:
    if not _WP_NAMESPACE.search(head.lstrip()[:16384]):
        raise SourceError(
            f"{origin}: not a WordPress export (no {WP_NAMESPACE}1.x/ namespace); {EXPORT_AGAIN}"
        )


def _threads(source: WxrSource, origin: str, encoding: str | None = None) -> list[Thread]:
    channel = WxrChannel()
    threads: list[Thread] = []
    skipped: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    left_out: Counter[str] = Counter()
    seen: set[str] = set()
    for item in read_wxr(source, origin, channel, encoding):
        if item.post_type not in THREAD_TYPES:
            skipped[item.post_type] += 1
            continue
        if item.status != "publish":
            skipped[item.status or "no status"] += 1
            continue
        if item.password:
            counts["protected"] += 1
            continue
        for c in item.comments:
            _left_out_comment(c, left_out)
        if not any(_kept(c) for c in item.comments):
            skipped["published without comments"] += 1
            continue
        thread = _thread(item, channel, origin, counts)
        if thread.id in seen:  # the same post twice (a file joined from two exports)
            skipped["repeated"] += 1
            continue
        seen.add(thread.id)
        threads.append(thread)
    _warn(origin, skipped, counts, left_out)
    if not threads and counts["protected"]:
        raise SourceError(
            f"{origin}: every commented post in this WordPress export is behind a password; "
            "remove the password in WordPress and export again to map one"
        )
    if not threads:
        raise SourceError(
            f"{origin}: no published post or page in this WordPress export has comments; "
            "export the site with its comments (Tools → Export → All content)"
        )
    return threads


def _listed(counter: Counter[str]) -> str:
    return ", ".join(f"{n} {what}" for what, n in counter.most_common())


def _warn(origin: str, skipped: Counter[str], counts: Counter[str], left_out: Counter[str]) -> None:
    if skipped:
        log.warning(
            "%s: left out %d items that are not published posts or pages with comments (%s)",
            origin,
            sum(skipped.values()),
            _listed(skipped),
        )
    if counts["protected"]:
        log.warning(
            "%s: left out %s behind a password (meant for its readers only): remove the "
            "password in WordPress and export again to map one",
            origin,
            plural(counts["protected"], "published post"),
        )
    pending = plural(counts["pending"], "comment")
    said = [f"kept {pending} awaiting moderation"] if counts["pending"] else []
    said += [f"left out {_listed(left_out)}"] if left_out else []
    if said:
        log.warning("%s: %s", origin, "; ".join(said))
    if counts["moved"]:
        log.warning(
            "%s: %s a comment not in the export (trashed, or deleted): each answers "
            "its nearest kept ancestor, else the article",
            origin,
            plural(counts["moved"], "comment answers", "comments answer"),
        )
    if counts["loops"]:
        log.warning(
            "%s: %s of replies (a comment answering its own reply): the first comment of "
            "each answers the article",
            origin,
            plural(counts["loops"], "loop"),
        )
