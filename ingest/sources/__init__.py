"""Source parsers: a file (or URL) becomes one or more ``Thread`` objects.

Each format module exposes ``NAME``, ``detect(text) -> bool`` and ``parse(text, origin) -> list[Thread]``
(and may expose ``unreadable(text) -> str | None``: why a file of its site is no thread, and what
to save instead).
``load_threads`` reads the file, picks the format (auto-detected unless named), parses, rebuilds
the reply tree where the source lost it and marks spam; it raises ``SourceError`` with one line
for anything it cannot use, before anything is written.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from contextlib import suppress
from email.message import Message
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

from argmap.ingest.sources.fetch import DEFAULT_TIMEOUT, api_url, download, is_url, page_text

from argmap.core.errors import ArgmapError, SourceError, UnknownFormat
from argmap.core.file_kinds import SNIFF_BYTES, binary_kind
from argmap.core.models import Thread
from argmap.core.text_encoding import UTF16_BOMS, UndecodableText, decode_text

# Order matters for auto-detection: the most specific formats first.
FORMAT_MODULES = {
    "argmap-json": "argmap.ingest.sources.argmap_json",
    "reddit-json": "argmap.ingest.sources.reddit_json",
    "hn-json": "argmap.ingest.sources.hn_json",
    "kialo": "argmap.ingest.sources.kialo_text",
    "wordpress-wxr": "argmap.ingest.sources.wordpress_wxr",
    "wordpress-html": "argmap.ingest.sources.wordpress_html",
    "jsonl": "argmap.ingest.sources.jsonl_rows",
    "csv": "argmap.ingest.sources.csv_rows",
    "wordpress-text": "argmap.ingest.sources.wordpress_text",
}


def format_module(name: str) -> ModuleType:
    try:
        return import_module(FORMAT_MODULES[name])
    except KeyError:
        known = ", ".join(["auto", *FORMAT_MODULES])
        raise SourceError(f"unknown format {name!r}: use one of {known}") from None


def stating_extractor(fmt: str) -> str | None:
    """The extractor name on the relations a format's file states itself (``kialo``: its
    Pro/Con), so a re-ingest of the file is the whole word on them; None for a format whose
    relations argmap extracts (or, argmap JSON, carries from whatever extracted them)."""
    module = FORMAT_MODULES.get(fmt)
    return getattr(import_module(module), "EXTRACTOR", None) if module else None


# A thread file is read whole; past this it is not one thread (and /dev/zero never ends).
MAX_SOURCE_BYTES = 2**30
_PIECE_BYTES = 2**20


def _read_bounded(f: BinaryIO) -> bytes | None:
    """All of ``f``, or None past ``MAX_SOURCE_BYTES``: a regular file in one read of its size,
    a FIFO or a device a piece at a time (one read of the bound asks for a 1 GiB buffer first,
    whatever the file holds)."""
    size = os.fstat(f.fileno()).st_size  # 0 for a FIFO or a device
    pieces = [f.read(min(size, MAX_SOURCE_BYTES) + 1)]  # the byte past it: grown meanwhile?
    total = len(pieces[0])
    while pieces[-1] and total <= MAX_SOURCE_BYTES:
        pieces.append(f.read(min(_PIECE_BYTES, MAX_SOURCE_BYTES + 1 - total)))
        total += len(pieces[-1])
    if total > MAX_SOURCE_BYTES:
        return None
    # One piece (a regular file) is returned as it is, not copied.
    return b"".join(piece for piece in pieces if piece)


def read_source_text(
    source: str | Path, encoding: str | None = None, notes: list[str] | None = None
) -> tuple[str, str]:
    """The text of ``source`` and a label naming it; one-line errors for unusable files.

    Decoded by ``argmap.core.text_encoding``'s rule (``encoding`` for a file without a byte-order
    mark); when the file was not UTF-8, the line saying how it was read is added to ``notes``."""
    path = Path(source)
    if str(source) == "-" and not path.exists():  # a Unix habit: "-" for standard input
        raise SourceError(
            "-: argmap does not read standard input; save the thread to a file and give its path"
        )
    if not path.exists():
        raise SourceError(f"{source}: no such file; check the path")
    if path.is_dir():
        raise SourceError(f"{source}: is a directory; give a thread file")
    try:
        with path.open("rb") as f:  # bounded: /dev/zero or a FIFO has no end to wait for
            data = _read_bounded(f)
    except OSError as exc:
        raise SourceError(
            f"{source}: cannot read it ({exc.strerror}); check its permissions"
        ) from None
    if data is None:
        raise SourceError(
            f"{source}: is over {MAX_SOURCE_BYTES // 2**30} GiB, more than one thread holds; "
            "give a thread file"
        )
    if not data.strip():
        # Not a failure in a folder (skipped, as a picture is); alone, its one line is the error.
        raise UnknownFormat(f"{source}: the file is empty; give a thread file", "the file is empty")
    kind = None if data.startswith(UTF16_BOMS) else binary_kind(data)
    if kind == "a binary file":  # NUL bytes, no known signature: UTF-16 without its mark?
        head = data[:SNIFF_BYTES]
        if head.count(b"\x00") * 3 > len(head):  # every other byte: UTF-16 without its mark
            raise SourceError(
                f"{source}: looks like UTF-16 text without a byte-order mark; save it as UTF-8"
            )
    if kind:
        # No format reads it, so "use --format" would send the user looking for one.
        raise UnknownFormat(
            f"{source}: looks like {kind}, not a thread argmap reads; give the thread in one of "
            f"the formats it reads: {', '.join(FORMAT_MODULES)} (argmap ingest --help)",
            f"{kind}, not a thread",
        )
    try:
        text, note = decode_text(data, str(source), encoding)
    except UndecodableText as exc:
        raise SourceError(str(exc)) from None
    if note is not None and notes is not None:
        notes.append(note)
    return text, str(path)


def detect_format(text: str, origin: str | None = None) -> str:
    """The name of the first format whose detector accepts ``text``."""
    for name in FORMAT_MODULES:
        if format_module(name).detect(text):
            return name
    # A file one of the sites gives that is not a thread: say what to save instead.
    for name in FORMAT_MODULES:
        reason = getattr(format_module(name), "unreadable", lambda _text: None)(text)
        if reason:
            raise SourceError(f"{origin}: {reason}" if origin else reason)
    known = ", ".join(FORMAT_MODULES)
    raise UnknownFormat(
        f"unknown format: this does not look like a thread ({known}); use --format to name one"
    )


# Read from its file as a stream, not whole: a WordPress site's export can be hundreds of MB.
STREAMED = "wordpress-wxr"
_HEAD_BYTES = 65536


def _streamed(path: Path, fmt: str, encoding: str | None = None) -> bool:
    """Whether ``path`` is a file of the format read as a stream (``STREAMED``), as its head
    tells; anything else, or a head that is not text (in ``encoding`` if given, else UTF-8), is
    read whole (and ``read_source_text`` says what is wrong with it)."""
    if fmt not in ("auto", STREAMED) or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            return _streamed_head(f.read(_HEAD_BYTES), fmt, encoding)
    except OSError:
        return False


def _stream_encoding(head: bytes, encoding: str | None) -> str | None:
    """The encoding a streamed export is read in: ``encoding`` (``--encoding``) unless a
    byte-order mark names UTF-8, as for any file; None lets its XML declaration decide."""
    return None if encoding is None or head.startswith(codecs.BOM_UTF8) else encoding


def _streamed_head(head: bytes, fmt: str, encoding: str | None = None) -> bool:
    """Whether a file (or page) starting with ``head`` is of the format read as a stream."""
    if fmt not in ("auto", STREAMED) or head.startswith(UTF16_BOMS):
        return False
    try:
        # Incremental: a character cut by the head's end waits instead of failing.
        codec = _stream_encoding(head, encoding) or "utf-8-sig"
        text = codecs.getincrementaldecoder(codec)().decode(head)
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    formats = list(FORMAT_MODULES)
    if fmt == "auto" and any(
        format_module(name).detect(text) for name in formats[: formats.index(STREAMED)]
    ):
        return False
    return bool(format_module(STREAMED).detect(text))


def _check_url_encoding(url: str, encoding: str | None) -> None:
    """Refuse ``--encoding`` for a Reddit or Hacker News URL: argmap fetches their JSON APIs,
    which answer in UTF-8 whatever the page showed, so any other encoding would garble it."""
    if encoding is not None and api_url(url) != url:
        raise SourceError(
            f"{url}: --encoding does not apply to a Reddit or Hacker News URL (argmap reads "
            "their API, which answers in UTF-8); ingest it in a command without --encoding"
        )


def _parsed_url(url: str, fmt: str, timeout: float, encoding: str | None = None) -> list[Thread]:
    """The threads of the page at ``url``, downloaded to a temporary file first (bounded by
    ``fetch.MAX_BYTES``): an export is then read from it as a stream, like a file; any other
    page is read whole, in ``encoding`` if given (``--encoding``: a server's charset is often
    wrong or missing), else in the charset its server names."""
    _check_url_encoding(url, encoding)
    try:
        spool = tempfile.TemporaryFile(prefix="argmap-fetch-")
    except OSError as exc:
        raise SourceError(
            f"{url}: cannot make a temporary file to fetch it into ({exc.strerror}); set TMPDIR "
            "to a writable folder, or save the page and ingest the file"
        ) from None
    try:
        headers = download(url, spool, timeout)
        spool.seek(0)
        head = spool.read(_HEAD_BYTES)
        if _streamed_head(head, fmt, encoding):
            spool.seek(0)
            return format_module(STREAMED).parse_stream(
                spool, url, _stream_encoding(head, encoding)
            )
        spool.seek(0)
        text = _page(spool.read(), headers, url, encoding)
    finally:
        # A full temporary folder: ``download`` said so in one line, and closing would try the
        # write again and raise a bare "No space left on device" over it. The file is dropped.
        with suppress(OSError):
            spool.close()
    name = detect_format(text, url) if fmt == "auto" else fmt
    return format_module(name).parse(text, url)


def _page(data: bytes, headers: Message, url: str, encoding: str | None) -> str:
    """A fetched page's text: in ``encoding`` when given (a byte-order mark still wins, as in a
    file), else as ``fetch.page_text`` reads it."""
    if encoding is None:
        return page_text(data, headers, url)
    try:
        return decode_text(data, url, encoding).text
    except UndecodableText as exc:
        raise SourceError(str(exc)) from None


def load_threads(
    source: str | Path,
    fmt: str = "auto",
    fetch_timeout: float = DEFAULT_TIMEOUT,
    encoding: str | None = None,
    notes: list[str] | None = None,
) -> list[Thread]:
    """Parse ``source`` (a file, or an http(s) URL fetched first) into complete threads
    (reply tree rebuilt, spam marked). A file is decoded as ``read_source_text`` says
    (``encoding``, ``notes``); a page in ``encoding`` if given, else the charset its server
    names. An error raised after a note carries it too (``add_note``)."""
    said: list[str] = []
    try:
        threads, origin = _parsed(source, fmt, fetch_timeout, encoding, said)
        if not threads:
            raise SourceError(f"{origin}: no thread found in it")
        _check_storable(threads, origin)
    except ArgmapError as exc:
        # A header quoted as "Òåêñò" (cp1251 read as Windows-1252) is explained by the note.
        for line in said:
            exc.add_note(line)
        raise
    if notes is not None:
        notes.extend(said)
    from argmap.ingest.thread import prepare_thread

    return [prepare_thread(t) for t in threads]


def _parsed(
    source: str | Path, fmt: str, fetch_timeout: float, encoding: str | None, notes: list[str]
) -> tuple[list[Thread], str]:
    """The threads ``source`` holds as its format gives them, and the label naming it."""
    if is_url(source):
        return _parsed_url(str(source), fmt, fetch_timeout, encoding), str(source)
    path = Path(source)
    if _streamed(path, fmt, encoding):
        try:
            with path.open("rb") as f:
                codec = _stream_encoding(f.read(len(codecs.BOM_UTF8)), encoding)
            return format_module(STREAMED).parse_file(path, str(path), codec), str(path)
        except OSError as exc:
            raise SourceError(f"{source}: cannot read it ({exc.strerror}); check it") from None
    text, origin = read_source_text(source, encoding, notes)
    name = detect_format(text, origin) if fmt == "auto" else fmt
    return format_module(name).parse(text, origin), origin


# The store holds 64-bit integers; a bigger position would be stored silently as 2**63-1.
_MAX_INT = 2**63 - 1


def _unstorable(text: str | None) -> str | None:
    """Why the store cannot hold ``text`` as it is, or ``None``."""
    if not text:
        return None
    if "\x00" in text:
        # FalkorDB ends a query's text at a NUL: a post holding one would fail half-way.
        return "a NUL character (U+0000), which the store cannot hold"
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        # Half of a UTF-16 pair (JSON "\ud800"): not text, and no client can encode it.
        return "a lone surrogate (half of a UTF-16 pair, e.g. \\ud800 in JSON), which is not text"
    return None


def _check_storable(threads: list[Thread], origin: str) -> None:
    """Refuse, before anything is written, what the store cannot hold exactly: NUL characters,
    lone surrogates, integers past 64 bits. Each is one line naming where it is."""
    for t in threads:
        for what, value in (("title", t.title), ("url", t.url)):
            why = _unstorable(value)
            if why:
                raise SourceError(f"{origin}: the thread {what} contains {why}; remove it")
        for p in t.posts:
            for what, value in (("author name", p.author), ("text", p.text)):
                why = _unstorable(value)
                if why:
                    raise SourceError(
                        f"{origin}: the {what} of post {p.position} ({p.author!r}) contains "
                        f"{why}; remove it and retry"
                    )
            if not -_MAX_INT <= p.position <= _MAX_INT:
                raise SourceError(
                    f"{origin}: post {p.id!r} has position {p.position}, past what the store "
                    "holds (64-bit); give positions 0..n in document order"
                )
        for c in t.claims or []:
            why = _unstorable(c.text) or _unstorable(c.quote)
            if why:
                raise SourceError(f"{origin}: claim {c.id} contains {why}; remove it")
        for r in t.relations or []:
            why = _unstorable(r.rationale)
            if why:
                raise SourceError(
                    f"{origin}: the rationale of relation {r.source} -> {r.target} contains "
                    f"{why}; remove it"
                )
