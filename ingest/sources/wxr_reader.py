"""Reading a WordPress export (WXR: Tools → Export) safely and as a stream.

A WXR file is RSS 2.0 with WordPress's own elements (``wp:``, namespace
``http://wordpress.org/export/1.0/``, ``1.1/`` or ``1.2/`` by version): the channel's authors,
then one ``item`` per post, page, attachment or menu entry, its comments inside it as
``wp:comment``. The XML comes from users, so it is parsed by ``defusedxml``: a DTD (the door
to entity bombs and external entities) is refused. Items are read one at a time and dropped
once read, so a 50 MB export never becomes one tree in memory; read from its file, it is never
whole in memory as text either.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from argmap.core.errors import SourceError

WP_NAMESPACE = "http://wordpress.org/export/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
EXPORT_AGAIN = "export it again (WordPress: Tools → Export → All content)"
# What an export is read from: its text, its file in binary, or its file decoded as it is read.
WxrSource = str | BinaryIO | codecs.StreamReader


@dataclass
class WxrComment:
    """One ``wp:comment`` as the file gives it (text fields stripped, HTML left as it is)."""

    id: str
    parent: str
    author: str
    date_gmt: str
    content: str
    approved: str
    type: str


@dataclass
class WxrItem:
    """One ``item``: a post, page, attachment, menu entry... with its comments."""

    title: str
    link: str
    guid: str
    post_id: str
    post_type: str
    status: str
    password: str
    date_gmt: str
    content: str
    creator: str
    comments: list[WxrComment] = field(default_factory=list)


@dataclass
class WxrChannel:
    """The site: its link and the display name of each author login (``wp:author``)."""

    link: str = ""
    authors: dict[str, str] = field(default_factory=dict)
    version: str = ""


def _name(tag: str) -> str:
    """``{namespace}local`` as ``wp:local`` / ``content:local`` / ``dc:local`` / ``local``:
    the WordPress namespace whatever its version (1.0, 1.1, 1.2), its excerpts apart."""
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if namespace.startswith(WP_NAMESPACE):
        return f"excerpt:{local}" if namespace.rstrip("/").endswith("excerpt") else f"wp:{local}"
    if namespace == CONTENT_NAMESPACE:
        return f"content:{local}"
    if namespace == DC_NAMESPACE:
        return f"dc:{local}"
    return f"{{{namespace}}}{local}"


def _fields(element: Element) -> dict[str, str]:
    """The text of each child of ``element`` by ``_name`` (the first of a repeated one)."""
    out: dict[str, str] = {}
    for child in element:
        out.setdefault(_name(child.tag), (child.text or "").strip())
    return out


def _comment(element: Element) -> WxrComment:
    f = _fields(element)
    return WxrComment(
        id=f.get("wp:comment_id", ""),
        parent=f.get("wp:comment_parent", "") or "0",
        author=f.get("wp:comment_author", ""),
        date_gmt=f.get("wp:comment_date_gmt", ""),
        content=f.get("wp:comment_content", ""),
        approved=f.get("wp:comment_approved", "1") or "1",
        type=f.get("wp:comment_type", ""),
    )


def _item(element: Element) -> WxrItem:
    f = _fields(element)
    return WxrItem(
        title=f.get("title", ""),
        link=f.get("link", ""),
        guid=f.get("guid", ""),
        post_id=f.get("wp:post_id", ""),
        post_type=f.get("wp:post_type", "post") or "post",
        status=f.get("wp:status", ""),
        password=f.get("wp:post_password", ""),
        date_gmt=f.get("wp:post_date_gmt", ""),
        content=f.get("content:encoded", ""),
        creator=f.get("dc:creator", ""),
        comments=[_comment(c) for c in element if _name(c.tag) == "wp:comment"],
    )


class _Reader:
    """What ``iterparse`` reads, a piece at a time, counting the lines it has given and whether
    it reached the end (to tell an export cut short from one broken mid-way): a file opened in
    binary (the XML's own declaration says its encoding), a file decoded as it is read
    (``--encoding``), or text already read, sliced (``io.StringIO`` would first copy all of it:
    four bytes a character for most exports)."""

    def __init__(self, source: WxrSource) -> None:
        self.source, self.at, self.lines, self.at_end = source, 0, 0, False

    def read(self, size: int = -1) -> str | bytes:
        if isinstance(self.source, str):
            end = len(self.source) if size < 0 else self.at + size
            text, self.at = self.source[self.at : end], min(end, len(self.source))
            self.lines += text.count("\n")
            self.at_end = self.at_end or not text
            return text
        data = self.source.read(size)
        self.lines += data.count("\n") if isinstance(data, str) else data.count(b"\n")
        self.at_end = self.at_end or not data
        return data


def read_wxr(
    text: WxrSource,
    origin: str,
    channel: WxrChannel,
    encoding: str | None = None,
) -> Iterator[WxrItem]:
    """The items of the WXR ``text`` (or a file, read as a stream: binary, or decoded from
    ``encoding`` as it is read) in file order; ``channel`` is filled in as the file gives
    the site's link and authors (before its items, in WordPress's exports).

    Raises ``SourceError`` (one line) for a file that is not XML, not a WordPress export,
    declares a DTD or entities, ends mid-way, or is not ``encoding`` text.
    """
    depth = 0
    root_seen = False
    channel_element: Element | None = None
    reader = _Reader(text)
    try:
        for event, element in iterparse(reader, events=("start", "end"), forbid_dtd=True):
            name = _name(element.tag)
            if event == "start":
                depth += 1
                if depth == 1:
                    root_seen = True
                    if name != "rss":
                        raise SourceError(
                            f"{origin}: not a WordPress export: its XML root is <{name}>, not "
                            f"<rss>; {EXPORT_AGAIN}"
                        )
                elif depth == 2 and name == "channel":
                    channel_element = element
                continue
            depth -= 1
            if depth != 2 or channel_element is None:
                continue  # the inside of an item or author is read with it, at its end
            if name == "item":
                yield _item(element)
                channel_element.clear()  # read: let it go (a big export stays small)
            elif name == "wp:author":
                f = _fields(element)
                login = f.get("wp:author_login", "")
                channel.authors[login] = f.get("wp:author_display_name", "") or login
            elif name == "link":
                channel.link = (element.text or "").strip()
            elif name == "wp:wxr_version":
                channel.version = (element.text or "").strip()
    except UnicodeDecodeError as exc:
        # The piece being decoded starts where the lines given so far end.
        line = reader.lines + bytes(exc.object[: exc.start]).count(b"\n") + 1
        raise SourceError(
            f"{origin}: is not {encoding} text (byte {exc.object[exc.start]:#04x} on line "
            f"{line}); give its encoding with --encoding, or save it as UTF-8"
        ) from None
    except DefusedXmlException as exc:
        raise SourceError(
            f"{origin}: the XML declares a DTD or entities ({type(exc).__name__}), which a "
            f"WordPress export never does; argmap does not read it: {EXPORT_AGAIN}"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        ended = (reader.at_end and line >= reader.lines + 1) or "no element found" in str(exc)
        if ended and root_seen:
            raise SourceError(
                f"{origin}: the WordPress export ends mid-way (line {line}, column {column}: "
                f"truncated?); {EXPORT_AGAIN}"
            ) from None
        reason = str(exc).split(":")[0]
        raise SourceError(
            f"{origin}: not well-formed XML ({reason} at line {line}, column {column}); "
            f"{EXPORT_AGAIN}"
        ) from None
