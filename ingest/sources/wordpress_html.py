"""``wordpress-html``: a WordPress post page saved from the browser ("Save page as").

WordPress renders comments as ``ol.commentlist`` (or ``ol.comment-list``) of ``li.comment``
items, replies nested in each item's ``ol.children``; block themes (the default ones since
WordPress 5.9) render ``ol.wp-block-comment-template`` with replies in a bare nested ``ol``.
That nesting is the reply tree. Pingbacks
and trackbacks are links from other sites, not comments: they are left out. Themes differ in the
markup inside a comment, so each field is looked up through a few known selectors.

A long post's comments come in pages (``.../comment-page-2/#comments``, ``?cpage=2``): every page
is the same post, so its thread id is the post's URL without the page (``post_url``), and a
comment keeps its WordPress id on whichever page it is read (``ingest.comment_pages`` joins them).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from argmap.ingest.sources.html_text import html_to_text
from argmap.ingest.sources.wordpress_times import in_utc, page_zone, read_stamp
from bs4 import BeautifulSoup, Tag

from argmap.core.errors import SourceError
from argmap.core.ids import post_id, stable_id
from argmap.core.models import Post, Thread

NAME = "wordpress-html"
log = logging.getLogger(__name__)

_LISTS = (
    "ol.commentlist, ol.comment-list, ul.commentlist, ul.comment-list, "
    "ol.wp-block-comment-template, ul.wp-block-comment-template"
)
_AUTHOR = (
    ".comment-author .fn",
    "cite.fn",
    ".fn",
    ".wp-block-comment-author-name",
    ".comment-author",
)
_STAMP_TEXT = (
    ".wp-block-comment-date",
    ".comment-metadata a",
    ".commentmetadata a",
    ".comment-meta a",
    ".comment-metadata",
    ".commentmetadata",
    ".comment-meta",
)
_CONTENT = (".comment-content", ".wp-block-comment-content", ".comment-text", ".comment-body")
# Parts of a comment body that are chrome, not what the commenter wrote.
_CHROME = (
    ".comment-author",
    ".comment-meta",
    ".commentmetadata",
    ".comment-metadata",
    ".reply",
    ".comment-reply-link",
    ".comment-awaiting-moderation",
    ".comment-edit-link",
    ".wp-block-comment-author-name",
    ".wp-block-comment-date",
    ".wp-block-comment-edit-link",
    ".wp-block-comment-reply-link",
    ".says",
    "ol.children",
    "ul.children",
)
_ARTICLE_TITLE = (".entry-title", ".wp-block-post-title", ".post-title", "article h1", "h1")
_ARTICLE_BODY = (".entry-content", ".post-content", ".entry", "article .content", ".post")
_ARTICLE_AUTHOR = (
    ".entry-meta .author .fn",
    ".byline .author",
    ".entry-meta .author",
    ".wp-block-post-author-name",
    ".wp-block-post-author__name",
    ".author.vcard",
    "a[rel=author]",
    ".post-author",
)
_ARTICLE_STAMP = (
    "time.entry-date[datetime]",
    "time.published[datetime]",
    "article time[datetime]",
    "time[datetime]",
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)
_COMMENT_NUMBER = re.compile(r"comment-(\d+)$")
# Pretty permalinks put a comment page in the path, plain ones in ``cpage`` (WordPress's
# get_comments_pagenum_link; the canonical link of page 2 is ".../comment-page-2/#comments").
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-(\d+)/?$")


def detect(text: str) -> bool:
    """An HTML document (WordPress or not: parsing says so if it holds no comments)."""
    head = text.lstrip()[:4096].lower()
    return head.startswith(("<!doctype html", "<html", "<!-- saved from")) or "<html" in head


def _classes(tag: Tag) -> list[str]:
    return tag.get_attribute_list("class")


def _attr(tag: Tag | None, name: str) -> str | None:
    """``tag``'s single-valued attribute ``name``; ``None`` without the tag or the attribute."""
    value = tag.get(name) if tag is not None else None
    return value if isinstance(value, str) else None


def _own(item: Tag, selectors: tuple[str, ...]) -> Tag | None:
    """The first match of ``selectors`` inside ``item`` but not inside one of its replies."""
    for selector in selectors:
        for found in item.select(selector):
            owner = found.find_parent("li", class_="comment")
            if found is item or owner is item or owner is None:
                return found
    return None


def _text_without_chrome(node: Tag) -> str:
    copy = BeautifulSoup(str(node), "html.parser")
    for selector in _CHROME:
        for el in copy.select(selector):
            el.decompose()
    # Replies nested in a bare <ol> (block themes) are comments of their own, not this text.
    root = copy.find(True)
    for el in copy.select("li.comment, li.pingback, li.trackback"):
        if el is not root:
            el.decompose()
    if root is not None and root.name == "li":  # the item itself, not a "- " list line
        return html_to_text(root.decode_contents())
    return html_to_text(str(copy))


def post_url(url: str) -> tuple[str, int | None]:
    """The post's URL without its comment page or fragment, and the page's number (``None``
    when the URL names none): every comment page of a post is the post's thread."""
    parts = urlsplit(url)
    path, query, page = parts.path, parts.query, None
    match = _COMMENT_PAGE_PATH.search(path)
    if match:
        path, page = path[: match.start()] + "/", int(match.group(1))
    pairs = parse_qsl(query, keep_blank_values=True)
    cpage = [v for k, v in pairs if k == "cpage"]
    if cpage:
        # Rebuilt only when it held a page: other query strings keep their spelling (and the
        # thread its id).
        query = urlencode([(k, v) for k, v in pairs if k != "cpage"])
        page = int(cpage[0]) if cpage[0].isdigit() else page
    return urlunsplit((parts.scheme, parts.netloc, path, query, "")), page


def _page_number(soup: BeautifulSoup, from_url: int | None) -> int:
    """The comment page this is: from its URL, else the comment pagination's current number
    (a post's own URL shows its last page when the site lists the newest page first)."""
    if from_url is not None:
        return from_url
    current = soup.select_one(
        ".comment-navigation .page-numbers.current, .comments-pagination .page-numbers.current, "
        ".wp-block-comments-pagination-numbers .page-numbers.current"
    )
    text = current.get_text(strip=True) if current else ""
    return int(text) if text.isdigit() else 1


def _comment_key(item: Tag, position: int, page: int) -> str:
    for candidate in (item, *item.select("[id^=comment-], [id^=div-comment-]")[:1]):
        match = _COMMENT_NUMBER.search(str(candidate.get("id") or ""))
        if match:
            return f"comment-{match.group(1)}"
    # Without its WordPress id a comment is its place on its page (page 1's keys as before).
    return f"position-{position}" if page == 1 else f"page-{page}-position-{position}"


def _comment_items(soup: BeautifulSoup) -> tuple[list[Tag], int]:
    """Comment ``li`` items in document order, and how many pingbacks/trackbacks were skipped."""
    items, skipped = [], 0
    for lst in soup.select(_LISTS):
        if lst.find_parent("li", class_="comment"):
            continue  # a list nested in a comment is reached through that comment
        for li in lst.find_all("li"):
            classes = _classes(li)
            if "pingback" in classes or "trackback" in classes:
                skipped += 1
            elif "comment" in classes:
                items.append(li)
    return items, skipped


def _comment_fields(item: Tag) -> tuple[str, datetime | None, str, str | None]:
    """Author, time and text of one comment item (not of its replies), and the words of a time
    it shows but that could not be read ("2 hours ago")."""
    author_tag = _own(item, _AUTHOR)
    author = " ".join(author_tag.get_text(" ").split()) if author_tag else ""
    author = re.sub(r"\s*says:?$", "", author) or "Anonymous"
    time_tag = _own(item, ("time[datetime]",))
    when = read_stamp(_attr(time_tag, "datetime"))
    words = None
    if when is None:
        stamp_tag = _own(item, _STAMP_TEXT)
        words = " ".join(stamp_tag.get_text(" ").split()) if stamp_tag else None
        when = read_stamp(words)
    content = _own(item, _CONTENT) or item
    return author, when, _text_without_chrome(content), words if when is None else None


def _first(soup: BeautifulSoup, selectors: tuple[str, ...]) -> Tag | None:
    for selector in selectors:
        found = soup.select_one(selector)
        if found is not None:
            return found
    return None


def _meta(soup: BeautifulSoup, **attrs: str) -> str | None:
    tag = soup.find("meta", attrs={**attrs})  # a new dict, typed as find's attrs
    content = tag.get("content") if tag else None
    return content.strip() if isinstance(content, str) and content.strip() else None


def _page_url(soup: BeautifulSoup, text: str) -> str | None:
    """The URL the page says it is (its canonical link first), comment page and all."""
    canonical = soup.find("link", rel="canonical")
    saved = _SAVED_FROM.search(text[:4096])
    bookmark = _first(soup, (".entry-meta a[rel=bookmark]", ".entry-header a[rel=bookmark]"))
    return (
        _attr(canonical, "href")
        or _meta(soup, property="og:url")
        or (saved.group(1) if saved else None)
        or _attr(bookmark, "href")
    )


def _article(soup: BeautifulSoup, origin: str) -> tuple[str, str, str, datetime | None]:
    """Title, author, body text and date of the post (comments already removed from ``soup``)."""
    title_tag = _first(soup, _ARTICLE_TITLE)
    title = (
        (" ".join(title_tag.get_text(" ").split()) if title_tag else "")
        or _meta(soup, property="og:title")
        or (soup.title.get_text(strip=True) if soup.title else "")
        or origin
    )
    author_tag = _first(soup, _ARTICLE_AUTHOR)
    author = (
        (" ".join(author_tag.get_text(" ").split()) if author_tag else "")
        or _meta(soup, name="author")
        or "Unknown"
    )
    stamp_tag = _first(soup, _ARTICLE_STAMP)
    when = read_stamp(_attr(stamp_tag, "datetime"))
    when = when or read_stamp(_meta(soup, property="article:published_time"))
    if when is None:
        date_tag = _first(soup, (".entry-date", ".published", ".posted-on"))
        when = read_stamp(date_tag.get_text(" ")) if date_tag else None
    body_tag = _first(soup, _ARTICLE_BODY)
    body = html_to_text(str(body_tag)) if body_tag else ""
    return title, author, body or title, when


def parse(text: str, origin: str) -> list[Thread]:
    """The post and its threaded comments in a saved WordPress page."""
    lower = text.lower()
    if "<html" in lower and "</html>" not in lower:
        # Browsers save the whole document; a page without its end was cut off.
        raise SourceError(f"{origin}: the page ends before </html> (truncated?); save it again")
    soup = BeautifulSoup(text, "html.parser")
    items, skipped = _comment_items(soup)
    if not items and soup.select_one("#disqus_thread, iframe[src*='disqus.com']"):
        # Disqus draws the comments in a frame from its own site: "Save page as" keeps none.
        raise SourceError(
            f"{origin}: this page's comments are Disqus's, drawn in a frame the saved page does "
            "not hold; give them as a CSV (id, author, text) instead"
        )
    if not items:
        raise SourceError(
            f"{origin}: no WordPress comments in this page (no ol.commentlist / li.comment markup); "
            "save the post's page with its comments showing, or name another --format"
        )
    # Read the comments (and their nesting) first, then the article from what is left.
    page_url = _page_url(soup, text)
    url, page = post_url(page_url) if page_url else (None, None)
    page = _page_number(soup, page)
    key_of: dict[int, str] = {}
    for position, item in enumerate(items, start=1):
        key = _comment_key(item, position, page)
        key_of[id(item)] = key if key not in key_of.values() else f"{key}@{position}"
    parent_keys = [key_of.get(id(item.find_parent("li", class_="comment"))) for item in items]
    fields = [_comment_fields(item) for item in items]
    for lst in soup.select(_LISTS):
        lst.decompose()
    for area in soup.select("#comments, .comments-area, .wp-block-comments, #respond"):
        area.decompose()
    title, author, body, stamp = _article(soup, origin)
    zone = page_zone([stamp, *(f[1] for f in fields)])
    unread = [f[3] for f in fields if f[3]]
    if unread:  # stored without a time: the Overview's chart counts them apart
        log.warning(
            "%s: %d of %d comments show a time argmap cannot read (%r); they are stored without one",
            origin,
            len(unread),
            len(fields),
            unread[0],
        )
    when = in_utc(stamp, zone)
    thread_id = stable_id("t", "wordpress", url or title)
    article = Post(
        id=post_id(thread_id, "article"),
        thread_id=thread_id,
        kind="article",
        author=author,
        posted_at=when,
        position=0,
        text=body,
    )
    posts = [article]
    for position, (item, parent_key, (who, posted, words, _)) in enumerate(
        zip(items, parent_keys, fields, strict=True), start=1
    ):
        posts.append(
            Post(
                id=post_id(thread_id, key_of[id(item)]),
                thread_id=thread_id,
                kind="comment",
                author=who,
                posted_at=in_utc(posted, zone),
                position=position,
                text=words,
                parent_id=post_id(thread_id, parent_key) if parent_key else article.id,
            )
        )
    if skipped:
        log.info("%s: left out %d pingbacks/trackbacks (links from other sites)", origin, skipped)
    return [
        Thread(
            id=thread_id,
            title=title,
            url=url,
            source_format=NAME,
            published_at=when,
            posts=posts,
            reply_tree="source",
        )
    ]
