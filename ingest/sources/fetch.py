"""Fetching a thread from a URL: a saved-page equivalent, over HTTP(S), with a timeout.

A Reddit thread URL is fetched from Reddit's ``.json`` endpoint and a Hacker News item URL from
the Algolia items API, so what comes back is what ``reddit-json`` / ``hn-json`` read; any other
URL is fetched as it is (a WordPress post page, a CSV or JSONL file). A page comes a piece at a
time into the file the caller gives (``download``), never past ``MAX_BYTES``, so a site's export
need never be whole in memory. Any failure is one line.
"""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import Message
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit, urlunsplit

from argmap.core.errors import SourceError

USER_AGENT = "argmap/0.1 (comment-thread argument mapper; +https://pypi.org/project/argmap/)"
MAX_BYTES = 64 * 1024 * 1024
HN_API = "https://hn.algolia.com/api/v1/items/{}"
REDDIT_HOSTS = ("reddit.com", "www.reddit.com", "old.reddit.com", "new.reddit.com", "np.reddit.com")


def is_url(source: object) -> bool:
    """Whether ``source`` names an http(s) URL rather than a file."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def api_url(url: str) -> str:
    """The URL to fetch for ``url``: Reddit and Hacker News threads go to their JSON APIs."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in REDDIT_HOSTS and "/comments/" in parts.path:
        path = parts.path.rstrip("/")
        if not path.endswith(".json"):
            path += ".json"
        return urlunsplit(("https", "www.reddit.com", path, "limit=500", ""))
    if host == "redd.it" and parts.path.strip("/"):
        return f"https://www.reddit.com/comments/{parts.path.strip('/')}.json?limit=500"
    if host == "news.ycombinator.com" and parts.path == "/item":
        item = parse_qs(parts.query).get("id", [""])[0]
        if item.isdigit():
            return HN_API.format(item)
    return url


def _one_line(reason: object) -> str:
    return " ".join(str(reason).split()) or type(reason).__name__


def page_text(data: bytes, headers: Message, url: str) -> str:
    """The text of a page ``download`` saved, in the charset its ``headers`` name (else UTF-8)."""
    charset = headers.get_content_charset() or "utf-8"
    try:
        return data.decode(charset.replace("utf-8", "utf-8-sig"))
    except (LookupError, UnicodeDecodeError):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(
                f"{url}: the page is not {charset} text; give its encoding with --encoding "
                "(cp1252, latin-1, cp1251 ...), or save it and convert it to UTF-8"
            ) from None


DEFAULT_TIMEOUT = 20.0
_PIECE_BYTES = 2**16


def fetch_text(url: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """The text at ``url`` (through ``api_url``); a one-line ``SourceError`` on any failure.

    ``timeout`` (seconds) bounds connecting and each read (the CLI passes ``ARGMAP_FETCH_TIMEOUT``).
    """
    page = io.BytesIO()
    headers = download(url, page, timeout)
    return page_text(page.getvalue(), headers, url)


def download(url: str, dest: BinaryIO, timeout: float = DEFAULT_TIMEOUT) -> Message:
    """Write the page at ``url`` (through ``api_url``) into ``dest`` a piece at a time, never
    past ``MAX_BYTES``; its response headers. A one-line ``SourceError`` on any failure.

    ``timeout`` (seconds) bounds connecting and each read (the CLI passes ``ARGMAP_FETCH_TIMEOUT``).
    """
    try:
        target = api_url(url)
        request = urllib.request.Request(
            target,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json, text/html, text/*;q=0.9, */*;q=0.5",
            },
        )
    except ValueError as exc:  # "http://[::1": not a URL urllib can read
        raise SourceError(f"{url}: not a valid URL ({exc}); check the address") from None
    fix = "check the address, or save the page and ingest the file"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, see is_url
            blank = _copy_bounded(response, dest, url)
            headers = response.headers
    except urllib.error.HTTPError as exc:
        raise SourceError(
            f"{url}: the server answered HTTP {exc.code} {exc.reason}; {fix}"
        ) from None
    except TimeoutError:
        raise SourceError(f"{url}: no answer within {timeout:g}s; {fix}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise SourceError(f"{url}: no answer within {timeout:g}s; {fix}") from None
        raise SourceError(
            f"{url}: cannot fetch it ({_one_line(reason)}); this machine may have no network: {fix}"
        ) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise SourceError(f"{url}: cannot fetch it ({_one_line(exc)}); {fix}") from None
    if blank:
        raise SourceError(f"{url}: the page is empty")
    return headers


def _copy_bounded(response: BinaryIO, dest: BinaryIO, url: str) -> bool:
    """Copy ``response`` into ``dest`` up to ``MAX_BYTES``; whether it was blank (whitespace)."""
    total, blank = 0, True
    while piece := response.read(_PIECE_BYTES):
        total += len(piece)
        if total > MAX_BYTES:
            raise SourceError(
                f"{url}: the page is over {MAX_BYTES // 2**20} MiB; save it and ingest the file"
            )
        blank = blank and piece.isspace()  # no copy of the piece, as strip() makes
        _keep(url, lambda: dest.write(piece))
    # A buffered file writes its last pieces out only when flushed: a full temporary folder is
    # said here, not by the caller's next seek (which gave "No space left on device" alone).
    _keep(url, dest.flush)
    return blank


def _keep(url: str, step: Callable[[], object]) -> None:
    """Run ``step``, a write to the file the page goes into; a full or failing disk is one line
    that names the temporary folder (not the network's fault: not "cannot fetch it")."""
    try:
        step()
    except OSError as exc:
        raise SourceError(
            f"{url}: cannot keep the page while reading it ({exc.strerror}); "
            "free space in the temporary folder (TMPDIR), or save the page and ingest the file"
        ) from None
