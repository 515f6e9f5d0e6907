"""Source parsers: a file (or URL) becomes one or more ``Thread`` objects.

Each format module exposes ``NAME``, ``detect(text) -> bool`` and ``parse(text, origin) -> list[Thread]``.
``load_threads`` reads the file, picks the format (auto-detected unless named), parses, rebuilds
the reply tree where the source lost it and marks spam; it raises ``SourceError`` with one line
for anything it cannot use, before anything is written.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from types import ModuleType

from argmap.ingest.sources.fetch import DEFAULT_TIMEOUT, fetch_text, is_url

from argmap.core.errors import SourceError
from argmap.core.models import Thread

# Order matters for auto-detection: the most specific formats first.
FORMAT_MODULES = {
    "argmap-json": "argmap.ingest.sources.argmap_json",
    "reddit-json": "argmap.ingest.sources.reddit_json",
    "hn-json": "argmap.ingest.sources.hn_json",
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


def read_source_text(source: str | Path) -> tuple[str, str]:
    """The text of ``source`` and a label naming it; one-line errors for unusable files."""
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{source}: no such file; check the path")
    if path.is_dir():
        raise SourceError(f"{source}: is a directory; give a thread file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(
            f"{source}: cannot read it ({exc.strerror}); check its permissions"
        ) from None
    if not data.strip():
        raise SourceError(f"{source}: the file is empty; give a thread file")
    if b"\x00" in data[:8192]:
        raise SourceError(
            f"{source}: looks like a binary file, not a thread; give a text or JSON export"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{source}: is not UTF-8 text; convert it to UTF-8 and retry") from None
    return text, str(path)


def detect_format(text: str) -> str:
    """The name of the first format whose detector accepts ``text``."""
    for name in FORMAT_MODULES:
        if format_module(name).detect(text):
            return name
    known = ", ".join(FORMAT_MODULES)
    raise SourceError(
        f"unknown format: this does not look like a thread ({known}); use --format to name one"
    )


def load_threads(
    source: str | Path, fmt: str = "auto", fetch_timeout: float = DEFAULT_TIMEOUT
) -> list[Thread]:
    """Parse ``source`` (a file, or an http(s) URL fetched first) into complete threads
    (reply tree rebuilt, spam marked)."""
    if is_url(source):
        text, origin = fetch_text(str(source), fetch_timeout), str(source)
    else:
        text, origin = read_source_text(source)
    name = detect_format(text) if fmt == "auto" else fmt
    threads = format_module(name).parse(text, origin)
    if not threads:
        raise SourceError(f"{origin}: no thread found in it")
    _check_storable(threads, origin)
    from argmap.ingest.thread import prepare_thread

    return [prepare_thread(t) for t in threads]


def _check_storable(threads: list[Thread], origin: str) -> None:
    """Refuse text the store cannot hold, before anything is written: FalkorDB ends a query's
    text at a NUL character (U+0000), so a post holding one would fail half-way through an ingest."""
    for t in threads:
        if "\x00" in t.title:
            raise SourceError(
                f"{origin}: the thread title contains a NUL character (U+0000); remove it"
            )
        for p in t.posts:
            if "\x00" in p.text or "\x00" in p.author:
                where = "author name" if "\x00" in p.author else "text"
                raise SourceError(
                    f"{origin}: the {where} of post {p.position} ({p.author!r}) contains a NUL "
                    "character (U+0000), which the store cannot hold; remove it and retry"
                )
        for c in t.claims or []:
            if "\x00" in c.text or "\x00" in c.quote:
                raise SourceError(
                    f"{origin}: claim {c.id} contains a NUL character (U+0000); remove it"
                )
        for r in t.relations or []:
            if "\x00" in (r.rationale or ""):
                raise SourceError(
                    f"{origin}: the rationale of relation {r.source} -> {r.target} contains a NUL "
                    "character (U+0000); remove it"
                )
